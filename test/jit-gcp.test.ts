import { describe, expect, it } from 'vitest';
import type { GcpAccount } from './support/gcp';
import { waitFor } from '../infra/wait-for';
import { createGcpAccount, editConcurrently, gcp, gcpAccountMay, gcpState } from './support/gcp';
import { privilegeAnomalousUseSignal } from './support/signals';
import { useIdra, waitForGrant, waitForState } from './support/temporal';

const UPDATE = 'run.services.update';

function accountSignal(account: GcpAccount): Record<string, unknown> {
  return privilegeAnomalousUseSignal('unused', {
    identity: { provider: 'gcp', kind: 'service_account', project: account.project, email: account.email },
  });
}

describe('just in time on GCP: a service account loses its standing Cloud Run admin role and gets it back as a conditional binding', () => {
  const env = useIdra();

  it('removes standing run.admin (viewer and others stay), grants it until its end, removes it then; restore is exact and keeps a concurrent edit', async () => {
    const account = await createGcpAccount({
      bindings: (email) => [
        { role: 'roles/run.admin', members: [`serviceAccount:${email}`, 'user:owner@example.com'] },
        { role: 'roles/viewer', members: [`serviceAccount:${email}`] },
      ],
    });
    const before = await gcpState(account);
    const { incident } = await env.idra.respond(accountSignal(account));
    await waitForState(env.idra, incident, 'on_jit');
    expect((await gcpState(account)).bindings).toEqual([
      { role: 'roles/run.admin', members: ['user:owner@example.com'] },
      { role: 'roles/viewer', members: [`serviceAccount:${account.email}`] },
    ]);
    expect(await gcpAccountMay(account, UPDATE)).toBe(false);

    const { id } = await env.idra.jitRequest(incident, {
      requester: 'deploy-bot@example.com',
      privilege: 'deploy',
      duration: '10s',
      reason: 'schema migration',
    });
    const grant = await env.idra.jitApprove(incident, { grant: id, analyst: 'alice@example.com', reason: 'MIG-7' });
    expect(grant.state).toBe('active');
    expect((await gcpState(account)).bindings).toContainEqual({
      role: 'roles/run.admin',
      members: [`serviceAccount:${account.email}`],
      condition: `request.time < timestamp("${grant.endsAt}")`,
    });
    expect(await gcpAccountMay(account, UPDATE)).toBe(true);

    const expired = await waitForGrant(env.idra, incident, id, 'expired');
    expect(expired.jitGrants?.[0]?.endedBecause).toBe('its end came');
    expect(await gcpAccountMay(account, UPDATE)).toBe(false);
    expect((await gcpState(account)).bindings.filter((binding) => 'condition' in binding)).toEqual([]);

    // Someone else edits the project's policy right after idra reads it to restore: their binding is kept.
    await editConcurrently(account.project, { role: 'roles/browser', members: ['user:auditor@example.com'] });
    const restored = await env.idra.decide('rollback', incident, {
      analyst: 'bob@example.com',
      reason: 'planned migration',
    });
    expect(restored.state).toBe('restored');
    expect(await gcpState(account)).toEqual({
      ...before,
      bindings: [{ role: 'roles/browser', members: ['user:auditor@example.com'] }, ...before.bindings],
    });
  });

  it('standing run.admin someone grants back during JIT is tampering: taken away again; a grant revoked early is gone', async () => {
    const account = await createGcpAccount({
      bindings: (email) => [{ role: 'roles/run.admin', members: [`serviceAccount:${email}`] }],
    });
    const { incident } = await env.idra.respond(accountSignal(account));
    await waitForState(env.idra, incident, 'on_jit');
    const member = `serviceAccount:${account.email}`;
    const [policy] = await gcp.projects.getIamPolicy({
      resource: `projects/${account.project}`,
      options: { requestedPolicyVersion: 3 },
    });
    await gcp.projects.setIamPolicy({
      resource: `projects/${account.project}`,
      policy: {
        version: 3,
        etag: policy.etag,
        bindings: [...(policy.bindings ?? []), { role: 'roles/run.admin', members: [member] }],
      },
    });
    const seen = await waitForState(env.idra, incident, 'on_jit', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({
      action: 'gcp.serviceAccount.removeStandingRoles',
      observed: { roles: [{ role: 'roles/run.admin' }] },
      response: 'reapplied',
    });
    await waitFor(
      'the standing role to be taken away again',
      async () => !(await gcpAccountMay(account, UPDATE)),
      30_000,
    );

    const { id } = await env.idra.jitRequest(incident, {
      requester: 'deploy-bot@example.com',
      privilege: 'deploy',
      duration: '5m',
      reason: 'hotfix',
    });
    await env.idra.jitApprove(incident, { grant: id, analyst: 'alice@example.com', reason: 'HOT-1' });
    expect(await gcpAccountMay(account, UPDATE)).toBe(true);
    const revoked = await env.idra.jitRevoke(incident, { grant: id, analyst: 'bob@example.com', reason: 'done' });
    expect(revoked.state).toBe('revoked');
    expect(await gcpAccountMay(account, UPDATE)).toBe(false);
  });
});
