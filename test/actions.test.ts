import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
} from '@aws-sdk/client-iam';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../model/identity';
import { ACCOUNT, createUser, iam, secretValue, uniqueName, userState } from './support/aws';
import { useActionHarness } from './support/action-harness';

const now = '2026-11-26T12:00:00.000Z';

/** What moto holds for a role: inline policies, boundary and tags. */
async function roleState(roleName: string) {
  const policies: Record<string, unknown> = {};
  for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) {
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    policies[name] = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? 'null')) as unknown;
  }
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const tags: Record<string, string> = {};
  for (const tag of (await iam.send(new ListRoleTagsCommand({ RoleName: roleName }))).Tags ?? [])
    tags[tag.Key ?? '?'] = tag.Value ?? '';
  return { policies, boundary: Role?.PermissionsBoundary?.PermissionsBoundaryArn ?? null, tags };
}

const ownPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

/** A role that already has an inline policy, a boundary and a tag, so restoring "exactly" means something. */
async function createRole(): Promise<{ identity: Identity; read: () => ReturnType<typeof roleState> }> {
  const roleName = uniqueName('automation');
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'own', PolicyDocument: JSON.stringify(ownPolicy) }),
  );
  await iam.send(
    new PutRolePermissionsBoundaryCommand({
      RoleName: roleName,
      PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess',
    }),
  );
  await iam.send(
    new TagRoleCommand({
      RoleName: roleName,
      Tags: [
        { Key: 'team', Value: 'data' },
        { Key: 'idra:state', Value: 'reviewed' },
      ],
    }),
  );
  return { identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName }, read: () => roleState(roleName) };
}

