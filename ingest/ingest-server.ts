import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { recordSignal, type RespondResult } from '../clients/idra-client';
import { incidentOfSignal } from '../model/identity';
import { ValidationError } from '../model/validation';
import type { AlertOwnerFinder } from './alert-owner';
import { bearerToken, bounded, errorText, header, RETRY_AFTER_S } from './route-kit';
import { githubWebhookRoute } from './github-webhook-route';
import { type PubsubPushAuth, pushAuthentic, pushedMessage } from './pubsub-push';
import { signalOfSccNotification } from './scc';
import { type Findings, findingsOfEventBridgeEvent, type KeyOwnerLookup } from './eventbridge';
import { findingsOfOcsf } from './ocsf';
import { rateWindow } from './rate-window';
import { sameSecret } from './shared-secret';

/** What the server needs: a way to start a response (the typed client's `respond`), each route's secret, a rate. */
export interface IngestOptions {
  respond(signal: unknown): Promise<RespondResult>;
  signalToken: string;
  eventBridgeKey?: string;
  /** GitHub secret-scanning webhooks: the webhook's secret, and how the credential an alert found is named. */
  github?: { webhookSecret: string; ownerOfAlert: AlertOwnerFinder };
  /** Pub/Sub push of Security Command Center notifications: who may push (its OIDC token's audience, account, keys). */
  pubsub?: PubsubPushAuth;
  /** Names the IAM user of an access key a finding names alone (AWS Health's, Security Hub's, OCSF's, an alert's). */
  ownerOfAccessKey: KeyOwnerLookup;
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

