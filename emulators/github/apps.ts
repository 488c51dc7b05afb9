import { randomBytes } from 'node:crypto';
import { GithubError, notFound, validationFailed } from './errors';
import { accountBody, type Caller, noContent, ok, type Request, type Route } from './http';
import type { GithubState, Installation, Permissions } from './state';

/** Installation tokens live an hour, as GitHub's do. */
const TOKEN_LIFETIME_MS = 3_600_000;

export function installationBody(installation: Installation, state: GithubState, baseUrl: string) {
  const app = state.apps.get(installation.appId);
  return {
    id: installation.id,
    account: accountBody(installation.account, baseUrl),
    repository_selection: installation.repositorySelection,
    access_tokens_url: `${baseUrl}/app/installations/${installation.id}/access_tokens`,
    repositories_url: `${baseUrl}/installation/repositories`,
    html_url: `https://github.com/organizations/${installation.account.login}/settings/installations/${installation.id}`,
    app_id: installation.appId,
    app_slug: app?.slug,
    client_id: app?.clientId,
    target_id: installation.account.id,
    target_type: installation.account.type,
    permissions: installation.permissions,
    events: installation.events,
    created_at: installation.createdAt,
    updated_at: installation.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: installation.suspendedBy ? accountBody(installation.suspendedBy, baseUrl) : null,
    suspended_at: installation.suspendedAt,
  };
}

/** An app sees its own installations only; another app's is as good as absent. */
function ownInstallation({ state, caller }: Request, id: string | undefined): Installation {
  const installation = state.installations.get(Number(id));
  if (!installation || caller.kind !== 'app' || installation.appId !== caller.app.id) throw notFound();
  return installation;
}

function setSuspended(request: Request, id: string | undefined, suspended: boolean) {
  const installation = ownInstallation(request, id);
  const app = (request.caller as Extract<Caller, { kind: 'app' }>).app;
  installation.suspendedAt = suspended ? new Date().toISOString() : null;
  installation.suspendedBy = suspended ? { login: `${app.slug}[bot]`, id: app.id, type: 'User' } : null;
  installation.updatedAt = new Date().toISOString();
  return noContent();
}

/** The token's permissions: the installation's, or the subset asked for (more than it holds is refused). */
function tokenPermissions(installation: Installation, asked: unknown): Permissions {
  if (asked === undefined) return installation.permissions;
  if (typeof asked !== 'object' || asked === null || Array.isArray(asked))
    throw validationFailed([{ resource: 'Installation', field: 'permissions', code: 'invalid' }]);
  const granted: Permissions = {};
  for (const [name, level] of Object.entries(asked as Record<string, unknown>)) {
    const held = installation.permissions[name];
    if ((level !== 'read' && level !== 'write') || !held || (level === 'write' && held !== 'write'))
      throw new GithubError(422, 'The permissions requested are not granted to this installation.');
    granted[name] = level;
  }
  return granted;
}

export const APP_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/app\/installations\/(\d+)$/,
    auth: 'app',
    handle: (request, [id]) => ok(installationBody(ownInstallation(request, id), request.state, request.baseUrl)),
  },
  {
    method: 'PUT',
    path: /^\/app\/installations\/(\d+)\/suspended$/,
    auth: 'app',
    handle: (request, [id]) => setSuspended(request, id, true),
  },
  {
    method: 'DELETE',
    path: /^\/app\/installations\/(\d+)\/suspended$/,
    auth: 'app',
    handle: (request, [id]) => setSuspended(request, id, false),
  },
  {
    method: 'POST',
    path: /^\/app\/installations\/(\d+)\/access_tokens$/,
    auth: 'app',
    handle: (request, [id]) => {
      const installation = ownInstallation(request, id);
      if (installation.suspendedAt) throw new GithubError(403, 'This installation has been suspended');
      const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x')}`;
      const permissions = tokenPermissions(installation, request.body.permissions);
      const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
      request.state.tokens.set(token, { installationId: installation.id, permissions, expiresAt });
      return ok(
        {
          token,
          expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          permissions,
          repository_selection: installation.repositorySelection,
        },
        201,
      );
    },
  },
  {
    // An app's installation on an enterprise (GitHub Enterprise Cloud): what acts on the enterprise's organizations.
    method: 'GET',
    path: /^\/enterprises\/([^/]+)\/installation$/,
    auth: 'app',
    handle: ({ state, caller, baseUrl }, [slug]) => {
      const enterprise = state.enterprises.get(slug?.toLowerCase() ?? '');
      const installation = [...state.installations.values()].find(
        (candidate) =>
          caller.kind === 'app' && candidate.appId === caller.app.id && candidate.account.id === enterprise?.account.id,
      );
      if (!installation) throw notFound();
      return ok(installationBody(installation, state, baseUrl));
    },
  },
  {
    method: 'GET',
    path: /^\/orgs\/([^/]+)\/installation$/,
    auth: 'app',
    handle: ({ state, caller, baseUrl }, [org]) => {
      const installation = [...state.installations.values()].find(
        (candidate) =>
          caller.kind === 'app' &&
          candidate.appId === caller.app.id &&
          candidate.account.type === 'Organization' &&
          candidate.account.login.toLowerCase() === org?.toLowerCase(),
      );
      if (!installation) throw notFound();
      return ok(installationBody(installation, state, baseUrl));
    },
  },
];
