import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { recordSignal, type RespondResult } from '../clients/idra-client';
import { incidentOfSignal } from '../model/identity';
import { ValidationError } from '../model/validation';
import type { AlertOwnerFinder } from './alert-owner';
import { bounded, header, RETRY_AFTER_S } from './route-kit';
import { githubWebhookRoute } from './github-webhook-route';
import { signalOfGuardDutyFinding } from './guardduty';
import { rateWindow } from './rate-window';
import { sameSecret } from './shared-secret';

/** What the server needs: a way to start a response (the typed client's `respond`), each route's secret, a rate. */
export interface IngestOptions {
  respond(signal: unknown): Promise<RespondResult>;
  signalToken: string;
  eventBridgeKey?: string;
  /** GitHub secret-scanning webhooks: the webhook's secret, and how the credential an alert found is named. */
  github?: { webhookSecret: string; ownerOfAlert: AlertOwnerFinder };
  ratePerSecond: number;
  /** Signals about one identity a second: one response takes them in order, so a flood into it waits at its sender. */
  ratePerIdentity: number;
  /** How long a response may take to start before the sender is told to come back (503): Temporal is slow or away. */
  startWithinMs?: number;
}

/** EventBridge sends events of up to 256 KB; a signal is far smaller (its evidence at most 8 KB). */
const EVENT_BODY_LIMIT = 256 * 1024;

const SIGNAL_BODY_LIMIT = 64 * 1024;

class NotStarted extends Error {}

/**
 * idra's HTTP ingest: detection systems push findings in their own formats; each route checks its sender,
 * maps the finding to a signal and starts (or joins) the identity's response. It answers 202 only once the
 * signal is in Temporal — with the incident — and never for what is not: 400 names each bad field, 401 a
 * missing or wrong credential, 413 a body beyond its limit, 429 beyond the route's rate, 503 (with
 * Retry-After) when Temporal cannot take it. A repeated delivery (same signal id) is recorded once.
 */
export function createIngestServer(options: IngestOptions): FastifyInstance {
  const server = Fastify({ logger: false, bodyLimit: EVENT_BODY_LIMIT, return503OnClosing: true });
  const startWithinMs = options.startWithinMs ?? 10_000;
  // Findings are JSON: anything else is refused (415) rather than read as text.
  server.removeContentTypeParser('text/plain');

  const identityRate = rateWindow(options.ratePerIdentity);

  async function start(signal: unknown, reply: FastifyReply) {
    let timer: NodeJS.Timeout | undefined;
    try {
      // Checked here first (it throws a ValidationError), so a flood into one identity is refused unread by Temporal.
      if (!identityRate(incidentOfSignal(recordSignal(signal))))
        return reply
          .code(429)
          .header('retry-after', '1')
          .send({ error: 'too many signals about this identity: try again in a second' });
      const result = await Promise.race([
        options.respond(signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NotStarted('Temporal did not take the signal in time')), startWithinMs);
        }),
      ]);
      return reply.code(202).send({ incident: result.incident, joined: result.joined });
    } catch (error) {
      if (error instanceof ValidationError)
        return reply.code(400).send({ error: 'invalid signal', problems: bounded(error.problems) });
      // Not in Temporal, for whatever reason: the sender must try again (EventBridge and Pub/Sub do).
      return reply
        .code(503)
        .header('retry-after', RETRY_AFTER_S)
        .send({
          error: 'the signal could not be handed to Temporal: try again',
          retryAfterSeconds: Number(RETRY_AFTER_S),
        });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Refuses a request before its body counts: a route not configured, the wrong credential (where it is a
   * header: a signature over the body is checked once the body is read), or beyond the route's rate.
   */
  const guard = (expected: string | undefined, secret?: (request: FastifyRequest) => string | undefined) => {
    const allowed = rateWindow(options.ratePerSecond);
    return async (request: FastifyRequest, reply: FastifyReply) => {
      if (!expected) return reply.code(404).send({ error: 'this route is not configured' });
      if (secret && !sameSecret(secret(request), expected))
        return reply.code(401).send({ error: 'missing or wrong credential' });
      if (!allowed())
        return reply.code(429).header('retry-after', '1').send({ error: 'too many findings: try again in a second' });
    };
  };
  const bearer = (request: FastifyRequest) => /^Bearer (\S+)$/.exec(header('authorization')(request) ?? '')?.[1];

  // idra's own signal (docs/signals.md), for SIEM rules and agent gateways: a bearer token.
  server.post(
    '/v1/signals',
    { bodyLimit: SIGNAL_BODY_LIMIT, onRequest: guard(options.signalToken, bearer) },
    (request, reply) => start(request.body, reply),
  );

  // An EventBridge rule's API destination: GuardDuty findings, with the connection's API key header.
  server.post(
    '/v1/aws/eventbridge',
    { onRequest: guard(options.eventBridgeKey, header('x-idra-api-key')) },
    (request, reply) => {
      const mapped = signalOfGuardDutyFinding(request.body);
      if ('problems' in mapped)
        return reply
          .code(400)
          .send({ error: 'not a GuardDuty finding idra reads', problems: bounded(mapped.problems) });
      if ('skipped' in mapped) return reply.code(202).send({ skipped: mapped.skipped });
      return start(mapped.signal, reply);
    },
  );

  // GitHub secret-scanning alerts: the signature is over the body, so the route checks it once it is read.
  if (options.github)
    void server.register(githubWebhookRoute, {
      github: options.github,
      onRequest: guard(options.github.webhookSecret),
      start,
    });
  else server.post('/v1/github/webhooks', { onRequest: guard(undefined) }, () => undefined);

  // Fastify's own refusals (body too large, not JSON, no body) in the same shape as the routes'.
  server.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  server.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such route' }));
  return server;
}