  /**
   * Hands a finding's signals to Temporal and answers the sender: each is checked first (one bad: 400, none
   * started), then started or joined in turn. The answer is the one incident, or — for an event that named
   * several credentials, or some idra skipped — each incident and each skip. One not taken: 503, and the
   * sender's retry joins those that were (their ids are the finding's), recording each once.
   */
  async function start(signals: unknown[], reply: FastifyReply, skipped: string[] = []) {
    let recorded;
    try {
      recorded = signals.map((signal) => recordSignal(signal));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return reply.code(400).send({ error: 'invalid signal', problems: bounded(error.problems) });
    }
    // Checked before Temporal is asked, so a flood into one identity is refused unread by Temporal.
    // Each identity once per request: a batch's findings about one identity are one response's to take in order.
    if (![...new Set(recorded.map(incidentOfSignal))].every((incident) => identityRate(incident)))
      return reply
        .code(429)
        .header('retry-after', '1')
        .send({ error: 'too many signals about this identity: try again in a second' });
    let timer: NodeJS.Timeout | undefined;
    try {
      const results = await Promise.race([
        (async () => {
          const taken = [];
          for (const signal of signals) taken.push(await options.respond(signal));
          return taken;
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NotStarted('Temporal did not take the signal in time')), startWithinMs);
        }),
      ]);
      const incidents = results.map(({ incident, joined }) => ({ incident, joined }));
      return reply.code(202).send(incidents.length === 1 && !skipped.length ? incidents[0] : { incidents, skipped });
    } catch {
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

  const tooMany = (reply: FastifyReply) =>
    reply.code(429).header('retry-after', '1').send({ error: 'too many findings: try again in a second' });

  /**
   * Refuses a request before its body counts: a route not configured (no check), a credential its check
   * refuses (a signature over the body is checked once the body is read), or beyond the route's rate.
   */
  const guard = (
    check: ((request: FastifyRequest) => boolean | Promise<boolean>) | undefined,
    allowed: () => boolean = rateWindow(options.ratePerSecond),
  ) => {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      if (!check) return reply.code(404).send({ error: 'this route is not configured' });
      if (!(await check(request))) return reply.code(401).send({ error: 'missing or wrong credential' });
      if (!allowed()) return tooMany(reply);
    };
  };
  /** A check that the header holds the route's secret (none configured: no check, the route is off). */
  const secretIn = (name: string, expected: string | undefined) =>
    expected ? (request: FastifyRequest) => sameSecret(header(name)(request), expected) : undefined;
  const bearer = (request: FastifyRequest) => bearerToken(header('authorization')(request));
  /** idra's own bearer token: detectors that post idra's formats (its signal, OCSF). */
  const withToken = (request: FastifyRequest) => sameSecret(bearer(request), options.signalToken);

  // idra's own signal (docs/signals.md), for SIEM rules and agent gateways: a bearer token.
  server.post('/v1/signals', { bodyLimit: SIGNAL_BODY_LIMIT, onRequest: guard(withToken) }, (request, reply) =>
    start([request.body], reply),
  );

  /** Answers with what a mapping found: a bad body (400), nothing to act on (202 skipped), or its signals started. */
  async function startFindings(read: () => Promise<Findings>, reply: FastifyReply, format: string) {
    let findings;
    try {
      findings = await read();
    } catch (error) {
      // IAM did not answer who holds a key (or may not be asked): nothing was started, and the sender retries.
      console.error(`idra ingest: ${format}: ${errorText(error)}`);
      return reply
        .code(503)
        .header('retry-after', RETRY_AFTER_S)
        .send({ error: 'the finding could not be read: try again', retryAfterSeconds: Number(RETRY_AFTER_S) });
    }
    if ('problems' in findings)
      return reply.code(400).send({ error: `not ${format} idra reads`, problems: bounded(findings.problems) });
    if (!findings.signals.length) return reply.code(202).send({ skipped: findings.skipped.join('; ') });
    return start(findings.signals, reply, findings.skipped);
  }

  // An EventBridge rule's API destination: GuardDuty, AWS Health and Security Hub, with the connection's API key header.
  server.post(
    '/v1/aws/eventbridge',
    { onRequest: guard(secretIn('x-idra-api-key', options.eventBridgeKey)) },
    (request, reply) =>
      startFindings(() => findingsOfEventBridgeEvent(request.body, options.ownerOfAccessKey), reply, 'an event'),
  );

  // OCSF Detection Findings (one, or a batch) from a SIEM or a security data lake, with idra's bearer token.
  server.post('/v1/ocsf', { onRequest: guard(withToken) }, (request, reply) =>
    startFindings(() => findingsOfOcsf(request.body, options.ownerOfAccessKey), reply, 'an OCSF Detection Finding'),
  );

  // GitHub secret-scanning alerts: the signature is over the body, so the route checks it — and then its
  // rate, so forged deliveries never spend the budget of GitHub's — once the body is read.
  if (options.github)
    void server.register(githubWebhookRoute, {
      github: options.github,
      onRequest: guard(
        () => true,
        () => true,
      ),
      allowed: rateWindow(options.ratePerSecond),
      tooMany,
      start,
    });
  else server.post('/v1/github/webhooks', { onRequest: guard(undefined) }, () => undefined);

  // Google Security Command Center findings through a Pub/Sub push subscription, with its OIDC token.
  const pubsub = options.pubsub;
  server.post(
    '/v1/gcp/pubsub',
    { onRequest: guard(pubsub && ((request) => pushAuthentic(pubsub, header('authorization')(request)))) },
    (request, reply) => {
      const message = pushedMessage(request.body);
      const mapped = 'problems' in message ? message : signalOfSccNotification(message.data);
      if ('problems' in mapped)
        return reply
          .code(400)
          .send({ error: 'not an SCC notification idra reads', problems: bounded(mapped.problems) });
      if ('skipped' in mapped) return reply.code(202).send({ skipped: mapped.skipped });
      return start([mapped.signal], reply);
    },
  );

  // Fastify's own refusals (body too large, not JSON, no body) in the same shape as the routes'.
  server.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal error' : error.message });
  });
  server.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'no such route' }));
  return server;
}
