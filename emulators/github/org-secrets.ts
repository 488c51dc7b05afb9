import { GithubError, notFound, validationFailed } from './errors';
import { noContent, ok, type Reply, type Request, type Route } from './http';
import { paginated } from './pagination';
import { installedOrganization, repositoryBody } from './repositories';
import type { Organization, OrgSecret } from './state';

const VISIBILITIES = ['all', 'private', 'selected'] as const;
/** GitHub's rule for secret names: letters, digits and underscores, not starting with a digit or GITHUB_. */
const SECRET_NAME = /^(?!GITHUB_)[A-Z_][A-Z0-9_]*$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function secretBody(organization: Organization, secret: OrgSecret, baseUrl: string) {
  return {
    name: secret.name,
    created_at: secret.createdAt,
    updated_at: secret.updatedAt,
    visibility: secret.visibility,
    ...(secret.visibility === 'selected'
      ? {
          selected_repositories_url: `${baseUrl}/orgs/${organization.account.login}/actions/secrets/${secret.name}/repositories`,
        }
      : {}),
  };
}

function findSecret(organization: Organization, name = ''): OrgSecret {
  const secret = organization.secrets.get(name.toUpperCase());
  if (!secret) throw notFound();
  return secret;
}

/** Repository ids of a body's list: each an integer naming one of the organization's repositories. */
function repositoryIds(request: Request, organization: Organization, value: unknown, field: string): number[] {
  const invalid = () => validationFailed([{ resource: 'Secret', field, code: 'invalid' }]);
  if (!Array.isArray(value) || value.some((id) => !Number.isInteger(id))) throw invalid();
  const owned = new Set(
    [...request.state.repositories.values()]
      .filter((repository) => repository.owner.id === organization.account.id)
      .map((repository) => repository.id),
  );
  if (value.some((id: number) => !owned.has(id))) throw invalid();
  return [...new Set(value as number[])];
}

/** A secret's repository list, read or changed, exists for a `selected` secret only (409 otherwise). */
function selectedSecret(request: Request, login = '', name = '') {
  const organization = installedOrganization(request, login);
  const secret = findSecret(organization, name);
  if (secret.visibility !== 'selected')
    throw new GithubError(409, "The secret's visibility is not set to selected", {
      documentationUrl: 'https://docs.github.com/rest/actions/secrets',
    });
  return { organization, secret };
}

/** Create or update: a new secret needs its sealed value; an update may change who sees it alone. */
function putSecret(request: Request, organization: Organization, name = ''): Reply {
  if (!SECRET_NAME.test(name) || name.length > 200)
    throw validationFailed([{ resource: 'Secret', field: 'name', code: 'invalid' }]);
  const { visibility, encrypted_value: value, key_id: keyId, selected_repository_ids: ids } = request.body;
  if (visibility === undefined)
    throw validationFailed([{ resource: 'Secret', field: 'visibility', code: 'missing_field' }]);
  if (!VISIBILITIES.includes(visibility as OrgSecret['visibility']))
    throw validationFailed([{ resource: 'Secret', field: 'visibility', code: 'invalid' }]);
  if (value !== undefined && (typeof value !== 'string' || !BASE64.test(value)))
    throw validationFailed([{ resource: 'Secret', field: 'encrypted_value', code: 'invalid' }]);
  if (value !== undefined && (typeof keyId !== 'string' || !keyId))
    throw validationFailed([{ resource: 'Secret', field: 'key_id', code: 'missing_field' }]);
  if (ids !== undefined && visibility !== 'selected')
    throw validationFailed([
      {
        resource: 'Secret',
        field: 'selected_repository_ids',
        code: 'custom',
        message: 'selected_repository_ids can only be set when visibility is selected',
      },
    ]);
  const existing = organization.secrets.get(name.toUpperCase());
  if (!existing && value === undefined)
    throw validationFailed([{ resource: 'Secret', field: 'encrypted_value', code: 'missing_field' }]);
  const selected = ids === undefined ? [] : repositoryIds(request, organization, ids, 'selected_repository_ids');
  const secret: OrgSecret = {
    name: name.toUpperCase(),
    createdAt: existing?.createdAt ?? timestamp(),
    updatedAt: timestamp(),
    visibility: visibility as OrgSecret['visibility'],
    // A secret turned `selected` without a list keeps the list it had.
    selectedRepositoryIds:
      visibility !== 'selected' ? [] : ids === undefined ? (existing?.selectedRepositoryIds ?? []) : selected,
    encryptedValue: value ?? existing?.encryptedValue ?? '',
  };
  organization.secrets.set(secret.name, secret);
  return existing ? noContent() : { status: 201, body: {} };
}

const SECRETS = /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)$/;
const SELECTED = /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)\/repositories$/;
const ONE_SELECTED = /^\/orgs\/([^/]+)\/actions\/secrets\/([^/]+)\/repositories\/(\d+)$/;

/** An organization's Actions secrets, under the app permission `organization_secrets` (GitHub's "Secrets"). */
export const ORG_SECRET_ROUTES: Route[] = [
  {
    method: 'GET',
    path: SECRETS,
    auth: 'installation',
    permission: 'organization_secrets=read',
    handle: (request, [login, name]) => {
      const organization = installedOrganization(request, login);
      return ok(secretBody(organization, findSecret(organization, name), request.baseUrl));
    },
  },
  {
    method: 'PUT',
    path: SECRETS,
    auth: 'installation',
    permission: 'organization_secrets=write',
    handle: (request, [login, name]) => putSecret(request, installedOrganization(request, login), name),
  },
  {
    method: 'GET',
    path: SELECTED,
    auth: 'installation',
    permission: 'organization_secrets=read',
    handle: (request, [login, name]) => {
      const { secret } = selectedSecret(request, login, name);
      const repositories = [...request.state.repositories.values()]
        .filter((repository) => secret.selectedRepositoryIds.includes(repository.id))
        .map((repository) => repositoryBody(repository, request.baseUrl));
      // The list comes wrapped, with its total; the page is the wrapper's `repositories`.
      const page = paginated(request, repositories);
      return { ...page, body: { total_count: repositories.length, repositories: page.body } };
    },
  },
  {
    method: 'PUT',
    path: SELECTED,
    auth: 'installation',
    permission: 'organization_secrets=write',
    handle: (request, [login, name]) => {
      const { organization, secret } = selectedSecret(request, login, name);
      if (request.body.selected_repository_ids === undefined)
        throw validationFailed([{ resource: 'Secret', field: 'selected_repository_ids', code: 'missing_field' }]);
      secret.selectedRepositoryIds = repositoryIds(
        request,
        organization,
        request.body.selected_repository_ids,
        'selected_repository_ids',
      );
      secret.updatedAt = timestamp();
      return noContent();
    },
  },
  ...(['PUT', 'DELETE'] as const).map((method): Route => ({
    method,
    path: ONE_SELECTED,
    auth: 'installation',
    permission: 'organization_secrets=write',
    handle: (request, [login, name, id]) => {
      const { organization, secret } = selectedSecret(request, login, name);
      const [repositoryId = 0] = repositoryIds(request, organization, [Number(id)], 'repository_id');
      const others = secret.selectedRepositoryIds.filter((candidate) => candidate !== repositoryId);
      secret.selectedRepositoryIds = method === 'PUT' ? [...others, repositoryId] : others;
      secret.updatedAt = timestamp();
      return noContent();
    },
  })),
];
