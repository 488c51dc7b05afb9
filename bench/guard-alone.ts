import { createAdmissionBatcher } from '../activities/admission-batcher';
import { admitUpdate } from '../api/guard-messages';
import { updateGuard } from '../clients/guard-handle';
import type { AdmissionRequest } from '../model/guard';
import { ACCOUNT, type BenchHarness } from './harness';
import { quantile, round } from './stats';

/** Requests one response worker has waiting at once in a storm (its responses' admissions). */
const WAITING = 1_000;

/**
 * `--guard N`: the blast-radius guard alone, asked N times one request at a time (each an update of its
 * own: a quiet system), then N times all at once through the batcher the responses workers use (at most
 * two batches with the guard). No response runs: the figures are the guard's own rate.
 */
export async function runGuardAlone(harness: BenchHarness, count: number) {
  const client = harness.idra.client;
  const request = (phase: string, index: number): AdmissionRequest => ({
    response: `bench-guard-${phase}-${index}@run`,
    account: ACCOUNT,
  });
  // The first update starts the guard (its first task instantiates the workflow): not timed.
  await updateGuard(client, admitUpdate, { requests: [request('warm', 0)] });

  const single: number[] = [];
  const singleStarted = performance.now();
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await updateGuard(client, admitUpdate, { requests: [request('single', index)] });
    single.push(performance.now() - started);
  }
  const singleSeconds = (performance.now() - singleStarted) / 1000;

  const admit = createAdmissionBatcher((requests) => updateGuard(client, admitUpdate, { requests }));
  const batchedStarted = performance.now();
  let admitted = 0;
  for (let first = 0; first < count; first += WAITING) {
    const verdicts = await Promise.all(
      Array.from({ length: Math.min(WAITING, count - first) }, (_, offset) =>
        admit(request('batched', first + offset)),
      ),
    );
    admitted += verdicts.filter((verdict) => verdict.admitted).length;
  }
  const batchedSeconds = (performance.now() - batchedStarted) / 1000;
  return {
    guard: count,
    one_at_a_time_admissions_per_s: round(count / singleSeconds),
    one_at_a_time_p50_ms: round(quantile(single, 0.5)),
    one_at_a_time_p99_ms: round(quantile(single, 0.99)),
    batched_admissions_per_s: round(count / batchedSeconds),
    batched_admitted: admitted,
  };
}
