import { AttachRolePolicyCommand, AttachUserPolicyCommand, GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import type { JitGrant } from '../model/jit';
import type { ResponseView } from '../model/response';
import {
  ADMINISTRATOR_ACCESS,
  attachedPolicies,
  createUser,
  iam,
  jitGrantPolicy,
  privilegedRole,
  READ_ONLY_ACCESS,
  roleState,
  userState,
} from './support/aws';
import { privilegeAnomalousUseSignal } from './support/signals';
import { inBatches } from './support/batches';
import { useIdra, waitForGrant, waitForState } from './support/temporal';
import { waitFor } from '../infra/wait-for';

const requester = 'deploy-bot@example.com';
const ask = { requester, privilege: 'admin', duration: '5m', reason: 'release 4.2 needs to rotate the KMS key' };
const yes = (grant: string, analyst: string) => ({ grant, analyst, reason: 'release ticket REL-42 checked' });

async function openPath(idra: IdraClient, roleName: string): Promise<string> {
  const { incident } = await idra.respond(privilegeAnomalousUseSignal(roleName));
  await waitForState(idra, incident, 'on_jit');
  return incident;
}

/** Approved by two approvers (the plan asks for two): resolves with the grant once it is written. */
async function granted(idra: IdraClient, incident: string, request = ask): Promise<JitGrant> {
  const { id } = await idra.jitRequest(incident, request);
  await idra.jitApprove(incident, yes(id, 'alice@example.com'));
  return idra.jitApprove(incident, yes(id, 'bob@example.com'));
}

function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
  );
}

