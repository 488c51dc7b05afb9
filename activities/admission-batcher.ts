import { MAX_ADMISSIONS_PER_BATCH, type AdmissionRequest } from '../model/guard';
import type { Admission } from '../model/response';

interface Waiting {
  request: AdmissionRequest;
  resolve: (admission: Admission) => void;
  reject: (error: unknown) => void;
}

/**
 * Admission requests of one worker's responses, sent to the guard together. A request goes out at once
 * while fewer than `inFlight` batches are with the guard; the ones that arrive meanwhile wait and go out
 * together as the next batch. A quiet worker adds no delay; in a storm the guard takes one update (one
 * workflow task) per batch instead of one per response, and the server's limit on updates in flight per
 * workflow is never reached. A batch that fails fails each of its requests with the same error.
 */
export function createAdmissionBatcher(
  send: (requests: AdmissionRequest[]) => Promise<Admission[]>,
  inFlight = 2,
  batchSize = MAX_ADMISSIONS_PER_BATCH,
): (request: AdmissionRequest) => Promise<Admission> {
  const queue: Waiting[] = [];
  let sending = 0;

  const pump = (): void => {
    while (sending < inFlight && queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      sending++;
      const free = () => {
        sending--;
        pump();
      };
      send(batch.map((waiting) => waiting.request)).then(
        (verdicts) => {
          free();
          if (verdicts.length !== batch.length) {
            const short = new Error(`the guard answered ${verdicts.length} of ${batch.length} admission requests`);
            batch.forEach((waiting) => waiting.reject(short));
          } else batch.forEach((waiting, index) => waiting.resolve(verdicts[index]!));
        },
        (error: unknown) => {
          free();
          batch.forEach((waiting) => waiting.reject(error));
        },
      );
    }
  };

  return (request) =>
    new Promise<Admission>((resolve, reject) => {
      queue.push({ request, resolve, reject });
      pump();
    });
}
