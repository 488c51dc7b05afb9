import { randomBytes } from 'node:crypto';
import { ApiError, type Request, type Route } from './http';
import type { VaultSecret } from './state';

// Key Vault secrets (data plane), as @azure/keyvault-secrets calls them: where rotated client secrets go.

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const seconds = (ms: number) => Math.floor(ms / 1000);

function bundle(request: Request, secret: VaultSecret, withValue = true): Record<string, unknown> {
  const latest = secret.versions.at(-1);
  if (!latest)
    throw new ApiError(
      404,
      'SecretNotFound',
      `A secret with (name/id) ${secret.name} was not found in this key vault.`,
    );
  return {
    ...(withValue ? { value: latest.value } : {}),
    id: `https://${request.host}/secrets/${secret.name}/${latest.version}`,
    attributes: {
      enabled: true,
      created: seconds(latest.created),
      updated: seconds(latest.created),
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    tags: latest.tags,
  };
}

function deletedBundle(request: Request, secret: VaultSecret): Record<string, unknown> {
  return {
    ...bundle(request, secret, false),
    recoveryId: `https://${request.host}/deletedsecrets/${secret.name}`,
    deletedDate: seconds(secret.deletedOn ?? Date.now()),
    scheduledPurgeDate: seconds((secret.deletedOn ?? Date.now()) + 90 * 86_400_000),
  };
}

function live(request: Request, name: string): VaultSecret {
  const secret = request.state.secrets.get(name);
  if (!secret || secret.deletedOn !== undefined)
    throw new ApiError(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
  return secret;
}

function deleted(request: Request, name: string): VaultSecret {
  const secret = request.state.secrets.get(name);
  if (secret?.deletedOn === undefined)
    throw new ApiError(404, 'DeletedSecretNotFound', `Deleted Secret not found: ${name}`);
  return secret;
}

export const KEY_VAULT_ROUTES: Route[] = [
  {
    method: 'PUT',
    path: /^\/secrets\/([^/]+)$/,
    operation: 'Microsoft.KeyVault/vaults/secrets/setSecret/action',
    handle: (request, [name = '']) => {
      if (!NAME.test(name))
        throw new ApiError(
          400,
          'BadParameter',
          'The request URI contains an invalid name: secret names are 1-127 of letters, digits and dashes.',
        );
      if (typeof request.body.value !== 'string')
        throw new ApiError(400, 'BadParameter', 'Property value is required.');
      const existing = request.state.secrets.get(name);
      if (existing?.deletedOn !== undefined)
        throw new ApiError(
          409,
          'Conflict',
          `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        );
      const secret = existing ?? { name, versions: [] };
      secret.versions.push({
        version: randomBytes(16).toString('hex'),
        value: request.body.value,
        created: Date.now(),
        tags: (request.body.tags as Record<string, string> | undefined) ?? {},
      });
      request.state.secrets.set(name, secret);
      return { status: 200, body: bundle(request, secret) };
    },
  },
  {
    method: 'GET',
    path: /^\/secrets\/([^/]+)\/versions$/,
    operation: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action',
    // Metadata only: what a caller that must not read the value can see. Before the version route: "versions" is no version.
    handle: (request, [name = '']) => {
      const secret = live(request, name);
      const value = secret.versions.map((version) => ({
        id: `https://${request.host}/secrets/${secret.name}/${version.version}`,
        attributes: {
          enabled: true,
          created: seconds(version.created),
          updated: seconds(version.created),
          recoveryLevel: 'Recoverable+Purgeable',
        },
        tags: version.tags,
      }));
      return { status: 200, body: { value, nextLink: null } };
    },
  },
  {
    method: 'GET',
    path: /^\/secrets\/([^/]+)(?:\/([^/]*))?$/,
    operation: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    handle: (request, [name = '', version]) => {
      const secret = live(request, name);
      if (version && !secret.versions.some((candidate) => candidate.version === version))
        throw new ApiError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}/${version} was not found in this key vault.`,
        );
      return { status: 200, body: bundle(request, secret) };
    },
  },
  {
    method: 'DELETE',
    path: /^\/secrets\/([^/]+)$/,
    operation: 'Microsoft.KeyVault/vaults/secrets/delete',
    handle: (request, [name = '']) => {
      const secret = live(request, name);
      secret.deletedOn = Date.now();
      return { status: 200, body: deletedBundle(request, secret) };
    },
  },
  {
    method: 'GET',
    path: /^\/deletedsecrets\/([^/]+)$/,
    operation: 'Microsoft.KeyVault/vaults/deletedsecrets/read',
    handle: (request, [name = '']) => ({ status: 200, body: deletedBundle(request, deleted(request, name)) }),
  },
  {
    method: 'DELETE',
    path: /^\/deletedsecrets\/([^/]+)$/,
    operation: 'Microsoft.KeyVault/vaults/deletedsecrets/delete',
    handle: (request, [name = '']) => {
      deleted(request, name);
      request.state.secrets.delete(name);
      return { status: 204 };
    },
  },
];
