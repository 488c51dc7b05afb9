import { z } from 'zod';
import type { CarriedResponse } from './response';
import { signalSchema } from './signal';

/**
 * The workflow validates its own input too: a response started from the UI or another client gets the same
 * checks. `carried` is the response's own state handed to its next run; the workflow accepts it only in a
 * run that continued as new (a client cannot start a response with a made-up ledger to undo).
 */
export const responseInputSchema = z.strictObject({
  signal: signalSchema.extend({ id: signalSchema.shape.id.unwrap() }),
  carried: z.custom<CarriedResponse>((value) => typeof value === 'object' && value !== null, 'must be an object').optional(),
});
