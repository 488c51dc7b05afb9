import type { PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import http from 'node:http';
import type { CodecAccess } from './codec-access';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The Temporal UI's origin (e.g. http://localhost:8233); browsers from any other origin are refused. */
  allowedOrigin: string;
  /** Who may decode: every request is authenticated (see codec-access.ts). */
  access: CodecAccess;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Payloads per request: the UI sends those of one history page. */
const MAX_PAYLOADS = 1_000;

class TooLarge extends Error {}

function send(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new TooLarge());
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The codec server the Temporal UI calls to show decrypted payloads to people who may see them: POST /encode
 * and POST /decode with `{"payloads": [...]}` in Temporal's JSON form, for authenticated callers only;
 * GET /login?token=<analyst token for idra-codec> opens a browser session and sends the browser to the UI.
 */
export function createCodecServer({ codec, allowedOrigin, access }: CodecServerOptions): http.Server {
  const cors = {
    'access-control-allow-origin': allowedOrigin,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'content-type, x-namespace, authorization',
    'access-control-allow-credentials': 'true',
    vary: 'origin',
  };
  return http.createServer((request, response) => {
    const origin = request.headers.origin;
    // Requests without an Origin come from tools (curl, the CLI); browsers always send one.
    if (origin !== undefined && origin !== allowedOrigin)
      return send(response, 403, { error: `origin ${origin} is not allowed` });
    const headers = origin ? cors : {};
    if (request.method === 'OPTIONS') {
      response.writeHead(204, headers);
      return response.end();
    }
    const url = new URL(request.url ?? '/', 'http://codec');
    if (request.method === 'GET' && url.pathname === '/login')
      return void startSession(url.searchParams.get('token') ?? '', response);
    const operation = url.pathname === '/encode' ? 'encode' : url.pathname === '/decode' ? 'decode' : undefined;
    if (request.method !== 'POST' || !operation)
      return send(response, 404, { error: 'use POST /encode or POST /decode' }, headers);

    // Errors are fixed sentences: the body may hold plaintext (encode) and must never be echoed back.
    access
      .authenticate(request)
      .then(async (verdict) => {
        if ('status' in verdict) {
          request.resume();
          return send(
            response,
            verdict.status,
            { error: verdict.error },
            { ...headers, ...(verdict.status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
          );
        }
        const text = await readBody(request);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return send(response, 400, { error: 'the body is not JSON' }, headers);
        }
        const payloads = (body as { payloads?: unknown } | null)?.payloads;
        if (!Array.isArray(payloads))
          return send(response, 400, { error: 'body must be {"payloads": [...]}' }, headers);
        if (payloads.length > MAX_PAYLOADS)
          return send(response, 413, { error: `at most ${MAX_PAYLOADS} payloads per request` }, headers);
        let converted;
        try {
          converted = (payloads as JSONPayload[]).map(JSONToPayload);
        } catch {
          return send(
            response,
            400,
            { error: 'payloads must be Temporal JSON payloads ({"metadata": {...}, "data": "<base64>"})' },
            headers,
          );
        }
        let result;
        try {
          result = await codec[operation](converted);
        } catch {
          return send(
            response,
            400,
            { error: `the payloads cannot be ${operation}d with this server's keys` },
            headers,
          );
        }
        send(response, 200, { payloads: result.map(payloadToJSON) }, headers);
      })
      .catch((error: unknown) =>
        send(
          response,
          error instanceof TooLarge ? 413 : 400,
          {
            error:
              error instanceof TooLarge
                ? `the body is larger than ${MAX_BODY_BYTES} bytes`
                : 'the request could not be read',
          },
          headers,
        ),
      );
  });

  async function startSession(token: string, response: http.ServerResponse): Promise<void> {
    const session = await access.login(token);
    if ('status' in session) return send(response, session.status, { error: session.error });
    response.writeHead(303, { 'set-cookie': session.setCookie, location: allowedOrigin, 'cache-control': 'no-store' });
    response.end();
  }
}
