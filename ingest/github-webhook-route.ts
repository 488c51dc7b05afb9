import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { AlertOwnerFinder } from './alert-owner';
import { githubSignatureValid } from './github-signature';
import { readAlertDelivery } from './github-secret-scanning';
import { bounded, errorText, header, RETRY_AFTER_S } from './route-kit';

/** GitHub caps webhook payloads at 25 MB; a secret-scanning alert's is a few KB (the repository's fields most of it). */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface GithubWebhookRouteOptions {
  github: { webhookSecret: string; ownerOfAlert: AlertOwnerFinder };
  /** Whether the route is configured (before the body is read). */
  onRequest: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The route's rate, spent by signed deliveries only, and its answer beyond it. */
  allowed: () => boolean;
  tooMany: (reply: FastifyReply) => FastifyReply;
  /** Hands a signal to Temporal and answers the sender. */
  start: (signals: unknown[], reply: FastifyReply) => Promise<FastifyReply>;
}

/**
 * `POST /v1/github/webhooks`: GitHub secret-scanning alerts (a repository's, an organization's or an app's
 * webhook). The signature is over the raw bytes, so this route keeps them (its own JSON parser, in its own
 * scope): the body is parsed only once the signature holds. The webhook names the alert, never the secret:
 * the credential's holder is found by reading the alert, and only then is a response started.
 */
export const githubWebhookRoute: FastifyPluginCallback<GithubWebhookRouteOptions> = (scope, options, done) => {
  const { github, onRequest, allowed, tooMany, start } = options;
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));
  scope.post('/v1/github/webhooks', { bodyLimit: WEBHOOK_BODY_LIMIT, onRequest }, async (request, reply) => {
    const raw = request.body as Buffer;
    if (!githubSignatureValid(github.webhookSecret, raw, header('x-hub-signature-256')(request)))
      return reply.code(401).send({ error: 'missing or wrong X-Hub-Signature-256' });
    if (!allowed()) return tooMany(reply);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply.code(400).send({ error: 'the body is not JSON' });
    }
    const delivery = readAlertDelivery(header('x-github-event')(request), header('x-github-delivery')(request), body);
    if ('problems' in delivery)
      return reply.code(400).send({ error: 'not a GitHub webhook idra reads', problems: bounded(delivery.problems) });
    if ('skipped' in delivery) return reply.code(202).send({ skipped: delivery.skipped });
    let mapped;
    try {
      mapped = delivery.toSignal(await github.ownerOfAlert(delivery.alert));
    } catch (error) {
      const type = (error as { type?: string }).type;
      // No such alert, or not where idra's app is installed: no redelivery changes that.
      if (type === 'NoSuchEntity' || type === 'WrongAccount')
        return reply.code(202).send({ skipped: errorText(error) });
      // GitHub or the credential's provider did not answer: nothing was started, so the redelivery is safe.
      console.error(`idra ingest: GitHub webhook ${delivery.alert.owner}/${delivery.alert.repo}: ${errorText(error)}`);
      return reply
        .code(503)
        .header('retry-after', RETRY_AFTER_S)
        .send({ error: 'the alert could not be read: redeliver it', retryAfterSeconds: Number(RETRY_AFTER_S) });
    }
    if ('skipped' in mapped) return reply.code(202).send({ skipped: mapped.skipped });
    return start([mapped.signal], reply);
  });
  done();
};
