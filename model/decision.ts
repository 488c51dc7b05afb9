import { z } from 'zod';

export const decisionRequestSchema = z.strictObject({
  analyst: z.string().trim().min(1, 'must name the analyst').max(200, 'must be at most 200 characters'),
  reason: z.string().trim().min(1, 'must say why').max(2000, 'must be at most 2000 characters'),
  /** The analyst's signed token (JWT); verified before the decision counts. */
  assertion: z.string().max(8192).optional(),
});
