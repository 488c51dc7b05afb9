import type http from 'node:http';
import { readJsonBody } from '../kit/json-body';
import { GcpError } from './errors';
import type { GcpState } from './state';

export interface Request {
  method: string;
  /** Path segments as sent (still percent-encoded), so double-encoded names survive. */
  rawPath: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  state: GcpState;
  /** The caller's bearer token (empty for the emulator's own controls). */
  token: string;
}

/** One API method: its HTTP verb, raw path pattern, the IAM permission it needs, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: RegExp;
  permission: string;
  handle(request: Request, params: string[]): unknown;
}

/** A body beyond the limit or not a JSON object, refused in Google's words. */
export function readJson(request: http.IncomingMessage): Promise<Record<string, unknown>> {
  return readJsonBody(request, {
    tooLarge: () => new GcpError('INVALID_ARGUMENT', 'Request payload size exceeds the limit.'),
    invalid: () => new GcpError('INVALID_ARGUMENT', 'Invalid JSON payload received.'),
  });
}

export function send(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify(body));
}
