import { z } from 'zod';

const MESSAGE = 'must be a positive whole duration such as "500ms", "90s", "15m", "24h" or "7d"';
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^([1-9]\d*)(ms|s|m|h|d)$/;

/**
 * Durations as Temporal timers take them ("90s", "15m", "24h", "7d"), kept as text so history stays
 * readable. The template literal gives the parsed value the type the SDK's timers accept; the template
 * admits zero and negative numbers, so the pattern check narrows it.
 */
export const durationSchema = z
  .templateLiteral([z.number(), z.enum(['ms', 's', 'm', 'h', 'd'])], { error: MESSAGE })
  .refine((value) => PATTERN.test(value), { error: MESSAGE });

export type Duration = z.infer<typeof durationSchema>;

export function durationMs(duration: Duration): number {
  const [, amount, unit] = PATTERN.exec(duration) ?? [];
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}
