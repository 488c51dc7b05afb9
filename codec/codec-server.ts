import type { PayloadCodec } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import http from 'node:http';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** The Temporal UI's origin (e.g. http://localhost:8233); browsers from any other origin are refused. */
  allowedOrigin: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The codec server the Temporal UI calls (`--ui-codec-endpoint`) to show decrypted payloads to people who
 * may see them: POST /encode and POST /decode with `{"payloads": [...]}` in Temporal's JSON form.
 */
export function createCodecServer({ codec, allowedOrigin, token }: CodecServerOptions): http.Server {
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
    if (origin !== undefined && origin !== allowedOrigin) return send(response, 403, { error: `origin ${origin} is not allowed` });
    const headers = origin ? cors : {};
    if (request.method === 'OPTIONS') {
      response.writeHead(204, headers);
      return response.end();
    }
    const operation = request.url === '/encode' ? 'encode' : request.url === '/decode' ? 'decode' : undefined;
    if (request.method !== 'POST' || !operation) return send(response, 404, { error: 'use POST /encode or POST /decode' }, headers);
    if (token && request.headers.authorization !== `Bearer ${token}`) return send(response, 401, { error: 'a valid bearer token is required' }, headers);

    readBody(request)
      .then(async (text) => {
        const body = JSON.parse(text) as { payloads?: JSONPayload[] };
        if (!Array.isArray(body.payloads)) return send(response, 400, { error: 'body must be {"payloads": [...]}' }, headers);
        const payloads = await codec[operation](body.payloads.map(JSONToPayload));
        send(response, 200, { payloads: payloads.map(payloadToJSON) }, headers);
      })
      .catch((error: unknown) => send(response, 400, { error: error instanceof Error ? error.message : String(error) }, headers));
  });
}
