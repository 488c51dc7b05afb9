import { describe, expect, it } from 'vitest';
import { createRole, roleState } from './support/aws';
import { analyst, useIdra, waitForState } from './support/temporal';

describe('a role acting beyond its pattern: sessions revoked, read-only, fenced, then restored', () => {
  const env = useIdra();

  it('runs the revocation first, then the parallel stage, and rollback restores the role exactly', async () => {
    const roleName = await createRole('deploy-automation');
    const before = await roleState(roleName);
    const { incident } = await env.idra.respond({
      source: 'siem',
      type: 'privilege.anomalous',
      severity: 'high',
      observedAt: '2026-11-26T10:00:00Z',
      identity: { provider: 'aws', kind: 'role', account: '123456789012', roleName },
      evidence: { summary: 'role created IAM users at 03:12, never seen before' },
    });
    expect(incident).toBe(`idra-aws-123456789012-role-${roleName}`);
    const contained = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(contained.plan?.stages.map((stage) => stage.map((step) => step.action))).toEqual([
      ['aws.role.revokeSessions'],
      ['aws.role.readOnly', 'aws.role.quarantine', 'aws.identity.tag'],
    ]);
    expect(await roleState(roleName)).toEqual({
      boundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      policies: [`idra-quarantine-${incident}`, `idra-revoke-sessions-${incident}`],
      tags: { [`idra:incident:${incident}`]: 'contained' },
    });

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await roleState(roleName)).toEqual(before);
  });
});
