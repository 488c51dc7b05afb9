import { describe, expect, it } from 'vitest';
import { createRole, roleState } from './support/aws';
import { useRestrictedIdra } from './support/restricted-moto';
import { agentToolCallSignal } from './support/signals';
import { waitForState } from './support/temporal';

describe('restrict until approved: an approval whose undo fails is reported, never passed off as restored', () => {
  // The worker may set a role's permissions boundary but not remove it: lifting the restriction is refused.
  const env = useRestrictedIdra(['iam:DeleteRolePermissionsBoundary']);

  it('ends rollback_failed naming the step left in place; rollback again, once permitted, restores exactly', async () => {
    const roleName = await createRole('agent-undo-denied', {}, env.moto.admin);
    const before = await roleState(roleName, env.moto.admin);
    const { incident } = await env.idra.respond(agentToolCallSignal(roleName));
    await waitForState(env.idra, incident, 'restricted');

    const failed = await env.idra.approve(incident, { analyst: 'bob@example.com', reason: 'reviewed: continue' });
    expect(failed.state).toBe('rollback_failed');
    expect(failed.leftInPlace).toEqual([`step 0 aws.role.readOnly on permissions boundary of IAM role ${roleName}`]);
    expect((await roleState(roleName, env.moto.admin)).boundary).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');

    await env.moto.allowEverything(env.worker.userName);
    const done = await env.idra.rollback(incident, {
      analyst: 'alice@example.com',
      reason: 'permission granted, retry the undo',
    });
    expect(done.state).toBe('restored');
    expect(done.leftInPlace).toEqual([]);
    expect(await roleState(roleName, env.moto.admin)).toEqual(before);
  });
});
