import { z } from 'zod';
import type { LeakedCredentialOwner } from '../providers/provider';
import type { AlertRef } from '../providers/github/sdk/secret-scanning-alert';
import { problemsOf } from './route-kit';
import { githubLogin, githubRepositoryName } from '../providers/github/identity';

/** The actions of a `secret_scanning_alert` event that mean a secret is exposed now (resolved, assigned, ... do not). */
const EXPOSING = ['created', 'reopened', 'publicly_leaked', 'validated'] as const;

/** The parts of a `secret_scanning_alert` webhook idra reads (GitHub's webhook schema; the rest is ignored). */
const alertEvent = z.object({
  action: z.string().max(100),
  alert: z.object({
    number: z.number().int().positive(),
    secret_type: z.string().max(200).optional(),
    secret_type_display_name: z.string().max(200).nullish(),
    validity: z.enum(['active', 'inactive', 'unknown']).nullish(),
    html_url: z.url().max(2000).optional(),
    publicly_leaked: z.boolean().nullish(),
    created_at: z.iso.datetime({ offset: true }).optional(),
    updated_at: z.iso.datetime({ offset: true }).nullish(),
  }),
  repository: z.object({ name: githubRepositoryName, owner: z.object({ login: githubLogin }) }),
});
type AlertEvent = z.infer<typeof alertEvent>;

/** A delivery id is a GUID; it becomes the signal id, so GitHub's redelivery of one event is recorded once. */
const deliveryId = z.string().regex(/^[\w-]{1,100}$/, 'must be a GitHub delivery id (X-GitHub-Delivery)');

/** What a webhook delivery asks of idra: nothing (skipped, or a problem), or to find an alert's credential. */
export type AlertDelivery =
  | { problems: string[] }
  | { skipped: string }
  | {
      alert: AlertRef;
      toSignal(owner: LeakedCredentialOwner): { signal: Record<string, unknown> } | { skipped: string };
    };

/**
 * Reads one delivery to the GitHub webhook: `ping` (sent when the webhook is made) and events other than
 * exposing secret-scanning alerts are skipped; an exposing alert names the alert whose secret is to be read.
 */
export function readAlertDelivery(
  event: string | undefined,
  delivery: string | undefined,
  body: unknown,
): AlertDelivery {
  const id = deliveryId.safeParse(delivery);
  if (!id.success) return { problems: problemsOf(id.error, 'X-GitHub-Delivery: ') };
  if (event === 'ping') return { skipped: 'ping: the webhook reaches idra' };
  if (event !== 'secret_scanning_alert')
    return { skipped: `a ${event ?? 'nameless'} event: idra reads secret_scanning_alert events only` };
  const parsed = alertEvent.safeParse(body);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  const { action, alert, repository } = parsed.data;
  if (!(EXPOSING as readonly string[]).includes(action))
    return { skipped: `a secret_scanning_alert ${action}: only ${EXPOSING.join(', ')} expose a secret` };
  if (action === 'validated' && alert.validity === 'inactive')
    return { skipped: 'a secret_scanning_alert validated inactive: the secret no longer works' };
  const ref: AlertRef = { owner: repository.owner.login, repo: repository.name, number: String(alert.number) };
  return {
    alert: ref,
    toSignal: (owner) => ('skipped' in owner ? owner : { signal: signalOf(parsed.data, ref, id.data, owner.identity) }),
  };
}

function signalOf(event: AlertEvent, ref: AlertRef, delivery: string, identity: unknown): Record<string, unknown> {
  const { alert, action } = event;
  const what = alert.secret_type_display_name ?? alert.secret_type ?? 'a secret';
  // Known to work, or out in public: the worst case. GitHub could not tell: still a leak.
  const critical = alert.validity === 'active' || alert.publicly_leaked === true || action === 'publicly_leaked';
  return {
    id: `github-delivery:${delivery}`,
    source: 'github-secret-scanning',
    type: 'credential.leaked',
    severity: critical ? 'critical' : 'high',
    observedAt: alert.updated_at ?? alert.created_at ?? new Date().toISOString(),
    identity,
    alert: { provider: 'github', ...ref },
    evidence: {
      summary: `${what} found in ${ref.owner}/${ref.repo} (secret-scanning alert ${ref.number}, ${action})`,
      details: {
        secretType: alert.secret_type ?? null,
        validity: alert.validity ?? null,
        action,
        ...(alert.html_url ? { url: alert.html_url } : {}),
      },
    },
  };
}
