import { z } from 'zod';

const MESSAGE = 'must be a positive whole duration such as "500ms", "90s", "15m", "24h" or "7d"';

/**
 * Durations as Temporal timers take them ("90s", "15m", "24h", "7d"), kept as text so history stays
 * readable. The template literal gives the parsed value the type the SDK's timers accept; the template
 * admits zero and negative numbers, so the pattern check narrows it.
 */
export const durationSchema = z
  .templateLiteral([z.number(), z.enum(['ms', 's', 'm', 'h', 'd'])], { error: MESSAGE })
  .refine((value) => /^[1-9]\d*(ms|s|m|h|d)$/.test(value), { error: MESSAGE });
