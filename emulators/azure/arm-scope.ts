import { ApiError, type Request } from './http';
import type { RoleAssignment } from './state';

// What ARM's authorization resources share: scopes, names, api-version checks.

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Results per page of a list: small, so clients must follow nextLink. */
export const PAGE = 3;
/**
 * Every scope the 2022-04-01 specification lets a role assignment live at, below a subscription: the
 * subscription, a resource group, or a resource in it — its provider namespace, then type/name pairs
 * (`/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/logs`).
 */
export const SCOPE =
  '((?:/subscriptions/[^/]+)(?:/resourceGroups/[^/]+(?:/providers/(?!Microsoft\\.Authorization/)[^/]+(?:/(?!providers/)[^/]+/[^/]+)+)?)?)';

/** ARM's api-version check: each resource type serves the versions it knows. */
export function checkVersion(request: Request, supported: string): void {
  const version = request.query.get('api-version');
  if (version === null)
    throw new ApiError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  if (version !== supported)
    throw new ApiError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version ?? ''}' is invalid. The supported versions are '${supported}'.`,
    );
}

export const idOf = (scope: string, name: string) => `${scope.toLowerCase()}/${name}`;
export const within = (scope: string, ancestor: string) =>
  scope.toLowerCase() === ancestor.toLowerCase() || scope.toLowerCase().startsWith(`${ancestor.toLowerCase()}/`);

/**
 * The assignments a list at a scope answers: at, above and below it, of one principal when the request's
 * `$filter` names one (the only filter served), in a stable order so pages do not shift.
 */
export function assignmentsListed(request: Request, scope: string): RoleAssignment[] {
  const filter = request.query.get('$filter');
  const principal = filter ? /^principalId eq '([0-9a-f-]+)'$/.exec(filter)?.[1] : undefined;
  if (filter && !principal) throw new ApiError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported.`);
  return [...request.state.assignments.values()]
    .filter(
      (assignment) =>
        (within(assignment.scope, scope) || within(scope, assignment.scope)) &&
        (!principal || assignment.principalId === principal),
    )
    .sort((a, b) => idOf(a.scope, a.name).localeCompare(idOf(b.scope, b.name)));
}
