import { generateKeyPairSync } from 'node:crypto';
import { GcpError, notFound } from './errors';
import type { Request, Route } from './http';
import { MAX_KEYS_PER_SERVICE_ACCOUNT, type GcpState, type ServiceAccount, type ServiceAccountKey } from './state';

// IAM admin v1 (iam.googleapis.com/v1): service accounts and their keys, as @googleapis/iam calls them.

function findAccount(state: GcpState, project: string, email: string): ServiceAccount {
  // `-` stands for "the project the account belongs to".
  const projectId = project === '-' ? (email.split('@')[1]?.split('.')[0] ?? '') : project;
  const account = state.projects.get(projectId)?.serviceAccounts.get(email);
  if (!account) throw notFound(`Service account projects/${project}/serviceAccounts/${email}`);
  return account;
}

function findKey(state: GcpState, account: ServiceAccount, keyId: string): ServiceAccountKey {
  const key = state.project(account.projectId).keys.get(keyId);
  if (!key || key.email !== account.email)
    throw notFound(`Service account key projects/${account.projectId}/serviceAccounts/${account.email}/keys/${keyId}`);
  return key;
}

export function accountResource(account: ServiceAccount): Record<string, unknown> {
  return {
    name: `projects/${account.projectId}/serviceAccounts/${account.email}`,
    projectId: account.projectId,
    uniqueId: account.uniqueId,
    email: account.email,
    displayName: account.displayName,
    etag: account.etag,
    ...(account.description ? { description: account.description } : {}),
    oauth2ClientId: account.uniqueId,
    // proto3 JSON leaves false booleans out.
    ...(account.disabled ? { disabled: true } : {}),
  };
}

function keyResource(key: ServiceAccountKey): Record<string, unknown> {
  return {
    name: `projects/${key.projectId}/serviceAccounts/${key.email}/keys/${key.keyId}`,
    validAfterTime: key.validAfterTime,
    validBeforeTime: key.validBeforeTime,
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: key.keyOrigin,
    keyType: key.keyType,
    ...(key.disabled ? { disabled: true } : {}),
  };
}

const ACCOUNT = '/v1/projects/([^/]+)/serviceAccounts/([^/:]+)';
const account = (request: Request, [project, email]: string[]) =>
  findAccount(request.state, decodeURIComponent(project ?? ''), decodeURIComponent(email ?? ''));
const key = (request: Request, params: string[]) =>
  findKey(request.state, account(request, params), decodeURIComponent(params[2] ?? ''));

export const IAM_ADMIN_ROUTES: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`^${ACCOUNT}$`),
    permission: 'iam.serviceAccounts.get',
    handle: (request, params) => accountResource(account(request, params)),
  },
  ...(['disable', 'enable'] as const).map((verb): Route => ({
    method: 'POST',
    path: new RegExp(`^${ACCOUNT}:${verb}$`),
    permission: `iam.serviceAccounts.${verb}`,
    handle: (request, params) => {
      account(request, params).disabled = verb === 'disable';
      return {};
    },
  })),
  {
    method: 'GET',
    path: new RegExp(`^${ACCOUNT}/keys$`),
    permission: 'iam.serviceAccountKeys.list',
    handle: (request, params) => {
      const owner = account(request, params);
      const types = request.query.getAll('keyTypes');
      const keys = [...request.state.project(owner.projectId).keys.values()].filter(
        (candidate) => candidate.email === owner.email && (types.length === 0 || types.includes(candidate.keyType)),
      );
      return keys.length ? { keys: keys.map(keyResource) } : {};
    },
  },
  {
    method: 'GET',
    path: new RegExp(`^${ACCOUNT}/keys/([^/:]+)$`),
    permission: 'iam.serviceAccountKeys.get',
    handle: (request, params) => keyResource(key(request, params)),
  },
  {
    method: 'POST',
    path: new RegExp(`^${ACCOUNT}/keys$`),
    permission: 'iam.serviceAccountKeys.create',
    handle: (request, params) => {
      const owner = account(request, params);
      const existing = [...request.state.project(owner.projectId).keys.values()].filter(
        (candidate) => candidate.email === owner.email && candidate.keyType === 'USER_MANAGED',
      );
      if (existing.length >= MAX_KEYS_PER_SERVICE_ACCOUNT) {
        throw new GcpError(
          'FAILED_PRECONDITION',
          `Precondition check failed. The service account ${owner.email} already has ${MAX_KEYS_PER_SERVICE_ACCOUNT} keys, the maximum allowed.`,
        );
      }
      const created = request.state.addKey(owner);
      // A key file as Google hands one out: a real RSA key (a client can sign with it) and where to trade it for tokens.
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const credentials = {
        type: 'service_account',
        project_id: owner.projectId,
        private_key_id: created.keyId,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: owner.email,
        client_id: owner.uniqueId,
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(owner.email)}`,
        universe_domain: 'googleapis.com',
      };
      return {
        ...keyResource(created),
        privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE',
        privateKeyData: Buffer.from(JSON.stringify(credentials)).toString('base64'),
      };
    },
  },
  {
    method: 'DELETE',
    path: new RegExp(`^${ACCOUNT}/keys/([^/:]+)$`),
    permission: 'iam.serviceAccountKeys.delete',
    handle: (request, params) => {
      const found = key(request, params);
      request.state.project(found.projectId).keys.delete(found.keyId);
      return {};
    },
  },
  ...(['disable', 'enable'] as const).map((verb): Route => ({
    method: 'POST',
    path: new RegExp(`^${ACCOUNT}/keys/([^/:]+):${verb}$`),
    permission: `iam.serviceAccountKeys.${verb}`,
    handle: (request, params) => {
      key(request, params).disabled = verb === 'disable';
      return {};
    },
  })),
];