describe('every AWS action: snapshot, apply, verify, compensate restores the exact prior state', () => {
  const { run, runBatch, stepFor, roundTrip, expectEveryAction } = useActionHarness('aws');

  it('covers every AWS action', expectEveryAction);

  it("a batch reads and applies a stage's steps side by side; a step that fails is answered, the others still applied", async () => {
    const user = await createUser('batched', { keys: 1 });
    const incident = uniqueName('idra-test');
    const key: Identity = {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[0]!,
    };
    const nobody = uniqueName('nobody');
    const gone: Identity = { ...key, userName: nobody };
    const steps = [
      stepFor('aws.accessKey.deactivate', key, incident),
      { ...stepFor('aws.user.quarantine', gone, incident), index: 1 },
    ];
    const reads = await runBatch(
      'snapshot',
      steps.map((step) => ({ incident, step })),
    );
    expect(reads).toEqual([{ ok: { status: 'Active' } }, { failed: expect.stringContaining(nobody) as unknown }]);
    const applied = await runBatch(
      'apply',
      steps.map((step) => ({ incident, step, before: { status: 'Active' } })),
    );
    expect(applied[0]).toMatchObject({
      ok: { operation: 'apply', before: { status: 'Active' }, after: { status: 'Inactive' }, changed: true },
    });
    expect(applied[1]).toEqual({ failed: expect.stringContaining(nobody) as unknown });
    expect((await userState(user.userName)).keys).toEqual({ [user.accessKeyIds[0]!]: 'Inactive' });
  });

  it('aws.accessKey.deactivate', async () => {
    const user = await createUser('keys', { keys: 2 });
    const identity: Identity = {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[1]!,
    };
    const { applied } = await roundTrip('aws.accessKey.deactivate', identity, () => userState(user.userName));
    expect(applied.keys).toEqual({ [user.accessKeyIds[0]!]: 'Active', [user.accessKeyIds[1]!]: 'Inactive' });
  });

  it("aws.user.quarantine keeps the user's own policies", async () => {
    const user = await createUser('fenced', { inlinePolicies: { own: ownPolicy } });
    const identity: Identity = {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[0]!,
    };
    const { applied, receipt } = await roundTrip('aws.user.quarantine', identity, () => userState(user.userName));
    expect(Object.keys(applied.policies).sort()).toEqual([`idra-quarantine-${receipt.incident}`, 'own']);
  });

  it('aws.identity.tag adds its own key and keeps other tags', async () => {
    const role = await createRole();
    const { applied, receipt } = await roundTrip('aws.identity.tag', role.identity, role.read);
    expect(applied.tags).toEqual({
      team: 'data',
      'idra:state': 'reviewed',
      [`idra:incident:${receipt.incident}`]: 'contained',
    });
  });

  it('aws.role.quarantine', async () => {
    const role = await createRole();
    const { applied, before } = await roundTrip('aws.role.quarantine', role.identity, role.read);
    expect(Object.keys(applied.policies)).toHaveLength(Object.keys(before.policies).length + 1);
  });

  it('aws.role.revokeSessions denies tokens issued before the response', async () => {
    const role = await createRole();
    const { applied, receipt } = await roundTrip('aws.role.revokeSessions', role.identity, role.read);
    expect(applied.policies[`idra-revoke-sessions-${receipt.incident}`]).toMatchObject({
      Statement: [{ Effect: 'Deny', Condition: { DateLessThan: { 'aws:TokenIssueTime': now } } }],
    });
  });

  it('aws.role.readOnly puts back the prior boundary, not none', async () => {
    const role = await createRole();
    const { applied, before } = await roundTrip('aws.role.readOnly', role.identity, role.read);
    expect([before.boundary, applied.boundary]).toEqual([
      'arn:aws:iam::aws:policy/PowerUserAccess',
      'arn:aws:iam::aws:policy/ReadOnlyAccess',
    ]);
  });

  it('aws.accessKey.rotate puts a new key into Secrets Manager, and rollback deletes both', async () => {
    const user = await createUser('rotated');
    const identity: Identity = {
      provider: 'aws',
      kind: 'access_key',
      account: ACCOUNT,
      userName: user.userName,
      accessKeyId: user.accessKeyIds[0]!,
    };
    const incident = uniqueName('idra-test');
    const read = async () => ({
      ...(await userState(user.userName)),
      secret: await secretValue(`idra/rotated/${incident}`),
    });
    const { applied, receipt } = await roundTrip('aws.accessKey.rotate', identity, read, incident);
    const newKey = Object.keys(applied.keys).find((id) => id !== user.accessKeyIds[0]);
    expect(applied.secret).toEqual({ AccessKeyId: newKey, SecretAccessKey: expect.any(String) as string });
    expect(receipt.reference).toMatchObject({
      newAccessKeyId: newKey,
      secretArn: expect.stringContaining(':secret:idra/rotated/') as string,
    });
    expect(JSON.stringify(receipt)).not.toContain((applied.secret as { SecretAccessKey: string }).SecretAccessKey);
  });

  it('aws.accessKey.delete deletes exactly one key and refuses to be undone', async () => {
    const user = await createUser('doomed', { keys: 2 });
    const incident = uniqueName('idra-test');
    const step = stepFor(
      'aws.accessKey.delete',
      {
        provider: 'aws',
        kind: 'access_key',
        account: ACCOUNT,
        userName: user.userName,
        accessKeyId: user.accessKeyIds[0]!,
      },
      incident,
    );
    const before = await run('snapshot', { incident, step });
    await run('apply', { incident, step, before });
    expect(await run('check', { incident, step, before })).toMatchObject({ holds: true });
    expect((await userState(user.userName)).keys).toEqual({ [user.accessKeyIds[1]!]: 'Active' });
    const error = await run('compensate', { incident, step, before }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'Irreversible', nonRetryable: true });
  });

  it('refuses a step aimed at another account than the worker acts in', async () => {
    const user = await createUser('elsewhere');
    const incident = uniqueName('idra-test');
    const step = stepFor(
      'aws.accessKey.deactivate',
      {
        provider: 'aws',
        kind: 'access_key',
        account: '999999999999',
        userName: user.userName,
        accessKeyId: user.accessKeyIds[0]!,
      },
      incident,
    );
    await expect(run('snapshot', { incident, step })).rejects.toMatchObject({
      type: 'WrongAccount',
      message: 'this worker acts in AWS account 123456789012, but the step targets account 999999999999',
    });
  });
});
