import type http from 'node:http';
import { GcpError } from './errors';
import type { GcpState } from './state';

export interface Request {
  method: string;
  /** Path segments as sent (still percent-encoded), so double-encoded names survive. */
  rawPath: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  state: GcpState;
}

/** One API method: its HTTP verb, raw path pattern, the IAM permission it needs, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: RegExp;
  permission: string;
  handle(request: Request, params: string[]): unknown;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new GcpError('INVALID_ARGUMENT', 'Request payload size exceeds the limit.'));
      else chunks.push(chunk);
    });
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text) return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        resolve(parsed as Record<string, unknown>);
      } catch {
        reject(new GcpError('INVALID_ARGUMENT', 'Invalid JSON payload received.'));
      }
    });
    request.on('error', reject);
  });
}

export function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}
