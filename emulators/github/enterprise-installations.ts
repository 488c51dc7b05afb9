import { GithubError, notFound, validationFailed } from './errors';
import { ok, type Request, type Route } from './http';
import { paginated } from './pagination';
import type { Installation, Organization, Repository } from './state';

const DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest/enterprise-admin/organization-installations';
/** GitHub takes at most 50 repository names per call. */
const MAX_NAMES = 50;

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The organization these routes act in: only an app installed on the enterprise that owns it may call them,
 * and to anyone else the organization is as good as absent.
 */
function enterpriseOrganization({ state, caller }: Request, slug = '', login = ''): Organization {
  const enterprise = state.enterprises.get(slug.toLowerCase());
  const organization = state.organizations.get(login.toLowerCase());
  if (
    !enterprise ||
    !organization ||
    caller.kind !== 'installation' ||
    caller.installation.account.id !== enterprise.account.id ||
    !enterprise.organizations.has(login.toLowerCase())
  )
    throw notFound();
  return organization;
}

function installationOn(request: Request, organization: Organization, id = ''): Installation {
  const installation = request.state.installations.get(Number(id));
  if (!installation || installation.account.id !== organization.account.id) throw notFound();
  return installation;
}

const organizationRepositories = (request: Request, organization: Organization) =>
  [...request.state.repositories.values()].filter((repository) => repository.owner.id === organization.account.id);

const accessibleBody = (repository: Repository) => ({
  id: repository.id,
  name: repository.name,
  full_name: `${repository.owner.login}/${repository.name}`,
});

function enterpriseInstallationBody(request: Request, slug: string, login: string, installation: Installation) {
  const app = request.state.apps.get(installation.appId);
  return {
    id: installation.id,
    app_slug: app?.slug,
    client_id: app?.clientId,
    repository_selection: installation.repositorySelection,
    repositories_url: `${request.baseUrl}/enterprises/${slug}/apps/organizations/${login}/installations/${installation.id}/repositories`,
    permissions: installation.permissions,
    events: installation.events,
    created_at: installation.createdAt,
    updated_at: installation.updatedAt,
  };
}

/** A body's repository names: a list of at most 50, each one of the organization's (GitHub's names are case-insensitive). */
function namedRepositories(request: Request, organization: Organization, value: unknown): Repository[] {
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string'))
    throw validationFailed([{ resource: 'Installation', field: 'repositories', code: 'invalid' }]);
  if (value.length > MAX_NAMES)
    throw new GithubError(422, `You can only provide up to ${MAX_NAMES} repositories at a time.`, {
      documentationUrl: DOCS,
    });
  const owned = organizationRepositories(request, organization);
  return (value as string[]).map((name) => {
    const repository = owned.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    if (!repository)
      throw validationFailed([
        { resource: 'Installation', field: 'repositories', code: 'invalid', message: `${name} is not a repository` },
      ]);
    return repository;
  });
}

const refuse = (message: string) => new GithubError(422, message, { documentationUrl: DOCS });

const PATH = '^\\/enterprises\\/([^/]+)\\/apps\\/organizations\\/([^/]+)\\/installations';

/**
 * GitHub Enterprise Cloud's organization installations: an app installed on the enterprise (with the
 * enterprise permissions `enterprise_organization_installations` and `…_installation_repositories`) lists
 * the apps installed on its organizations and changes which repositories each reaches.
 */
export const ENTERPRISE_INSTALLATION_ROUTES: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`${PATH}$`),
    auth: 'installation',
    permission: 'enterprise_organization_installations=read',
    handle: (request, [slug = '', login = '']) => {
      const organization = enterpriseOrganization(request, slug, login);
      const installed = [...request.state.installations.values()].filter(
        (installation) => installation.account.id === organization.account.id,
      );
      return paginated(
        request,
        installed.map((installation) => enterpriseInstallationBody(request, slug, login, installation)),
      );
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${PATH}\\/(\\d+)\\/repositories$`),
    auth: 'installation',
    permission: 'enterprise_organization_installation_repositories=read',
    handle: (request, [slug, login, id]) => {
      const organization = enterpriseOrganization(request, slug, login);
      const installation = installationOn(request, organization, id);
      const reached = organizationRepositories(request, organization).filter((repository) =>
        request.state.reaches(installation, repository),
      );
      return paginated(request, reached.map(accessibleBody));
    },
  },
  {
    // Toggles between all repositories and a selection (which then replaces the one it had).
    method: 'PATCH',
    path: new RegExp(`${PATH}\\/(\\d+)\\/repositories$`),
    auth: 'installation',
    permission: 'enterprise_organization_installation_repositories=write',
    handle: (request, [slug = '', login = '', id]) => {
      const organization = enterpriseOrganization(request, slug, login);
      const installation = installationOn(request, organization, id);
      const { repository_selection: selection, repositories } = request.body;
      if (selection === undefined)
        throw validationFailed([{ resource: 'Installation', field: 'repository_selection', code: 'missing_field' }]);
      if (selection !== 'all' && selection !== 'selected')
        throw validationFailed([{ resource: 'Installation', field: 'repository_selection', code: 'invalid' }]);
      if (selection === 'all' && repositories !== undefined)
        throw refuse("The repositories list must not be provided when repository_selection is 'all'.");
      const chosen = selection === 'selected' ? namedRepositories(request, organization, repositories ?? []) : [];
      if (selection === 'selected' && !chosen.length)
        throw refuse("You must provide at least one repository when changing the access to 'selected'.");
      installation.repositorySelection = selection;
      installation.repositoryIds = chosen.map((repository) => repository.id);
      installation.updatedAt = timestamp();
      return ok(enterpriseInstallationBody(request, slug, login, installation));
    },
  },
  ...(['add', 'remove'] as const).map((change): Route => ({
    method: 'PATCH',
    path: new RegExp(`${PATH}\\/(\\d+)\\/repositories\\/${change}$`),
    auth: 'installation',
    permission: 'enterprise_organization_installation_repositories=write',
    handle: (request, [slug, login, id]) => {
      const organization = enterpriseOrganization(request, slug, login);
      const installation = installationOn(request, organization, id);
      if (request.body.repositories === undefined)
        throw validationFailed([{ resource: 'Installation', field: 'repositories', code: 'missing_field' }]);
      const named = namedRepositories(request, organization, request.body.repositories);
      if (installation.repositorySelection === 'all')
        throw refuse(`Cannot ${change} repositories of an installation that has access to all repositories.`);
      const ids = new Set(named.map((repository) => repository.id));
      const kept = installation.repositoryIds.filter((repositoryId) => !ids.has(repositoryId));
      if (change === 'remove' && !kept.length)
        throw refuse('Cannot remove the last repository from this installation. Uninstall this application instead.');
      const changed = named.filter(
        (repository) => installation.repositoryIds.includes(repository.id) === (change === 'remove'),
      );
      installation.repositoryIds = change === 'add' ? [...kept, ...ids] : kept;
      installation.updatedAt = timestamp();
      return ok(changed.map(accessibleBody));
    },
  })),
];
