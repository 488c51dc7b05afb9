import { notFound, validationFailed } from './errors';
import { accountBody, ok, type Request, type Route } from './http';
import { paginated } from './pagination';
import type { Installation, Repository } from './state';

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

/** The hypermedia links of a repository, as paths under its API URL (GitHub's URI templates). */
const REPOSITORY_LINKS: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}',
  assignees_url: '/assignees{/user}',
  blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}',
  collaborators_url: '/collaborators{/collaborator}',
  comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}',
  compare_url: '/compare/{base}...{head}',
  contents_url: '/contents/{+path}',
  contributors_url: '/contributors',
  deployments_url: '/deployments',
  downloads_url: '/downloads',
  events_url: '/events',
  forks_url: '/forks',
  git_commits_url: '/git/commits{/sha}',
  git_refs_url: '/git/refs{/sha}',
  git_tags_url: '/git/tags{/sha}',
  hooks_url: '/hooks',
  issue_comment_url: '/issues/comments{/number}',
  issue_events_url: '/issues/events{/number}',
  issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}',
  labels_url: '/labels{/name}',
  languages_url: '/languages',
  merges_url: '/merges',
  milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}',
  pulls_url: '/pulls{/number}',
  releases_url: '/releases{/id}',
  stargazers_url: '/stargazers',
  statuses_url: '/statuses/{sha}',
  subscribers_url: '/subscribers',
  subscription_url: '/subscription',
  tags_url: '/tags',
  teams_url: '/teams',
  trees_url: '/git/trees{/sha}',
};

/** A repository as GitHub's "Minimal Repository" gives it in lists. */
export function repositoryBody(repository: Repository, baseUrl: string) {
  const fullName = `${repository.owner.login}/${repository.name}`;
  const url = `${baseUrl}/repos/${fullName}`;
  return {
    id: repository.id,
    node_id: Buffer.from(`Repository${repository.id}`).toString('base64'),
    name: repository.name,
    full_name: fullName,
    owner: accountBody(repository.owner, baseUrl),
    private: repository.private,
    html_url: `https://github.com/${fullName}`,
    description: null,
    fork: false,
    url,
    ...Object.fromEntries(Object.entries(REPOSITORY_LINKS).map(([field, suffix]) => [field, `${url}${suffix}`])),
    git_url: `git://github.com/${fullName}.git`,
    ssh_url: `git@github.com:${fullName}.git`,
    visibility: repository.private ? 'private' : 'public',
  };
}

export const REPOSITORY_ROUTES: Route[] = [
  {
    // The organization's repositories the caller reaches (`type` all, public, private, ...: the default is all).
    method: 'GET',
    path: /^\/orgs\/([^/]+)\/repos$/,
    auth: 'installation',
    permission: 'metadata=read',
    handle: (request, [login]) => {
      const organization = installedOrganization(request, login);
      const type = request.query.get('type') ?? 'all';
      if (!['all', 'public', 'private', 'forks', 'sources', 'member'].includes(type))
        throw validationFailed([{ resource: 'Repository', field: 'type', code: 'invalid' }]);
      const installation = (request.caller as { installation: Installation }).installation;
      const listed = [...request.state.repositories.values()].filter(
        (repository) =>
          repository.owner.id === organization.account.id &&
          request.state.reaches(installation, repository) &&
          (type !== 'private' || repository.private) &&
          (type !== 'public' || !repository.private),
      );
      return paginated(
        request,
        listed.map((repository) => repositoryBody(repository, request.baseUrl)),
      );
    },
  },
  {
    // A repository (served with the minimal repository's fields: GitHub's full answer has many more).
    method: 'GET',
    path: /^\/repos\/([^/]+)\/([^/]+)$/,
    auth: 'installation',
    permission: 'metadata=read',
    handle: (request, [owner, name]) => ok(repositoryBody(reachableRepository(request, owner, name), request.baseUrl)),
  },
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
