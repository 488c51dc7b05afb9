import https from 'node:https';
import { ARM_ROUTES } from './arm';
import { EMULATOR_ROUTES } from './emulator-admin';
import { GRAPH_ROUTES } from './graph';
import { ApiError, readJson, type Reply, type Route } from './http';
import { KEY_VAULT_ROUTES } from './keyvault';
import { PIM_ROUTES } from './pim';
import { AzureState } from './state';

type Family = 'arm' | 'graph' | 'vault';
const FAMILIES: Record<Family, Route[]> = {
  arm: [...ARM_ROUTES, ...PIM_ROUTES],
  graph: GRAPH_ROUTES,
  vault: KEY_VAULT_ROUTES,
};

/** Every API method the server speaks; their operations are what a caller can be made to lack. */
export const ROUTES: Route[] = Object.values(FAMILIES).flat();

function familyOf(path: string): Family {
  if (path.startsWith('/v1.0/')) return 'graph';
  if (path.startsWith('/secrets/') || path.startsWith('/deletedsecrets/')) return 'vault';
  return 'arm';
}

/** Each API's answer to a missing token or a missing permission, in its own words. */
function unauthenticated(family: Family, request: { host: string; state: AzureState }): ApiError {
  if (family === 'graph') return new ApiError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  if (family === 'vault') {
    // Key Vault's challenge: the client learns where to get a token for which resource, then retries.
    const resource = `https://${request.host.split(':')[0] ?? ''}`;
    return new ApiError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', {
      'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${request.state.vaultTenant}", resource="${resource}"`,
    });
  }
  return new ApiError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
}

function forbidden(family: Family, operation: string, scope: string): ApiError {
  if (family === 'graph')
    return new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  if (family === 'vault')
    return new ApiError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource. Action: '${operation}'`,
    );
  return new ApiError(
    403,
    'AuthorizationFailed',
    `The client does not have authorization to perform action '${operation}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

function errorBody(family: Family, error: ApiError): unknown {
  const inner =
    family === 'graph' ? { innerError: { date: new Date().toISOString(), 'request-id': crypto.randomUUID() } } : {};
  return { error: { code: error.code, message: error.message, ...inner } };
}

/**
 * A stateful local stand-in for the Azure APIs idra calls — ARM role assignments (2022-04-01) and PIM's
 * role assignment schedule requests and schedules (2020-10-01: time-bound active assignments), Microsoft
 * Graph service principals (v1.0), Key Vault secrets — over HTTPS (the Azure SDK sends bearer tokens only
 * over TLS), with each API's own error shapes, status codes, paging (`nextLink`) and Key Vault's
 * authentication challenge. `/emulator/*` seeds state and flips the failure switch.
 */
export function createAzureServer(tls: { key: string; cert: string }, state = new AzureState()): https.Server {
  return https.createServer(tls, (request, response) => {
    // Parsed by hand: a path that starts with `//` would read as a host to the URL parser.
    const [rawPath = '/', rawQuery = ''] = (request.url ?? '/').split('?');
    const path = decodeURIComponent(rawPath.replace(/\/{2,}/g, '/'));
    const query = new URLSearchParams(rawQuery);
    const host = request.headers.host ?? 'localhost';
    const family = familyOf(path);
    const reply = (answer: Reply) => {
      response.writeHead(answer.status, {
        ...(answer.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...answer.headers,
      });
      response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    };
    readJson(request)
      .then((body) => {
        const context = { method: request.method ?? 'GET', path, query, body, host, state };
        const admin = EMULATOR_ROUTES.find((route) => route.method === request.method && route.path.test(path));
        if (admin) return reply(admin.handle(context, admin.path.exec(path)?.slice(1) ?? []));
        const routes = FAMILIES[family];
        const route = routes.find((candidate) => candidate.method === request.method && candidate.path.test(path));
        if (!route)
          throw new ApiError(
            404,
            family === 'graph' ? 'Request_BadRequest' : 'NotFound',
            `No route for ${request.method ?? ''} ${path}.`,
          );
        const token = request.headers.authorization?.startsWith('Bearer ')
          ? request.headers.authorization.slice('Bearer '.length)
          : undefined;
        if (!token) throw unauthenticated(family, { host, state });
        if (state.denied.get(token)?.has(route.operation))
          throw forbidden(family, route.operation, path.split('/providers/')[0] ?? path);
        // A time-bound assignment whose end came is gone before anything is served.
        if (family === 'arm') state.expireAssignments();
        reply(route.handle(context, route.path.exec(path)?.slice(1) ?? []));
      })
      .catch((error: unknown) => {
        const known =
          error instanceof ApiError
            ? error
            : new ApiError(500, 'InternalServerError', error instanceof Error ? error.message : String(error));
        reply({ status: known.status, body: errorBody(family, known), headers: known.headers });
      });
  });
}
