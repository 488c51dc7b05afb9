import type { Findings } from './eventbridge';

/** One record of a batch as read: a finding to map, a record idra does not act on, or what is wrong with it. */
export type ReadRecord<T> = { finding: T } | { skipped: string } | { problems: string[] };

/**
 * Maps a batch of findings (Security Hub's, a SIEM's) one by one. A bad record is skipped, named with its first
 * problem, so the good ones in the same delivery are not lost with it (a sender does not retry a 400); only a
 * batch with nothing idra could read is refused.
 */
export async function findingsOfBatch<T>(
  records: unknown[],
  read: (record: unknown, index: number) => ReadRecord<T>,
  map: (finding: T) => Promise<{ signal: Record<string, unknown> } | { skipped: string }>,
): Promise<Findings> {
  const signals = [];
  const skipped = [];
  const problems = [];
  let unread = 0;
  for (const [index, record] of records.entries()) {
    const outcome = read(record, index);
    if ('problems' in outcome) {
      unread++;
      problems.push(...outcome.problems);
      skipped.push(`record ${index}: not read (${outcome.problems[0] ?? 'invalid'})`);
      continue;
    }
    const mapped = 'skipped' in outcome ? outcome : await map(outcome.finding);
    if ('skipped' in mapped) skipped.push(mapped.skipped);
    else signals.push(mapped.signal);
  }
  if (unread === records.length) return { problems };
  return { signals, skipped };
}