describe('just in time: a privileged automation role loses standing admin and gets it back only time-boxed', () => {
  const env = useIdra();

  it('takes standing admin away (read stays); an approved grant is written with its end; restore puts admin back exactly', async () => {
    const roleName = await privilegedRole('jit-deployer');
    const bystander = await privilegedRole('jit-bystander');
    const before = { ...(await roleState(roleName)), attached: await attachedPolicies(roleName) };
    const incident = await openPath(env.idra, roleName);
    expect(incident).toBe(`idra-jit-aws-123456789012-role-${roleName}`);
    expect(await attachedPolicies(roleName)).toEqual([READ_ONLY_ACCESS]);

    const requested = await env.idra.jitRequest(incident, ask);
    expect(requested).toMatchObject({ id: 'grant-1', state: 'requested', privilege: 'admin', requestedBy: requester });
    const half = await env.idra.jitApprove(incident, yes('grant-1', 'alice@example.com'));
    expect(half).toMatchObject({ state: 'requested', approvals: [{ analyst: 'alice@example.com' }] });
    const active = await env.idra.jitApprove(incident, yes('grant-1', 'bob@example.com'));
    expect(active.state).toBe('active');
    expect(Date.parse(active.endsAt ?? '') - Date.parse(active.startedAt ?? '')).toBe(5 * 60_000);
    // AWS ends it by itself: every statement holds only before the grant's end.
    expect((await jitGrantPolicy(roleName, 'admin')).Statement).toEqual([
      {
        Sid: 'IdraJit0',
        Effect: 'Allow',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:CurrentTime': active.endsAt } },
      },
    ]);

    const revoked = await env.idra.jitRevoke(incident, {
      grant: 'grant-1',
      analyst: requester,
      reason: 'release done',
    });
    expect(revoked).toMatchObject({ state: 'revoked', endedBy: requester, endedBecause: 'release done' });
    expect((await roleState(roleName)).policies).toEqual([]);

    const restored = await env.idra
      .decide('rollback', incident, {
        analyst: 'carol@example.com',
        reason: 'the pattern was a planned migration',
      })
      .catch((error: Error & { cause?: Error }) => error.cause?.message);
    expect(restored).toBe('carol@example.com is not in the approver group security-oncall');
    const ended = await env.idra.decide('rollback', incident, {
      analyst: 'dana@example.com',
      reason: 'the pattern was a planned migration',
    });
    expect(ended.state).toBe('restored');
    expect({ ...(await roleState(roleName)), attached: await attachedPolicies(roleName) }).toEqual(before);
    expect(await attachedPolicies(bystander)).toEqual([ADMINISTRATOR_ACCESS, READ_ONLY_ACCESS].sort());
    expect(ended.jitGrants?.map((grant) => grant.state)).toEqual(['revoked']);
  });

  it('removes a grant when its end comes; a second request while active extends it; keep leaves admin off', async () => {
    const roleName = await privilegedRole('jit-expiring');
    const incident = await openPath(env.idra, roleName);
    const first = await granted(env.idra, incident, { ...ask, duration: '20s' });
    const extension = await granted(env.idra, incident, { ...ask, duration: '15s' });
    expect(extension).toMatchObject({ id: 'grant-2', state: 'active' });
    expect((await jitGrantPolicy(roleName, 'admin')).Statement[0]?.Condition).toEqual({
      DateLessThan: { 'aws:CurrentTime': extension.endsAt },
    });
    const expired = await waitForGrant(env.idra, incident, extension.id, 'expired');
    expect(expired.jitGrants?.map((grant) => [grant.id, grant.state])).toEqual([
      [first.id, 'extended'],
      ['grant-2', 'expired'],
    ]);
    expect((await roleState(roleName)).policies).toEqual([]);

    await granted(env.idra, incident, { ...ask, privilege: 'power', duration: '5m' });
    const kept = await env.idra.decide('confirm', incident, { analyst: 'dana@example.com', reason: 'stays on JIT' });
    expect(kept.state).toBe('kept_on_jit');
    expect(kept.jitGrants?.at(-1)).toMatchObject({ privilege: 'power', state: 'revoked', endedBy: 'dana@example.com' });
    expect((await roleState(roleName)).policies).toEqual([]);
    expect(await attachedPolicies(roleName)).toEqual([READ_ONLY_ACCESS]);
  });

  it('standing admin someone attaches back during JIT is tampering: recorded and taken away again', async () => {
    const roleName = await privilegedRole('jit-tampered');
    const incident = await openPath(env.idra, roleName);
    await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: ADMINISTRATOR_ACCESS }));
    const seen = await waitForState(env.idra, incident, 'on_jit', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({
      action: 'aws.identity.detachStanding',
      expected: { attached: [] },
      observed: { attached: [ADMINISTRATOR_ACCESS] },
      response: 'reapplied',
    });
    // The tampering is recorded when seen; the apply that takes admin away again follows.
    const detaches = (view: ResponseView) =>
      view.changes.filter(
        (receipt) => receipt.operation === 'apply' && receipt.action === 'aws.identity.detachStanding',
      );
    await waitForState(env.idra, incident, 'on_jit', 30_000, (view) => detaches(view).length === 2);
    expect(await attachedPolicies(roleName)).toEqual([READ_ONLY_ACCESS]);
  });

  it("an IAM user's key: the user's standing admin comes off, and a grant is an inline policy of the user", async () => {
    const user = await createUser('jit-user');
    await iam.send(new AttachUserPolicyCommand({ UserName: user.userName, PolicyArn: ADMINISTRATOR_ACCESS }));
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(
      privilegeAnomalousUseSignal('unused', {
        identity: {
          provider: 'aws',
          kind: 'access_key',
          account: '123456789012',
          userName: user.userName,
          accessKeyId: user.accessKeyIds[0],
        },
      }),
    );
    await waitForState(env.idra, incident, 'on_jit');
    expect(await attachedPolicies(user.userName, 'user')).toEqual([]);
    const grant = await granted(env.idra, incident);
    const { PolicyDocument } = await iam.send(
      new GetUserPolicyCommand({ UserName: user.userName, PolicyName: 'idra-jit-admin' }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyDocument ?? '{}'))).toMatchObject({
      Statement: [{ Action: '*', Condition: { DateLessThan: { 'aws:CurrentTime': grant.endsAt } } }],
    });
    expect((await env.idra.decide('rollback', incident, { analyst: 'bob@example.com', reason: 'planned' })).state).toBe(
      'restored',
    );
    expect(await userState(user.userName)).toEqual(before);
    expect(await attachedPolicies(user.userName, 'user')).toEqual([ADMINISTRATOR_ACCESS]);
  });

  it('an undecided request goes to the escalation group after its timeout, and lapses after as long again', async () => {
    const roleName = await privilegedRole('jit-escalated', { 'test:playbook': 'jit-escalate' });
    const incident = await openPath(env.idra, roleName);
    const admin = await env.idra.jitRequest(incident, ask);
    const power = await env.idra.jitRequest(incident, { ...ask, privilege: 'power' });
    expect(await refusal(env.idra.jitApprove(incident, yes(admin.id, 'carol@example.com')))).toBe(
      'carol@example.com is not an approver of this path',
    );
    await waitForState(env.idra, incident, 'on_jit', 60_000, (view) =>
      Boolean(view.jitGrants?.find((grant) => grant.id === admin.id)?.escalatedAt),
    );
    expect(await env.idra.jitApprove(incident, yes(admin.id, 'carol@example.com'))).toMatchObject({
      state: 'active',
      approvals: [{ analyst: 'carol@example.com' }],
    });
    const lapsed = await waitForGrant(env.idra, incident, power.id, 'lapsed');
    expect(lapsed.jitGrants?.find((grant) => grant.id === power.id)?.endedBecause).toBe(
      'no decision within 15s of its escalation to security-leads',
    );
    expect((await roleState(roleName)).policies).toEqual(['idra-jit-admin']);
  });

  it('a path that has taken 1,500 updates continues as new with its grants, and a grant ends there as it would have', async () => {
    const roleName = await privilegedRole('jit-continued');
    const incident = await openPath(env.idra, roleName);
    const active = await granted(env.idra, incident, { ...ask, duration: '10m' });
    const handle = env.idra.client.workflow.getHandle(incident);
    const { runId: firstRun } = await handle.describe();
    // Refused requests still count: Temporal takes at most 2,000 updates per run. Five at a time (its limit
    // of updates in flight is 10).
    const refusals = await inBatches(
      Array.from({ length: 1_500 }, (_, index) => index),
      5,
      (index) => refusal(env.idra.jitRequest(incident, { ...ask, duration: `soon-${index}` })),
    );
    expect(new Set(refusals)).toEqual(new Set(['duration: must be a duration such as "30m" or "1h"']));
    await waitFor('the path to continue as new', async () => (await handle.describe()).runId !== firstRun, 60_000);
    const carried = await waitForState(env.idra, incident, 'on_jit');
    expect(carried.jitGrants).toEqual([
      expect.objectContaining({ id: active.id, state: 'active', endsAt: active.endsAt }),
    ]);
    const revoked = await env.idra.jitRevoke(incident, {
      grant: active.id,
      analyst: 'bob@example.com',
      reason: 'done',
    });
    expect(revoked.state).toBe('revoked');
    expect((await roleState(roleName)).policies).toEqual([]);
  });

  it('refuses what the path does not allow, naming why, and changes nothing', async () => {
    const roleName = await privilegedRole('jit-refusals');
    const incident = await openPath(env.idra, roleName);
    const mine = await env.idra.jitRequest(incident, { ...ask, requester: 'alice@example.com' });
    const cases: [() => Promise<unknown>, string][] = [
      [
        () => env.idra.jitApprove(incident, yes(mine.id, 'alice@example.com')),
        `four-eyes: alice@example.com asked for ${mine.id} and cannot decide on it`,
      ],
      [
        () => env.idra.jitApprove(incident, yes(mine.id, 'carol@example.com')),
        'carol@example.com is not an approver of this path',
      ],
      [() => env.idra.jitRequest(incident, { ...ask, duration: '11m' }), 'a grant lasts at most 10m: 11m is longer'],
      [
        () => env.idra.jitRequest(incident, { ...ask, privilege: 'root' }),
        'unknown privilege "root" (this path grants: admin, power)',
      ],
      [
        () => env.idra.jitRequest(incident, { ...ask, requester: 'mallory@example.com' }),
        'mallory@example.com may not ask for grants here (requesters: deploy-bot@example.com, alice@example.com)',
      ],
      [() => env.idra.jitRequest(incident, ask), `${mine.id} already asks for admin: it is decided (or lapses) first`],
      [
        () => env.idra.jitRequest(incident, { ...ask, duration: 'soon' }),
        'duration: must be a duration such as "30m" or "1h"',
      ],
      [() => env.idra.jitRequest(incident, { ...ask, reason: '  ' }), 'reason: must say why'],
      [
        () => env.idra.jitRequest(incident, { ...ask, privilege: 'x'.repeat(101) }),
        'privilege: must be at most 100 characters',
      ],
      [() => env.idra.jitRequest(incident, { ...ask, extra: 1 } as typeof ask), '(root): unknown field(s) "extra"'],
      [
        () => env.idra.jitRevoke(incident, yes(mine.id, 'bob@example.com')),
        `${mine.id} is requested: only an active grant can be revoked`,
      ],
      [() => env.idra.jitApprove(incident, yes('grant-9', 'bob@example.com')), 'no grant "grant-9" on this path'],
      [
        () => env.idra.jitDeny(incident, { grant: mine.id, analyst: '', reason: 'no' }),
        'analyst: must name the analyst',
      ],
    ];
    // One at a time, in order: each is refused on its own.
    for (const [attempt, problem] of cases) expect(await refusal(attempt())).toBe(problem);
    const view = await env.idra.status(incident);
    expect(view.jitGrants?.map((grant) => [grant.id, grant.state])).toEqual([[mine.id, 'requested']]);
    expect((await roleState(roleName)).policies).toEqual([]);

    const denied = await env.idra.jitDeny(incident, yes(mine.id, 'bob@example.com'));
    expect(denied).toMatchObject({ state: 'denied', endedBy: 'bob@example.com' });
    const contained = await env.idra.respond(privilegeAnomalousUseSignal(roleName, { type: 'privilege.anomalous' }));
    expect(await refusal(env.idra.jitRequest(contained.incident, ask))).toBe(
      `${contained.incident} is a contain response: it has no just-in-time path`,
    );
  });
});
