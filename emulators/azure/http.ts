import type http from 'node:http';
import { readJsonBody } from '../kit/json-body';
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

/** A body beyond the limit or not a JSON object, refused in ARM's words. */
export function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return readJsonBody(request, {
    tooLarge: () => new ApiError(413, 'RequestEntityTooLarge', 'The request content exceeds the maximum size.'),
    invalid: () =>
      new ApiError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.'),
  });
}
