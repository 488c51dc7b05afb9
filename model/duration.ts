/**
 * Durations as Temporal timers take them ("90s", "15m", "24h", "7d"), kept as text so history stays
 * readable. Pure: workflow code reads them; playbooks and configuration validate them with
 * model/duration-schema.ts.
 */
export type Duration = `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

export const DURATION_RULE = 'must be a positive whole duration such as "500ms", "90s", "15m", "24h" or "7d"';
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PATTERN = /^([1-9]\d*)(ms|s|m|h|d)$/;

export function isDuration(value: unknown): value is Duration {
  return typeof value === 'string' && PATTERN.test(value);
}

export function durationMs(duration: Duration): number {
  const [, amount, unit] = PATTERN.exec(duration) ?? [];
  return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
}
