import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

/**
 * Where a fault strikes. `before`: the provider never sees the call. `after`: the call is forwarded and
 * done, and its answer lost (dropped, or replaced by an error) — the case that tests idempotency.
 */
export const FAULT_KINDS = ['error-before', 'throttle-before', 'drop-before', 'drop-after', 'error-after'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One call as the proxy saw it. */
export interface ProxiedCall {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  fault?: FaultKind;
  /** Whether the call reached the provider. */
  forwarded: boolean;
}

export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How a provider says "internal error" and "slow down", for the call being answered. */
export interface ProviderFaults {
  error(call: ProxiedCall): FaultAnswer;
  throttle(call: ProxiedCall): FaultAnswer;
}

export interface FaultProxyOptions {
  /** The provider (or its emulator), e.g. http://127.0.0.1:5000. */
  target: string;
  /** Share of calls that get a fault, 0..1. */
  share: number;
  /** Seeds the choice of calls and faults, so a run can be repeated. */
  seed: number;
  faults: ProviderFaults;
  kinds?: readonly FaultKind[];
}

export interface FaultProxy {
  endpoint: string;
  /** Every call so far, in arrival order. */
  calls: ProxiedCall[];
  /** How many calls met each fault. */
  faulted(): Record<FaultKind, number>;
  /** Switches faults off (or on again with another share). */
  setShare(share: number): void;
  stop(): Promise<void>;
}

/** A small deterministic generator (mulberry32): the same seed picks the same calls. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function answer(response: http.ServerResponse, { status, headers, body }: FaultAnswer): void {
  response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/**
 * An HTTP proxy between the workers and a provider that answers a share of calls with a fault: a 5xx, a
 * throttling error, or a dropped connection, before or after forwarding. Reusable in front of moto and the
 * local GCP and Azure servers: only `faults` (the provider's error shapes) differs.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const kinds = options.kinds ?? FAULT_KINDS;
  const next = random(options.seed);
  let share = options.share;
  const calls: ProxiedCall[] = [];

  const server = http.createServer((request, response) => {
    void (async () => {
      const body = await buffer(request);
      const call: ProxiedCall = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: request.headers,
        body: body.toString('utf8'),
        forwarded: false,
      };
      calls.push(call);
      if (next() < share) call.fault = kinds[Math.floor(next() * kinds.length)];
      if (call.fault === 'drop-before') return void request.socket.destroy();
      if (call.fault === 'error-before') return answer(response, options.faults.error(call));
      if (call.fault === 'throttle-before') return answer(response, options.faults.throttle(call));

      const upstream = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          const forwarded = http.request(
            {
              host: target.hostname,
              port: target.port,
              method: call.method,
              path: call.path,
              headers: { ...request.headers, host: target.host },
            },
            (reply) => {
              buffer(reply).then(
                (replyBody) => resolve({ status: reply.statusCode ?? 502, headers: reply.headers, body: replyBody }),
                reject,
              );
            },
          );
          forwarded.on('error', reject);
          forwarded.end(body);
        },
      );
      call.forwarded = true;
      if (call.fault === 'drop-after') return void request.socket.destroy();
      if (call.fault === 'error-after') return answer(response, options.faults.error(call));
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    })().catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    faulted: () =>
      Object.fromEntries(
        FAULT_KINDS.map((kind) => [kind, calls.filter((call) => call.fault === kind).length]),
      ) as Record<FaultKind, number>,
    setShare: (value) => (share = value),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
