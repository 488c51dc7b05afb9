import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** At most this many problems, each at most this long: a hostile body cannot make the answer large. */
const MAX_PROBLEMS = 20;
const MAX_PROBLEM_LENGTH = 300;

/** How long a sender is asked to wait before it tries again, when nothing was acknowledged. */
export const RETRY_AFTER_S = '5';

/** The problems an answer names: the first few, each cut short, never a whole hostile value. */
export const bounded = (problems: string[]) =>
  problems
    .slice(0, MAX_PROBLEMS)
    .map((problem) => (problem.length > MAX_PROBLEM_LENGTH ? `${problem.slice(0, MAX_PROBLEM_LENGTH)}…` : problem));

/** A request header's one value (a repeated header is no value: senders send each once). */
export const header = (name: string) => (request: FastifyRequest) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** A body's problems as zod found them, each named by its field (under `prefix`), at most MAX_PROBLEMS. */
export const problemsOf = (error: z.ZodError, prefix = '') =>
  error.issues.slice(0, MAX_PROBLEMS).map((issue) => `${prefix}${issue.path.join('.') || 'body'}: ${issue.message}`);

/** What went wrong, in words, whatever was thrown (bounded: it goes to a log or a sender). */
export const errorText = (error: unknown) => bounded([error instanceof Error ? error.message : String(error)])[0]!;

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export const bearerToken = (authorization: string | undefined) => /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
