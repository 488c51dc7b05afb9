import { describe, expect, it } from 'vitest';
import { incidentId } from '../model/identity';
import type { Identity } from '../model/identity';
import type { ResponseView } from '../model/response';
import { ValidationError } from '../model/validation';
import {
  createGcpAccount,
  denyGcpPermissions,
  editConcurrently,
  gcp,
  type GcpAccount,
  gcpKeySignal,
  gcpState,
} from './support/gcp';
import { analyst, useIdra, waitForState } from './support/temporal';

const secretOf = (account: GcpAccount) => `projects/${account.project}/secrets/idra-rotated-${account.keyIds[0]}`;
const secretExists = (account: GcpAccount) =>
  gcp.secrets.getSecret({ name: secretOf(account) }).then(
    () => true,
    () => false,
  );

describe('GCP: a leaked service account key, contained and rolled back exactly', () => {
  const env = useIdra();

  it('disables exactly that key, rotates into Secret Manager, quarantines with a deny policy; rollback restores the exact prior state', async () => {
    const account = await createGcpAccount({
      keys: 2,
      bindings: (email) => [{ role: 'roles/editor', members: [`serviceAccount:${email}`, 'user:dana@example.com'] }],
    });
    const before = await gcpState(account);
    const { incident } = await env.idra.respond(gcpKeySignal(account));

    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.plan?.playbook.id).toBe('test-gcp-leak');
    const held = await gcpState(account);
    const rotated = contained.changes.find((receipt) => receipt.action === 'gcp.serviceAccountKey.rotate')
      ?.reference as { newKeyId: string };
    expect(held.keys).toEqual({
      [account.keyIds[0]!]: 'disabled',
      [account.keyIds[1]!]: 'enabled',
      [rotated.newKeyId]: 'enabled',
    });
    expect(held.denyPolicies).toHaveLength(1);
    expect(held.bindings).toEqual(before.bindings);
    expect(await secretExists(account)).toBe(true);

    const final = await env.idra.rollback(incident, analyst);
    expect(final.state).toBe('rolled_back');
    expect(await gcpState(account)).toEqual(before);
    expect(await secretExists(account)).toBe(false);
  });

  it('approve keeps the containment and deletes the leaked key (after approval only); the new key stays', async () => {
    const account = await createGcpAccount({ keys: 1 });
    const { incident } = await env.idra.respond(gcpKeySignal(account));
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    const { newKeyId } = contained.changes.find((receipt) => receipt.action === 'gcp.serviceAccountKey.rotate')
      ?.reference as { newKeyId: string };
    expect((await env.idra.approve(incident, analyst)).state).toBe('confirmed');
    expect((await gcpState(account)).keys).toEqual({ [newKeyId]: 'enabled' });
  });

  it("anomalous use: read-only roles and a deny policy; another admin's concurrent grant survives containment and rollback", async () => {
    const account = await createGcpAccount({
      bindings: (email) => [{ role: 'roles/storage.admin', members: [`serviceAccount:${email}`] }],
    });
    const member = `serviceAccount:${account.email}`;
    await editConcurrently(account.project, { role: 'roles/logging.viewer', members: ['user:erin@example.com'] });
    const { incident } = await env.idra.respond(gcpKeySignal(account, 0, { type: 'credential.anomalous_use' }));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const contained = await gcpState(account);
    expect(contained.bindings).toEqual([
      { role: 'roles/logging.viewer', members: ['user:erin@example.com'] },
      { role: 'roles/storage.objectViewer', members: [member] },
    ]);

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect((await gcpState(account)).bindings).toEqual([
      { role: 'roles/logging.viewer', members: ['user:erin@example.com'] },
      { role: 'roles/storage.admin', members: [member] },
    ]);
    expect((await gcpState(account)).denyPolicies).toEqual([]);
  });

  it('drift: a key re-enabled by hand meanwhile is recorded as already restored, and an analyst reviews', async () => {
    const account = await createGcpAccount({ keys: 1 });
    const { incident } = await env.idra.respond(gcpKeySignal(account));
    await waitForState(env.idra, incident, 'awaiting_decision');
    await gcp.iam.projects.serviceAccounts.keys.enable({
      name: `projects/${account.project}/serviceAccounts/${account.email}/keys/${account.keyIds[0]}`,
      requestBody: {},
    });

    const final = await env.idra.rollback(incident, analyst);
    expect(final.state).toBe('needs_review');
    expect(
      final.changes.find(
        (receipt) => receipt.action === 'gcp.serviceAccountKey.disable' && receipt.operation === 'compensate',
      )?.drift?.note,
    ).toBe('already restored by someone else');
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('rolled_back');
  });

  it.each([
    ['high', 'hold', 'containment_failed'],
    ['critical', 'rollback', 'rolled_back'],
  ] as const)('the worker may not create deny policies, %s severity: onFailure %s', async (severity, _mode, state) => {
    const account = await createGcpAccount({ keys: 1 });
    const before = await gcpState(account);
    await denyGcpPermissions(['iam.denypolicies.create']);
    try {
      const { incident } = await env.idra.respond(gcpKeySignal(account, 0, { severity }));
      const view: ResponseView = await waitForState(env.idra, incident, state);
      expect(view.failures).toEqual([expect.stringContaining('gcp.serviceAccount.deny on service account') as string]);
      expect(view.failures[0]).toContain("Permission 'iam.denypolicies.create' denied");
      if (state === 'containment_failed') {
        expect((await gcpState(account)).keys[account.keyIds[0]!]).toBe('disabled');
        expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
      }
      expect(await gcpState(account)).toEqual(before);
      expect(await secretExists(account)).toBe(false);
    } finally {
      await denyGcpPermissions([]);
    }
  });
  it('the worker may not store the new key: the key it made is removed at once; hold, then rollback restores everything', async () => {
    const account = await createGcpAccount({ keys: 1 });
    const before = await gcpState(account);
    await denyGcpPermissions(['secretmanager.versions.add']);
    try {
      const { incident } = await env.idra.respond(gcpKeySignal(account));
      const held = await waitForState(env.idra, incident, 'containment_failed');
      expect(held.failures).toEqual([
        expect.stringContaining("Permission 'secretmanager.versions.add' denied") as string,
      ]);
      // Only the leaked key, now disabled: no key nobody can fetch was left behind.
      expect((await gcpState(account)).keys).toEqual({ [account.keyIds[0]!]: 'disabled' });
      expect(await secretExists(account)).toBe(false);
      expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
      expect(await gcpState(account)).toEqual(before);
    } finally {
      await denyGcpPermissions([]);
    }
  });
});

