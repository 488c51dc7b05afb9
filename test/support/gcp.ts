import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Seed } from '../../emulators/gcp/emulator-admin';
import type { Binding } from '../../emulators/gcp/state';
import { seedGcp } from '../../infra/gcp-emulator';
import { createGcpContext } from '../../providers/gcp/sdk/gcp-context';
import { scannerSignal } from './signals';

/**
 * The official clients as an observer of the tests uses them: the worker's configuration (the local server),
 * but a token of its own, so what the worker is made to lack never hides what the tests check.
 */
export const gcp = createGcpContext({ ...process.env, GOOGLE_OAUTH_ACCESS_TOKEN: 'test-observer' });

export interface GcpAccount {
  project: string;
  email: string;
  keyIds: string[];
}

/** A fresh project with one service account (and keys, and project bindings), so tests never share state. */
export async function createGcpAccount(
  options: { keys?: number; disabledKeys?: number; bindings?: (email: string) => Binding[] } = {},
): Promise<GcpAccount> {
  const project = `idra-${randomBytes(5).toString('hex')}`;
  const accountId = `ci-${randomBytes(3).toString('hex')}`;
  const email = `${accountId}@${project}.iam.gserviceaccount.com`;
  const seed: Seed = {
    projectId: project,
    serviceAccounts: [{ accountId, keys: options.keys ?? 2, disabledKeys: options.disabledKeys ?? 0 }],
    bindings: options.bindings?.(email) ?? [],
  };
  const [seeded] = await seedGcp(inject('gcpEndpoint'), [seed]);
  return { project, email, keyIds: seeded?.serviceAccounts[0]?.keyIds ?? [] };
}

/** Makes the GCP worker (its token) lack exactly these permissions in the local GCP server (empty: none). */
export async function denyGcpPermissions(permissions: string[]): Promise<void> {
  const token = process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
  const response = await fetch(`${inject('gcpEndpoint')}/emulator/permissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, denied: permissions }),
  });
  if (!response.ok) throw new Error(`the permission switch failed: ${response.status}`);
}

/** Another writer adds this binding to the project's policy right after idra's next read of it. */
export async function editConcurrently(project: string, binding: Binding): Promise<void> {
  const response = await fetch(`${inject('gcpEndpoint')}/emulator/projects/${project}/concurrent-edit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(binding),
  });
  if (!response.ok) throw new Error(`the concurrent edit failed: ${response.status}`);
}

const denyCollection = (project: string) =>
  `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/projects/${project}`)}/denypolicies`;

/** What the local GCP server holds for an account, read through the official clients. */
export async function gcpState(account: GcpAccount) {
  const name = `projects/${account.project}/serviceAccounts/${account.email}`;
  const { data } = await gcp.iam.projects.serviceAccounts.get({ name });
  const listed = (await gcp.iam.projects.serviceAccounts.keys.list({ name })).data.keys ?? [];
  const keys = Object.fromEntries(
    listed.map((key) => [key.name?.split('/').pop() ?? '?', key.disabled ? 'disabled' : 'enabled']),
  );
  const [policy] = await gcp.projects.getIamPolicy({
    resource: `projects/${account.project}`,
    options: { requestedPolicyVersion: 3 },
  });
  // The order of bindings means nothing to IAM: compare them sorted.
  const bindings = (policy.bindings ?? [])
    .map((binding) => ({
      role: binding.role ?? '',
      members: [...(binding.members ?? [])].sort(),
      ...(binding.condition?.expression ? { condition: binding.condition.expression } : {}),
    }))
    .sort((a, b) => `${a.role} ${a.condition ?? ''}`.localeCompare(`${b.role} ${b.condition ?? ''}`));
  const [denyPolicies] = await gcp.denyPolicies.listPolicies({ parent: denyCollection(account.project) });
  return {
    disabled: data.disabled === true,
    keys,
    bindings,
    denyPolicies: denyPolicies.map((policy) => policy.name?.split('/').pop()).sort(),
  };
}

/** A leaked-key signal for one seeded GCP key, as a secret scanner would report it. */
export function gcpKeySignal(
  account: GcpAccount,
  keyIndex = 0,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return scannerSignal(
    {
      provider: 'gcp',
      kind: 'service_account_key',
      project: account.project,
      email: account.email,
      keyId: account.keyIds[keyIndex],
    },
    'high',
    {
      summary: 'GCP service account key committed to acme/etl',
      url: 'https://github.com/acme/etl/security/secret-scanning/3',
    },
    overrides,
  );
}

/** What the account itself may do on its project now, as IAM answers it (conditions evaluated now). */
export async function gcpAccountMay(account: GcpAccount, permission: string): Promise<boolean> {
  const token = `as-${account.email}`;
  await fetch(`${inject('gcpEndpoint')}/emulator/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, member: `serviceAccount:${account.email}` }),
  });
  // Resource Manager's REST call, as the account itself would make it (its own token).
  const response = await fetch(`${inject('gcpEndpoint')}/v3/projects/${account.project}:testIamPermissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ permissions: [permission] }),
  });
  const answer = (await response.json()) as { permissions?: string[] };
  return (answer.permissions ?? []).includes(permission);
}
