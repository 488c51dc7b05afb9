import { decodeJwt, errors as joseErrors, importSPKI, jwtVerify } from 'jose';
import { GithubError, notAccessible, notFound } from './errors';
import type { Caller, Route } from './http';
import type { GithubState } from './state';

/** GitHub refuses an app JWT that lives longer than ten minutes. */
const MAX_JWT_LIFETIME_S = 600;

const badCredentials = () => new GithubError(401, 'Bad credentials');
const undecodable = () => new GithubError(401, 'A JSON web token could not be decoded');

/**
 * Who an `Authorization` header says is calling. GitHub takes `Bearer` and `token` alike; a JWT is an app
 * (its `iss` the app id or client id, RS256 with the app's key, at most ten minutes long), a `ghs_` token an
 * installation. A credential that fails its check is refused whatever the route.
 */
export async function identify(state: GithubState, header: string | undefined): Promise<Caller> {
  if (!header) return { kind: 'anonymous' };
  const basic = /^basic\s+(\S+)$/i.exec(header.trim());
  if (basic?.[1]) {
    const [clientId = '', secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    const oauthApp = state.oauthApps.get(clientId);
    if (!oauthApp || oauthApp.clientSecret !== secret) throw badCredentials();
    return { kind: 'client', oauthApp };
  }
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw badCredentials();
  const credential = match[1];
  if (credential.split('.').length === 3) return { kind: 'app', app: await verifyAppJwt(state, credential) };
  const userToken = state.oauthTokens.get(credential);
  if (userToken) return { kind: 'user', token: userToken };
  const token = state.tokens.get(credential);
  if (!token || token.expiresAt <= Date.now()) throw badCredentials();
  const installation = state.installations.get(token.installationId);
  if (!installation) throw badCredentials();
  return { kind: 'installation', installation, token };
}

async function verifyAppJwt(state: GithubState, jwt: string) {
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    throw undecodable();
  }
  const app = [...state.apps.values()].find(
    (candidate) => String(candidate.id) === String(claims.iss) || candidate.clientId === claims.iss,
  );
  if (!app) throw undecodable();
  if (typeof claims.iat !== 'number')
    throw new GithubError(
      401,
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    );
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now())
    throw new GithubError(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    );
  if (claims.exp - claims.iat > MAX_JWT_LIFETIME_S)
    throw new GithubError(401, "'Expiration time' claim ('exp') is too far in the future.");
  try {
    await jwtVerify(jwt, await importSPKI(app.publicKeyPem, 'RS256'), { algorithms: ['RS256'] });
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw undecodable();
    throw error;
  }
  return app;
}

const LEVELS = { read: 1, write: 2 } as const;

/** Refuses a caller the route does not take: the wrong kind of credential, or an installation lacking the permission. */
export function authorize(route: Route, caller: Caller): void {
  if (caller.kind === 'anonymous') throw new GithubError(401, 'Requires authentication');
  // An installation token is no JWT: GitHub's app endpoints answer that they cannot decode it.
  if (route.auth === 'app' && caller.kind !== 'app') throw undecodable();
  if (route.auth === 'installation' && caller.kind !== 'installation') throw notAccessible();
  // An OAuth app's own endpoints are absent to anyone but the app; a user's to anyone but a user.
  if (route.auth === 'client' && caller.kind !== 'client') throw notFound();
  if (route.auth === 'user' && caller.kind !== 'user') throw notAccessible();
  if (caller.kind !== 'installation') return;
  // A suspended installation's tokens stop working at once, whatever they were made for.
  if (caller.installation.suspendedAt) throw new GithubError(403, 'This installation has been suspended');
  if (!route.permission) return;
  const [name = '', level = 'read'] = route.permission.split('=');
  const held = caller.token.permissions[name];
  if (!held || LEVELS[held] < LEVELS[level as keyof typeof LEVELS]) throw notAccessible(route.permission);
}
