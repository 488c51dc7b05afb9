import { createHash } from 'node:crypto';
import { GcpError, notFound } from './errors';
import type { Request, Route } from './http';
import { now, type Secret } from './state';

// Secret Manager v1, as @google-cloud/secret-manager calls it over REST: where rotated keys are stored.

const SECRET_ID = /^[\w-]{1,255}$/;
/** SecretVersion.State ENABLED; the client asks for enums as integers. */
const ENABLED = 1;

function etagOf(secret: Omit<Secret, 'etag'>): string {
  return `"${createHash('sha1')
    .update(JSON.stringify([secret.labels, secret.annotations, secret.versions.length]))
    .digest('hex')
    .slice(0, 12)}"`;
}

/** A secret as the API shows it: its versions are a collection of their own. */
function secretResource(secret: Secret): Record<string, unknown> {
  return {
    name: secret.name,
    createTime: secret.createTime,
    etag: secret.etag,
    labels: secret.labels,
    annotations: secret.annotations,
    replication: secret.replication,
  };
}

function find(request: Request, project: string, id: string): Secret {
  const secret = request.state.projects.get(project)?.secrets.get(id);
  if (!secret) throw notFound(`Secret [projects/${project}/secrets/${id}]`);
  return secret;
}

const SECRET = '^/v1/projects/([^/]+)/secrets/([^/:]+)';

export const SECRET_ROUTES: Route[] = [
  {
    method: 'POST',
    path: /^\/v1\/projects\/([^/]+)\/secrets$/,
    permission: 'secretmanager.secrets.create',
    handle: (request, [project]) => {
      const id = request.query.get('secretId') ?? '';
      if (!SECRET_ID.test(id))
        throw new GcpError('INVALID_ARGUMENT', `Secret id "${id}" must be 1-255 of letters, digits, _ and -.`);
      const secrets = request.state.project(project ?? '').secrets;
      if (secrets.has(id))
        throw new GcpError('ALREADY_EXISTS', `Secret [projects/${project}/secrets/${id}] already exists.`);
      if (!request.body.replication) throw new GcpError('INVALID_ARGUMENT', 'Secret.replication is required.');
      const secret: Omit<Secret, 'etag'> = {
        name: `projects/${project}/secrets/${id}`,
        createTime: now(),
        labels: (request.body.labels as Record<string, string> | undefined) ?? {},
        annotations: (request.body.annotations as Record<string, string> | undefined) ?? {},
        replication: request.body.replication,
        versions: [],
      };
      const created = { ...secret, etag: etagOf(secret) };
      secrets.set(id, created);
      return secretResource(created);
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${SECRET}$`),
    permission: 'secretmanager.secrets.get',
    handle: (request, [project, id]) => secretResource(find(request, project ?? '', id ?? '')),
  },
  {
    method: 'PATCH',
    path: new RegExp(`${SECRET}$`),
    permission: 'secretmanager.secrets.update',
    handle: (request, [project, id]) => {
      const secret = find(request, project ?? '', id ?? '');
      const mask = (request.query.get('updateMask') ?? '').split(',').filter(Boolean);
      if (mask.length === 0 || mask.some((field) => field !== 'labels' && field !== 'annotations'))
        throw new GcpError('INVALID_ARGUMENT', 'updateMask must name labels and/or annotations.');
      for (const field of mask as ('labels' | 'annotations')[])
        secret[field] = (request.body[field] as Record<string, string> | undefined) ?? {};
      secret.etag = etagOf(secret);
      return secretResource(secret);
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`${SECRET}$`),
    permission: 'secretmanager.secrets.delete',
    handle: (request, [project, id]) => {
      find(request, project ?? '', id ?? '');
      request.state.project(project ?? '').secrets.delete(id ?? '');
      return {};
    },
  },
  {
    method: 'POST',
    path: new RegExp(`${SECRET}:addVersion$`),
    permission: 'secretmanager.versions.add',
    handle: (request, [project, id]) => {
      const secret = find(request, project ?? '', id ?? '');
      const data = (request.body.payload as { data?: unknown } | undefined)?.data;
      if (typeof data !== 'string' || data.length === 0)
        throw new GcpError('INVALID_ARGUMENT', 'payload.data is required.');
      const version = { name: `${secret.name}/versions/${secret.versions.length + 1}`, createTime: now(), data };
      secret.versions.push(version);
      secret.etag = etagOf(secret);
      return { name: version.name, createTime: version.createTime, state: ENABLED, etag: secret.etag };
    },
  },
  {
    method: 'GET',
    path: new RegExp(`${SECRET}/versions/([^/:]+):access$`),
    permission: 'secretmanager.versions.access',
    handle: (request, [project, id, version]) => {
      const secret = find(request, project ?? '', id ?? '');
      const found =
        version === 'latest'
          ? secret.versions.at(-1)
          : secret.versions.find((candidate) => candidate.name.endsWith(`/versions/${version}`));
      if (!found) throw notFound(`Secret Version [${secret.name}/versions/${version}]`);
      return { name: found.name, payload: { data: found.data } };
    },
  },
];
