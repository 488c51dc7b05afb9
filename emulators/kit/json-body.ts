import type http from 'node:http';

/** What every local server accepts in one request body, as the clouds cap theirs (1 MiB is the smallest cap idra meets). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Each API's own words for a body it refuses: too large, or not a JSON object. */
export interface BodyRefusals {
  tooLarge(): Error;
  invalid(): Error;
}

/**
 * Reads a request's JSON object body (none: `{}`), refusing one beyond MAX_BODY_BYTES as soon as it is
 * (the rest is not buffered) or one that is not a JSON object, with the errors the API itself answers.
 */
export function readJsonBody(request: http.IncomingMessage, refuse: BodyRefusals): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (!refused) {
        refused = true;
        reject(refuse.tooLarge());
      }
    });
    request.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        resolve(parsed as Record<string, unknown>);
      } catch {
        reject(refuse.invalid());
      }
    });
    request.on('error', reject);
  });
}
