import { notFound, validationFailed } from './errors';
import { noContent, ok, type Request, type Route } from './http';
import { paginated } from './pagination';
import { reachableRepository, requiredString } from './repositories';
import type { DeployKey, Repository } from './state';

/** OpenSSH public key format: a key type, its base64 body, an optional comment. */
const OPENSSH_KEY =
  /^(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( .*)?$/;

function keyBody(repository: Repository, key: DeployKey, baseUrl: string) {
  return {
    id: key.id,
    key: key.key,
    url: `${baseUrl}/repos/${repository.owner.login}/${repository.name}/keys/${key.id}`,
    title: key.title,
    verified: true,
    created_at: key.createdAt,
    read_only: key.readOnly,
    added_by: key.addedBy,
    last_used: key.lastUsed,
    enabled: true,
  };
}

function findKey(repository: Repository, id: string | undefined): DeployKey {
  const key = repository.deployKeys.find((candidate) => candidate.id === Number(id));
  if (!key) throw notFound();
  return key;
}

function createKey(request: Request, repository: Repository) {
  const key = requiredString(request.body, 'PublicKey', 'key').trim();
  const keyError = (message: string) =>
    validationFailed([{ resource: 'PublicKey', code: 'custom', field: 'key', message }]);
  if (!OPENSSH_KEY.test(key)) throw keyError('key is invalid. You must supply a key in OpenSSH public key format');
  if (request.state.deployKeyInUse(key)) throw keyError('key is already in use');
  const { title, read_only: readOnly } = request.body;
  if (title !== undefined && typeof title !== 'string')
    throw validationFailed([{ resource: 'PublicKey', field: 'title', code: 'invalid' }]);
  if (readOnly !== undefined && typeof readOnly !== 'boolean')
    throw validationFailed([{ resource: 'PublicKey', field: 'read_only', code: 'invalid' }]);
  const created: DeployKey = {
    id: request.state.nextId(),
    key,
    title: title ?? '',
    readOnly: readOnly ?? false,
    createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    addedBy: request.caller.kind === 'installation' ? `${request.caller.installation.appId}[bot]` : 'unknown',
    lastUsed: null,
  };
  repository.deployKeys.push(created);
  const body = keyBody(repository, created, request.baseUrl);
  return { status: 201, body, headers: { location: body.url } };
}

/** Deploy keys are under the repository's Administration permission. */
export const DEPLOY_KEY_ROUTES: Route[] = [
  {
    method: 'GET',
    path: /^\/repos\/([^/]+)\/([^/]+)\/keys$/,
    auth: 'installation',
    permission: 'administration=read',
    handle: (request, [owner, name]) => {
      const repository = reachableRepository(request, owner, name);
      return paginated(
        request,
        repository.deployKeys.map((key) => keyBody(repository, key, request.baseUrl)),
      );
    },
  },
  {
    method: 'GET',
    path: /^\/repos\/([^/]+)\/([^/]+)\/keys\/(\d+)$/,
    auth: 'installation',
    permission: 'administration=read',
    handle: (request, [owner, name, id]) => {
      const repository = reachableRepository(request, owner, name);
      return ok(keyBody(repository, findKey(repository, id), request.baseUrl));
    },
  },
  {
    method: 'POST',
    path: /^\/repos\/([^/]+)\/([^/]+)\/keys$/,
    auth: 'installation',
    permission: 'administration=write',
    handle: (request, [owner, name]) => createKey(request, reachableRepository(request, owner, name)),
  },
  {
    method: 'DELETE',
    path: /^\/repos\/([^/]+)\/([^/]+)\/keys\/(\d+)$/,
    auth: 'installation',
    permission: 'administration=write',
    handle: (request, [owner, name, id]) => {
      const repository = reachableRepository(request, owner, name);
      const key = findKey(repository, id);
      repository.deployKeys = repository.deployKeys.filter((candidate) => candidate !== key);
      return noContent();
    },
  },
];
