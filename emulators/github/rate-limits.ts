import { GithubError } from './errors';
import type { Caller } from './http';
import type { GithubState } from './state';

const HOUR_MS = 3_600_000;
const LIMITS_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

/** Whose hour a request counts against: an app's JWT calls and an OAuth app's apart from its installations (negated ids), a user's per user. */
function bucketOf(caller: Exclude<Caller, { kind: 'anonymous' }>): { bucket: number; who: string } {
  switch (caller.kind) {
    case 'app':
      return { bucket: -caller.app.id, who: `app ID ${caller.app.id}` };
    case 'client':
      return { bucket: -caller.oauthApp.id, who: `OAuth app ID ${caller.oauthApp.id}` };
    case 'installation':
      return { bucket: caller.installation.id, who: `installation ID ${caller.installation.id}` };
    case 'user':
      return { bucket: caller.token.user.id, who: `user ID ${caller.token.user.id}` };
  }
}

/**
 * Counts one request against the caller's hour (an installation's, or the app's own for JWT calls) and says
 * the `x-ratelimit-*` headers GitHub sends; throws GitHub's refusal when a secondary limit is set or the
 * hour's budget is spent (403 with `x-ratelimit-remaining: 0`, or 403/429 with `retry-after`).
 */
export function countRequest(state: GithubState, caller: Caller): Record<string, string> {
  if (caller.kind === 'anonymous') return {};
  const limits = state.rateLimits;
  if (Date.now() >= limits.resetAt) {
    limits.used.clear();
    limits.resetAt = Date.now() + HOUR_MS;
  }
  const { bucket, who } = bucketOf(caller);
  const reset = String(Math.ceil(limits.resetAt / 1000));
  const limit = limits.limits.get(bucket) ?? limits.limit;
  const secondary = limits.secondary.get(bucket);
  if (secondary && secondary.requests > 0) {
    secondary.requests--;
    throw new GithubError(
      secondary.status,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      {
        documentationUrl: `${LIMITS_DOCS}#about-secondary-rate-limits`,
        headers: { 'retry-after': String(secondary.retryAfter) },
      },
    );
  }
  const used = (limits.used.get(bucket) ?? 0) + 1;
  const headers = (count: number) => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(Math.max(0, limit - count)),
    'x-ratelimit-reset': reset,
    'x-ratelimit-used': String(count),
    'x-ratelimit-resource': 'core',
  });
  if (used > limit) {
    throw new GithubError(403, `API rate limit exceeded for ${who}.`, {
      documentationUrl: LIMITS_DOCS,
      headers: headers(limit),
    });
  }
  limits.used.set(bucket, used);
  return headers(used);
}
