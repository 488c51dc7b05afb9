import http from 'node:http';
import { DENY_POLICY_ROUTES } from './deny-policies';
import { GcpError } from './errors';
import { readJson, type Route, send } from './http';
import { IAM_ADMIN_ROUTES } from './iam-admin';
import { PROJECT_ROUTES } from './projects';
import { SECRET_ROUTES } from './secrets';
import { EMULATOR_ROUTES } from './emulator-admin';
import { GcpState } from './state';

/** Every API method the server speaks; their permissions are what a caller can be made to lack. */
export const ROUTES: Route[] = [...IAM_ADMIN_ROUTES, ...DENY_POLICY_ROUTES, ...PROJECT_ROUTES, ...SECRET_ROUTES];

/**
 * A stateful local stand-in for the GCP APIs idra calls (IAM admin v1, IAM v2 deny policies, Resource
 * Manager v3, Secret Manager v1), speaking their REST protocol as the official clients send it: paths,
 * bodies, canonical error shapes, etags, finished long-running operations, key limits. Every call needs a
 * bearer token; `/emulator/*` seeds state and flips the failure switches for tests and the demo.
 */
export function createGcpServer(state = new GcpState()): http.Server {
  return http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // The path as sent: names inside it may be percent-encoded on purpose (deny policy attachment points).
    const rawPath = (request.url ?? '/').split('?')[0] ?? '/';
    readJson(request)
      .then((body) => {
        const admin = EMULATOR_ROUTES.find((route) => route.method === request.method && route.path.test(rawPath));
        if (admin)
          return send(
            response,
            200,
            admin.handle(
              { method: request.method ?? 'POST', rawPath, query: url.searchParams, body, state, token: '' },
              admin.path.exec(rawPath)?.slice(1) ?? [],
            ),
          );
        if (!request.headers.authorization?.startsWith('Bearer '))
          throw new GcpError(
            'UNAUTHENTICATED',
            'Request is missing required authentication credential. Expected OAuth 2 access token.',
          );
        const candidates = ROUTES.filter((route) => route.path.test(rawPath));
        const route = candidates.find((candidate) => candidate.method === request.method);
        if (!route)
          throw new GcpError(
            'NOT_FOUND',
            candidates.length
              ? `Method ${request.method} not allowed on ${rawPath}.`
              : `The requested URL ${rawPath} was not found on this server.`,
          );
        // Permissions belong to the caller: the token names it.
        const token = request.headers.authorization.slice('Bearer '.length);
        if (state.deniedPermissions.get(token)?.has(route.permission)) {
          throw new GcpError(
            'PERMISSION_DENIED',
            `Permission '${route.permission}' denied on resource (or it may not exist).`,
          );
        }
        send(
          response,
          200,
          route.handle(
            { method: request.method ?? 'GET', rawPath, query: url.searchParams, body, state, token },
            route.path.exec(rawPath)?.slice(1) ?? [],
          ),
        );
      })
      .catch((error: unknown) => {
        const known =
          error instanceof GcpError
            ? error
            : new GcpError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error));
        send(response, known.httpCode, known.body());
      });
  });
}