describe('bad GCP signals are refused with a precise error and change nothing', () => {
  const env = useIdra();
  const project = 'etl-prod-123';
  const email = `etl-runner@${project}.iam.gserviceaccount.com`;
  const keyId = 'a'.repeat(40);
  const signal = (identity: Record<string, unknown>) => ({
    ...gcpKeySignal({ project, email, keyIds: [keyId] }),
    identity: { provider: 'gcp', kind: 'service_account_key', project, email, keyId, ...identity },
  });
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'project id too short',
      { project: 'etl' },
      'identity.project: must be a GCP project id (6-30 of a-z, 0-9 and -, starting with a letter)',
    ],
    [
      'project id with upper case',
      { project: 'ETL-prod-123' },
      'identity.project: must be a GCP project id (6-30 of a-z, 0-9 and -, starting with a letter)',
    ],
    [
      'not a service account email',
      { email: 'etl-runner@example.com' },
      'identity.email: must be a service account email (name@domain.gserviceaccount.com)',
    ],
    [
      'account of another project',
      { email: 'etl-runner@other-proj-9.iam.gserviceaccount.com' },
      'identity.email: belongs to project other-proj-9, not etl-prod-123',
    ],
    [
      'key id too short',
      { keyId: 'abc123' },
      'identity.keyId: must be a service account key id (40 hexadecimal digits)',
    ],
    [
      'key id not hexadecimal',
      { keyId: 'z'.repeat(40) },
      'identity.keyId: must be a service account key id (40 hexadecimal digits)',
    ],
    ['missing key id', { keyId: undefined }, 'identity.keyId: is required'],
    ['missing email', { email: undefined }, 'identity.email: is required'],
    [
      'unknown kind',
      { kind: 'api_key' },
      'identity.kind: unknown identity kind "api_key" (one of: service_account, service_account_key)',
    ],
    [
      'AWS fields on a GCP identity',
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
      'identity: unknown field(s) "accessKeyId"',
    ],
    ['key id on a service account', { kind: 'service_account' }, 'identity: unknown field(s) "keyId"'],
  ];

  it.each(cases)('%s', async (_name, identity, problem) => {
    const error = await env.idra.respond(signal(identity)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([problem]);
  });

  it('started nothing', async () => {
    const identity = signal({}).identity as Identity;
    await expect(env.idra.client.workflow.getHandle(incidentId(identity)).describe()).rejects.toThrow();
  });
});
