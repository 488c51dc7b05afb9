import { z } from 'zod';
import { signalSchema } from './signal';

/** A continued run's hand-over, as far as its shape goes (its content is the response's own, from its last run). */
const carriedSchema = z.looseObject({
  view: z.record(z.string(), z.unknown()),
  seenSignals: z.array(z.string()),
  roundApprovers: z.array(z.string()),
  spentTokens: z.array(z.unknown()),
  applied: z.array(z.unknown()),
  waiting: z.looseObject({ at: z.string() }),
});

/**
 * The workflow's own input check (run by the responses worker: `validateInput`): a response started from the
 * UI or another client gets the same checks as one started by idra's client. `carried` is the response's
 * own state handed to its next run; it is accepted only in a run that continued as new (a client cannot
 * start a response with a made-up ledger to undo).
 */
export const responseInputSchema = z.strictObject({
  signal: signalSchema.extend({ id: signalSchema.shape.id.unwrap() }),
  carried: carriedSchema.optional(),
});
