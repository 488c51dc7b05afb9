import { describe, expect, it } from 'vitest';
import type { Identity } from '../model/identity';
import { ROUTES } from '../emulators/gcp/server';
import { createGcpAccount, denyGcpPermissions, editConcurrently, gcp, type GcpAccount, gcpState } from './support/gcp';
import { useActionHarness } from './support/action-harness';

const keyIdentity = (account: GcpAccount, index = 0): Identity => ({
  provider: 'gcp',
  kind: 'service_account_key',
  project: account.project,
  email: account.email,
  keyId: account.keyIds[index],
});
const accountIdentity = (account: GcpAccount): Identity => ({
  provider: 'gcp',
  kind: 'service_account',
  project: account.project,
  email: account.email,
});

describe('every GCP action through the official clients: snapshot, apply, verify, compensate restores the exact prior state', () => {
  const { run, stepFor, roundTrip, expectEveryAction } = useActionHarness('gcp', {
    known: ROUTES.map((route) => route.permission),
    deny: denyGcpPermissions,
  });

  it('covers every GCP action', expectEveryAction);

  it('gcp.serviceAccountKey.disable: exactly that key', async () => {
    const account = await createGcpAccount({ keys: 3 });
    const { applied } = await roundTrip(
      'gcp.serviceAccountKey.disable',
      keyIdentity(account, 1),
      () => gcpState(account),
      `idra-test-${account.project}`,
    );
    expect(applied.keys).toEqual({
      [account.keyIds[0]!]: 'enabled',
      [account.keyIds[1]!]: 'disabled',
      [account.keyIds[2]!]: 'enabled',
    });
  });

  it('gcp.serviceAccount.disable', async () => {
    const account = await createGcpAccount();
    const { applied } = await roundTrip(
      'gcp.serviceAccount.disable',
      accountIdentity(account),
      () => gcpState(account),
      `idra-test-${account.project}`,
    );
    expect(applied.disabled).toBe(true);
  });

  it('gcp.serviceAccount.deny: a policy of its own, a pre-existing deny policy untouched', async () => {
    const account = await createGcpAccount();
    const parent = `policies/${encodeURIComponent(`cloudresourcemanager.googleapis.com/projects/${account.project}`)}/denypolicies`;
    const [existing] = await gcp.denyPolicies.createPolicy({
      parent,
      policyId: 'team-guardrail',
      policy: {
        rules: [
          {
            denyRule: {
              deniedPrincipals: ['principalSet://goog/public:all'],
              deniedPermissions: ['storage.googleapis.com/buckets.delete'],
            },
          },
        ],
      },
    });
    await existing.promise();
    const { applied, receipt } = await roundTrip(
      'gcp.serviceAccount.deny',
      accountIdentity(account),
      () => gcpState(account),
      `idra-test-${account.project}`,
    );
    const ownPolicy = stepFor('gcp.serviceAccount.deny', accountIdentity(account), `idra-test-${account.project}`)
      .params.policyId as string;
    expect(applied.denyPolicies).toEqual([ownPolicy, 'team-guardrail'].sort());
    expect(receipt.after).toMatchObject({
      policy: { deniedPrincipals: [`principal://iam.googleapis.com/projects/-/serviceAccounts/${account.email}`] },
    });
  });

  it('gcp.serviceAccount.readOnly: roles become read-only (unknown ones removed), conditions and other members kept', async () => {
    const account = await createGcpAccount({
      bindings: (email) => [
        { role: 'roles/editor', members: [`serviceAccount:${email}`, 'user:dana@example.com'] },
        {
          role: 'roles/storage.admin',
          members: [`serviceAccount:${email}`],
          condition: { expression: 'resource.name.startsWith("projects/_/buckets/etl")', title: 'etl buckets' },
        },
        { role: 'roles/iam.securityAdmin', members: [`serviceAccount:${email}`] },
      ],
    });
    const member = `serviceAccount:${account.email}`;
    const { applied, receipt } = await roundTrip(
      'gcp.serviceAccount.readOnly',
      accountIdentity(account),
      () => gcpState(account),
      `idra-test-${account.project}`,
    );
    expect(applied.bindings).toEqual(
      expect.arrayContaining([
        { role: 'roles/editor', members: ['user:dana@example.com'] },
        { role: 'roles/viewer', members: [member] },
        {
          role: 'roles/storage.objectViewer',
          members: [member],
          condition: 'resource.name.startsWith("projects/_/buckets/etl")',
        },
      ]),
    );
    expect(applied.bindings).toHaveLength(3);
    expect(receipt.after).toEqual({
      roles: [
        {
          role: 'roles/storage.objectViewer',
          condition: { expression: 'resource.name.startsWith("projects/_/buckets/etl")', title: 'etl buckets' },
        },
        { role: 'roles/viewer' },
      ],
    });
  });

  it("gcp.serviceAccount.readOnly retries on a stale etag: someone else's concurrent change is kept", async () => {
    const account = await createGcpAccount({
      bindings: (email) => [{ role: 'roles/editor', members: [`serviceAccount:${email}`] }],
    });
    const incident = `idra-test-${account.project}`;
    const step = stepFor('gcp.serviceAccount.readOnly', accountIdentity(account), incident);
    const snapshot = await run('snapshot', { incident, step });
    // Between idra's read and its write, another admin grants a role: idra's first write is refused (ABORTED).
    await editConcurrently(account.project, { role: 'roles/logging.viewer', members: ['user:erin@example.com'] });
    await run('apply', { incident, step, before: snapshot });
    expect((await gcpState(account)).bindings).toEqual([
      { role: 'roles/logging.viewer', members: ['user:erin@example.com'] },
      { role: 'roles/viewer', members: [`serviceAccount:${account.email}`] },
    ]);
  });

  it('gcp.serviceAccountKey.rotate: the new key goes into Secret Manager; only references are recorded; undo removes both', async () => {
    const account = await createGcpAccount({ keys: 1 });
    const { applied, receipt } = await roundTrip(
      'gcp.serviceAccountKey.rotate',
      keyIdentity(account),
      () => gcpState(account),
      `idra-test-${account.project}`,
    );
    const newKeyId = (receipt.reference as { newKeyId: string }).newKeyId;
    expect(Object.keys(applied.keys).sort()).toEqual([account.keyIds[0]!, newKeyId].sort());
    expect(receipt.reference).toEqual({
      secretName: `projects/${account.project}/secrets/idra-rotated-${account.keyIds[0]}`,
      secretVersion: `projects/${account.project}/secrets/idra-rotated-${account.keyIds[0]}/versions/1`,
      newKeyId,
    });
    expect(JSON.stringify(receipt)).not.toContain('private_key');
    await expect(
      gcp.secrets.getSecret({ name: `projects/${account.project}/secrets/idra-rotated-${account.keyIds[0]}` }),
    ).rejects.toThrow();
  });

  it('gcp.serviceAccountKey.delete: irreversible, exactly that key', async () => {
    const account = await createGcpAccount({ keys: 2 });
    const incident = `idra-test-${account.project}`;
    const step = stepFor('gcp.serviceAccountKey.delete', keyIdentity(account, 0), incident);
    const snapshot = await run('snapshot', { incident, step });
    await run('apply', { incident, step, before: snapshot });
    expect((await gcpState(account)).keys).toEqual({ [account.keyIds[1]!]: 'enabled' });
    await expect(run('compensate', { incident, step, before: snapshot })).rejects.toThrow(
      'gcp.serviceAccountKey.delete cannot be undone',
    );
  });
});
