import type http from 'node:http';
import type { AzureState } from './state';

export interface Request {
  method: string;
  /** The path with runs of slashes folded (the ARM SDK sends `//subscriptions/...` for a scope with a leading slash). */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  host: string;
  state: AzureState;
}

/** The answer to a request: status, JSON body (or none) and headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  path: RegExp;
  /** The operation a caller can be made to lack (ARM action names, Graph and Key Vault operations). */
  operation: string;
  handle(request: Request, params: string[]): Reply;
}

/** An error reply in the shape each API uses: `{"error": {"code", "message"}}` (Graph adds innerError). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {});
      } catch {
        reject(
          new ApiError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.'),
        );
      }
    });
    request.on('error', reject);
  });
}
