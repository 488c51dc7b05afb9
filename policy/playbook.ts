import { z } from 'zod';
import { durationSchema } from './duration';

/** What a response does and how long it waits for an analyst. */
export const playbookSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes'),
  version: z.number().int().positive(),
  /** Actions in order, each bound to the signal's identity by the plan. */
  steps: z.array(z.string().min(1)).min(1, 'must name at least one action'),
  /** How long to wait for approve/rollback before the timeout rule applies. */
  decisionTimeout: durationSchema,
  /** Fail safe: without a decision the identity stays contained. */
  onTimeout: z.literal('stay_contained'),
});
export type Playbook = z.infer<typeof playbookSchema>;

/** The response to a leaked long-term AWS key: stop that key, fence the user, wait a day for an analyst. */
export const LEAKED_AWS_ACCESS_KEY: Playbook = {
  id: 'aws-leaked-access-key',
  version: 1,
  steps: ['aws.accessKey.deactivate', 'aws.user.quarantine'],
  decisionTimeout: '24h',
  onTimeout: 'stay_contained',
};
