import { notFound, validationFailed } from './errors';
import { accountBody, noContent, ok, type Request, type Route } from './http';
import type { OAuthApp, OAuthToken } from './state';

/** The OAuth app a `/applications/{client_id}` call is about: only that app itself may ask. */
function ownApp({ caller }: Request, clientId = ''): OAuthApp {
  if (caller.kind !== 'client' || caller.oauthApp.clientId !== clientId) throw notFound();
  return caller.oauthApp;
}

/** The app's token a body names (`access_token`); unknown is `missing` as GitHub says it, a token of another app too. */
function namedToken(request: Request, app: OAuthApp): [string, OAuthToken | undefined] {
  const value = request.body.access_token;
  if (value === undefined)
    throw validationFailed([{ resource: 'OauthAccess', field: 'access_token', code: 'missing_field' }]);
  if (typeof value !== 'string' || !value)
    throw validationFailed([{ resource: 'OauthAccess', field: 'access_token', code: 'invalid' }]);
  const token = request.state.oauthTokens.get(value);
  return [value, token?.clientId === app.clientId ? token : undefined];
}

function authorizationBody(request: Request, app: OAuthApp, value: string, token: OAuthToken) {
  return {
    id: token.id,
    url: `${request.baseUrl}/authorizations/${token.id}`,
    scopes: token.scopes,
    token: value,
    token_last_eight: value.slice(-8),
    hashed_token: null,
    app: { client_id: app.clientId, name: app.name, url: `https://github.com/${app.owner.login}` },
    note: null,
    note_url: null,
    updated_at: token.createdAt,
    created_at: token.createdAt,
    fingerprint: null,
    user: accountBody(token.user, request.baseUrl),
    expires_at: null,
  };
}

/**
 * An OAuth app's own endpoints (Basic auth with its client id and secret): check one of its tokens, and
 * revoke a user's grant (every token the app holds for that user). And `GET /user`, a token's user.
 */
export const OAUTH_APP_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/applications\/([^/]+)\/token$/,
    auth: 'client',
    handle: (request, [clientId]) => {
      const app = ownApp(request, clientId);
      const [value, token] = namedToken(request, app);
      if (!token) throw notFound();
      return ok(authorizationBody(request, app, value, token));
    },
  },
  {
    method: 'DELETE',
    path: /^\/applications\/([^/]+)\/grant$/,
    auth: 'client',
    handle: (request, [clientId]) => {
      const app = ownApp(request, clientId);
      const [, token] = namedToken(request, app);
      if (!token) throw validationFailed([{ resource: 'OauthAccess', field: 'access_token', code: 'invalid' }]);
      for (const [value, candidate] of request.state.oauthTokens)
        if (candidate.clientId === app.clientId && candidate.user.id === token.user.id)
          request.state.oauthTokens.delete(value);
      return noContent();
    },
  },
  {
    method: 'GET',
    path: /^\/user$/,
    auth: 'user',
    handle: (request) =>
      ok(accountBody((request.caller as Extract<Request['caller'], { kind: 'user' }>).token.user, request.baseUrl)),
  },
];
