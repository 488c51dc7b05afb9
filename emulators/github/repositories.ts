import { notFound, validationFailed } from './errors';
import { ok, type Request, type Route } from './http';
import type { Repository } from './state';

/** A repository the calling installation reaches; one it does not is 404, as if it did not exist. */
export function reachableRepository({ state, caller }: Request, owner = '', name = ''): Repository {
  const repository = state.repository(owner, name);
  if (!repository || caller.kind !== 'installation' || !state.reaches(caller.installation, repository))
    throw notFound();
  return repository;
}

/** An organization the calling installation is installed on; any other is 404. */
export function installedOrganization({ state, caller }: Request, login = '') {
  const organization = state.organizations.get(login.toLowerCase());
  if (!organization || caller.kind !== 'installation' || caller.installation.account.id !== organization.account.id)
    throw notFound();
  return organization;
}

/** A required string field of a body, or the 422 GitHub answers for it. */
export function requiredString(body: Record<string, unknown>, resource: string, field: string): string {
  const value = body[field];
  if (value === undefined) throw validationFailed([{ resource, field, code: 'missing_field' }]);
  if (typeof value !== 'string' || value === '') throw validationFailed([{ resource, field, code: 'invalid' }]);
  return value;
}

export const REPOSITORY_ROUTES: Route[] = [
  {
    // An organization's custom properties on a repository: the labels its owners keep (idra reads them as tags).
    method: 'GET',
    path: /^\/repos\/([^/]+)\/([^/]+)\/properties\/values$/,
    auth: 'installation',
    permission: 'metadata=read',
    handle: (request, [owner, name]) =>
      ok(
        Object.entries(reachableRepository(request, owner, name).properties).map(([property_name, value]) => ({
          property_name,
          value,
        })),
      ),
  },
];
