import {
  CreatePolicyCommand,
  DeleteRolePermissionsBoundaryCommand,
  PutRolePermissionsBoundaryCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { createRole, iam, roleState, uniqueName } from './support/aws';
import { agentToolCallSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const reviewer = {
  analyst: 'bob@example.com',
  reason: 'reviewed the tool call: the bucket was a scratch one, continue',
};

describe("restrict until approved: an agent's role keeps reading, stops writing, until a reviewer approves", () => {
  const env = useIdra();

  it('restricts at once; approve lifts exactly the restriction, and another role is never touched', async () => {
    const roleName = await createRole('agent-runner');
    const bystander = await createRole('agent-bystander');
    const before = await roleState(roleName);
    const bystanderBefore = await roleState(bystander);
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    // Its own response, beside any containment of the same role: the kind is in the incident id.
    expect(incident).toBe(`idra-restrict-aws-123456789012-role-${roleName}`);
    const restricted = await waitForState(env.idra, incident, 'restricted');
    expect(restricted).toMatchObject({
      kind: 'restrict_until_approved',
      plan: { kind: 'restrict_until_approved', playbook: { id: 'test-restrict' } },
    });
    expect(await roleState(roleName)).toEqual({
      ...before,
      boundary: READ_ONLY,
      tags: { [`idra:incident:${incident}`]: 'contained' },
    });

    const restored = await env.idra.approve(incident, reviewer);
    expect(restored.state).toBe('restored');
    expect(restored.decision).toMatchObject({ kind: 'approve', analyst: reviewer.analyst, reason: reviewer.reason });
    expect(await roleState(roleName)).toEqual(before);
    expect(await roleState(bystander)).toEqual(bystanderBefore);
    expect(
      restored.changes
        .filter((receipt) => receipt.operation === 'compensate')
        .map((receipt) => [receipt.action, receipt.changed])
        .sort(),
    ).toEqual([
      ['aws.identity.tag', true],
      ['aws.role.readOnly', true],
    ]);
  });

  it('reject keeps the restriction for good; decisions the state does not take are refused', async () => {
    const roleName = await createRole('agent-rejected');
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    await waitForState(env.idra, incident, 'restricted');
    const confirm = await env.idra.decide('confirm', incident, analyst).catch((error: Error) => error);
    expect((confirm as { cause?: Error }).cause?.message).toBe(
      'the response is restricted: it takes approve, reject, rollback, cancel, not confirm',
    );

    expect(
      (
        await env.idra.decide('reject', incident, {
          analyst: 'bob@example.com',
          reason: 'the agent had no reason to delete buckets',
        })
      ).state,
    ).toBe('kept_restricted');
    expect((await roleState(roleName)).boundary).toBe(READ_ONLY);
  });

  it('without a review in time, the playbook keeps the restriction', async () => {
    const roleName = await createRole('agent-unreviewed', { 'test:playbook': 'restrict-timeout' });
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    const kept = await waitForState(env.idra, incident, 'kept_restricted');
    expect(kept.decision).toBeUndefined();
    expect((await roleState(roleName)).boundary).toBe(READ_ONLY);
  });

  it('a restriction someone lifts meanwhile is put back by the watch (tampering), and approve still restores exactly', async () => {
    const roleName = await createRole('agent-tampered');
    const before = await roleState(roleName);
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    await waitForState(env.idra, incident, 'restricted');
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleName }));

    // Recorded when seen; the receipt of the apply that put it back follows.
    const applies = (view: { changes: { operation: string; action: string }[] }) =>
      view.changes.filter((receipt) => receipt.operation === 'apply' && receipt.action === 'aws.role.readOnly').length;
    const reapplied = await waitForState(
      env.idra,
      incident,
      'restricted',
      30_000,
      (view) => view.tampering.length > 0 && applies(view) === 2,
    );
    expect(reapplied.tampering).toEqual([
      expect.objectContaining({
        action: 'aws.role.readOnly',
        expected: { boundary: READ_ONLY },
        observed: { boundary: null },
        response: 'reapplied',
      }),
    ]);
    expect((await roleState(roleName)).boundary).toBe(READ_ONLY);
    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
    expect(await roleState(roleName)).toEqual(before);
  });

  it('a boundary someone else set meanwhile is drift: left as they set it, for a reviewer to confirm', async () => {
    const roleName = await createRole('agent-drifted', { 'test:playbook': 'restrict-unwatched' });
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    await waitForState(env.idra, incident, 'restricted');
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: uniqueName('owner-boundary'),
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }],
        }),
      }),
    );
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: roleName, PermissionsBoundary: Policy?.Arn }));

    const review = await env.idra.approve(incident, reviewer);
    expect(review.state).toBe('needs_review');
    expect(
      review.changes.find((receipt) => receipt.operation === 'compensate' && receipt.action === 'aws.role.readOnly')
        ?.drift,
    ).toMatchObject({ note: 'changed by someone else since: left as found', observed: { boundary: Policy?.Arn } });
    expect((await roleState(roleName)).boundary).toBe(Policy?.Arn);
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('restored');
  });
});
