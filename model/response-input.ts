import { z } from 'zod';
import { signalSchema } from './signal';

/** The workflow validates its own input too: a response started from the UI or another client gets the same checks. */
export const responseInputSchema = z.strictObject({
  signal: signalSchema.extend({ id: signalSchema.shape.id.unwrap() }),
});
