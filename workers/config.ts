import { z } from 'zod';
import { configLocationsEnv } from '../config/locations';
import { durationMs } from '../model/duration';
import { durationSchema } from '../model/duration-schema';
import { parseOrThrow } from '../model/validation';
import { PROVIDER_IDS } from '../providers/catalog';

/** `responses` runs the response workflows, `guard` the blast-radius guard; each provider's id runs its actions. */
export const WORKER_ROLES: readonly string[] = ['responses', 'guard', ...PROVIDER_IDS];

const count = z.coerce.number().int().positive('must be a positive whole number');

// The connection to Temporal (address, namespace, mTLS or API key) comes from Temporal's standard
// environment configuration: see config/temporal-connection.ts.
const workerEnvSchema = z.object({
  /** Which task queues this process serves; a deployment can split them across processes. */
  IDRA_WORKER_ROLES: z
    .string()
    .default(WORKER_ROLES.join(','))
    .transform((roles) => roles.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(WORKER_ROLES as [string, ...string[]])).min(1)),
  /** A prebuilt workflow bundle (tests bundle once per run); without it the worker bundles at start. */
  IDRA_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  ...configLocationsEnv,
  /** Blast radius: automatic containments per account and overall within the window; beyond, approval. */
  IDRA_GUARD_MAX_PER_ACCOUNT: count.default(20),
  IDRA_GUARD_MAX_TOTAL: count.default(50),
  IDRA_GUARD_WINDOW: durationSchema.default('10m'),
  /** While the guard does not answer: automatic containments this worker allows per account within the window. */
  IDRA_GUARD_FALLBACK_PER_ACCOUNT: count.default(5),
  /**
   * Workflows a workflow worker keeps in memory between tasks. Open responses beyond it (waiting for a
   * decision, often for hours) are replayed from history when something arrives for them, which takes
   * milliseconds: memory stays bounded however many responses are open.
   */
  IDRA_WORKER_CACHED_WORKFLOWS: count.default(100),
});

export type WorkerConfig = z.infer<typeof workerEnvSchema>;

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseOrThrow(workerEnvSchema, env, 'worker configuration');
}

export function guardLimits(config: WorkerConfig) {
  return {
    perAccount: config.IDRA_GUARD_MAX_PER_ACCOUNT,
    total: config.IDRA_GUARD_MAX_TOTAL,
    windowMs: durationMs(config.IDRA_GUARD_WINDOW),
  };
}
