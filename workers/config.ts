import { z } from 'zod';
import { parseOrThrow } from '../model/validation';

export const WORKER_ROLES = ['responses', 'aws'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

const workerEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /** Which task queues this process serves; a deployment can split them across processes. */
  IDRA_WORKER_ROLES: z
    .string()
    .default(WORKER_ROLES.join(','))
    .transform((roles) => roles.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(WORKER_ROLES)).min(1)),
  /** A prebuilt workflow bundle (tests bundle once per run); without it the worker bundles at start. */
  IDRA_WORKFLOW_BUNDLE: z.string().min(1).optional(),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseOrThrow(workerEnvSchema, env, 'worker configuration');
}
