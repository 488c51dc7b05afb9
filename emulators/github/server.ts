import http from 'node:http';
import { readJsonBody } from '../kit/json-body';
import { APP_ROUTES } from './apps';
import { authorize, identify } from './auth';
import { DEPLOY_KEY_ROUTES } from './deploy-keys';
import { ENTERPRISE_INSTALLATION_ROUTES } from './enterprise-installations';
import { seed } from './emulator-admin';
import { GithubError } from './errors';
import type { Reply, Request, Route } from './http';
import { OAUTH_APP_ROUTES } from './oauth-apps';
import { ORG_SECRET_ROUTES } from './org-secrets';
import { PERSONAL_ACCESS_TOKEN_ROUTES } from './personal-access-tokens';
import { countRequest } from './rate-limits';
import { REPOSITORY_ROUTES } from './repositories';
import { SECRET_SCANNING_ROUTES } from './secret-scanning';
import { GithubState, type SecondaryLimit } from './state';

/** Every REST operation the server speaks. */
export const ROUTES: Route[] = [
  ...APP_ROUTES,
  ...DEPLOY_KEY_ROUTES,
  ...REPOSITORY_ROUTES,
  ...SECRET_SCANNING_ROUTES,
  ...PERSONAL_ACCESS_TOKEN_ROUTES,
  ...ORG_SECRET_ROUTES,
  ...ENTERPRISE_INSTALLATION_ROUTES,
  ...OAUTH_APP_ROUTES,
];

/** The REST API versions GitHub serves (the header is optional: none means the oldest). */
const API_VERSIONS = ['2022-11-28', '2026-03-10'];

const refusals = {
  tooLarge: () => new GithubError(413, 'Request body too large'),
  invalid: () => new GithubError(400, 'Problems parsing JSON'),
};

/** The emulator's own controls (no GitHub API): seed state, set rate limits. */
function admin(state: GithubState, path: string, body: Record<string, unknown>): Reply | undefined {
  if (path === '/emulator/seed') return { status: 200, body: seed(state, body) };
  if (path === '/emulator/rate-limits') {
    // For one installation (or an app's own JWT calls): its hourly budget, and a secondary limit on its next requests.
    const { installationId, appId, secondary, limit } = body as {
      installationId?: number;
      appId?: number;
      secondary?: SecondaryLimit;
      limit?: number;
    };
    const bucket = installationId ?? -(appId ?? 0);
    if (secondary) state.rateLimits.secondary.set(bucket, secondary);
    if (limit !== undefined) state.rateLimits.limits.set(bucket, limit);
    return { status: 200, body: {} };
  }
  return undefined;
}

async function answer(state: GithubState, request: http.IncomingMessage): Promise<Reply> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const body = await readJsonBody(request, refusals);
  if (request.method === 'POST') {
    const control = admin(state, url.pathname, body);
    if (control) return control;
  }
  const version = request.headers['x-github-api-version'];
  if (typeof version === 'string' && !API_VERSIONS.includes(version))
    throw new GithubError(400, `API version ${version} is not supported.`);
  const caller = await identify(state, request.headers.authorization);
  const candidates = ROUTES.filter((candidate) => candidate.path.test(url.pathname));
  const route = candidates.find((candidate) => candidate.method === request.method);
  // GitHub answers 404 for a path it does not serve, and for a verb it does not take on one it does.
  if (!route) throw new GithubError(404, 'Not Found');
  authorize(route, caller);
  const limits = countRequest(state, caller);
  const context: Request = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    body,
    baseUrl: `http://${request.headers.host ?? 'localhost'}`,
    state,
    caller,
  };
  const reply = await route.handle(context, route.path.exec(url.pathname)?.slice(1) ?? []);
  return { ...reply, headers: { ...limits, ...reply.headers } };
}

/**
 * A stateful local GitHub for the REST operations idra calls, as `@octokit/rest` and `@octokit/auth-app`
 * speak to api.github.com: app JWTs (RS256, at most ten minutes) for the `/app` endpoints and `ghs_`
 * installation tokens (with the installation's permissions) for the rest, each endpoint refusing the other
 * kind; 404 for what the caller may not see; 422 `Validation Failed` with `errors[]`; `Link` pagination;
 * `x-ratelimit-*` headers, the hour's budget and secondary limits (403/429 with `retry-after`);
 * `X-GitHub-Api-Version`. `/emulator/*` seeds state and sets limits for tests and the demo.
 */
export function createGithubServer(state = new GithubState()): http.Server {
  return http.createServer((request, response) => {
    void answer(state, request)
      .catch((error: unknown) => {
        const known = error instanceof GithubError ? error : new GithubError(500, String(error));
        return { status: known.status, body: known.body(), headers: known.extra.headers };
      })
      .then((reply: Reply) => {
        response.writeHead(reply.status, {
          'x-github-api-version-selected': API_VERSIONS[0] ?? '',
          'x-github-request-id': crypto.randomUUID(),
          ...(reply.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...reply.headers,
        });
        response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
  });
}
