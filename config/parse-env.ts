import type { z } from 'zod';
import { parseOrThrow } from '../model/validation';

/** An environment without its empty variables: compose and CI systems pass `${NAME:-}` through as "", meaning unset. */
export function withoutEmpty(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

/** A process role's settings from its environment (empty is unset): a role refuses to start naming each bad or missing variable. */
export function parseEnv<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv, subject: string): T {
  return parseOrThrow(schema, withoutEmpty(env), subject);
}
