import { PutUserPolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../infra/wait-for';
import type { ResponseView } from '../model/response';
import { IDRA_TAMPERED } from '../model/search-attributes';
import { createUser, iam, userState } from './support/aws';
import {
  AZURE_SUBSCRIPTIONS,
  azure,
  azureSecretSignal,
  azureState,
  createAzurePrincipal,
  ROLES,
} from './support/azure';
import { createGcpAccount, gcp, gcpKeySignal, gcpState } from './support/gcp';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

/** Waits until the watch has recorded `count` tamperings (and, when reapplying, the target is contained again). */
const tampered = (view: ResponseView, count: number) => view.tampering.length >= count;

describe('the containment watch: a contained target changed back by someone else is tampering', () => {
  const env = useIdra();
  const watched = (incident: string, count = 1) =>
    waitFor(
      `tampering in ${incident}`,
      async () => {
        const view = await env.idra.status(incident);
        return tampered(view, count) ? view : undefined;
      },
      30_000,
      200,
    );

  it('AWS: a reactivated key and an edited quarantine policy are recorded with what was seen and applied again', async () => {
    const user = await createUser('tampered', { tags: { 'test:playbook': 'watch' } });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');

    // An attacker with IAM write access undoes the containment.
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: user.userName, AccessKeyId: user.accessKeyIds[0], Status: 'Active' }),
    );
    await iam.send(
      new PutUserPolicyCommand({
        UserName: user.userName,
        PolicyName: `idra-quarantine-${incident}`,
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
        }),
      }),
    );
    const view = await watched(incident, 2);
    expect(view.tampering.map(({ action, observed, response }) => [action, observed, response]).sort()).toEqual([
      ['aws.accessKey.deactivate', { status: 'Active' }, 'reapplied'],
      [
        'aws.user.quarantine',
        { policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } },
        'reapplied',
      ],
    ]);
    await waitFor(
      'the containment to be back',
      async () => (await userState(user.userName)).keys[user.accessKeyIds[0]!] === 'Inactive',
    );
    const search = await env.idra.client.workflow.getHandle(incident).describe();
    expect(search.typedSearchAttributes.get(IDRA_TAMPERED)).toBe('true');

    // Rollback still restores exactly the state before idra (the reapplied change is undone once).
    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await userState(user.userName)).toEqual(before);
  });

  it('AWS, onTamper alert: recorded, not undone', async () => {
    const user = await createUser('tamper-alert', { tags: { 'test:playbook': 'watch-alert' } });
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: user.userName, AccessKeyId: user.accessKeyIds[0], Status: 'Active' }),
    );
    const view = await watched(incident);
    expect(view.tampering[0]).toMatchObject({
      action: 'aws.accessKey.deactivate',
      expected: { status: 'Inactive' },
      observed: { status: 'Active' },
      response: 'alerted',
    });
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Active');
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('confirmed');
  });

  it('GCP: a key enabled again and a role granted back are re-contained', async () => {
    const account = await createGcpAccount({
      keys: 1,
      bindings: (email) => [{ role: 'roles/editor', members: [`serviceAccount:${email}`] }],
    });
    const { incident } = await env.idra.respond(gcpKeySignal(account, 0, { type: 'session.compromised' }));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const contained = await gcpState(account);
    await gcp.iam.projects.serviceAccounts.keys.enable({
      name: `projects/${account.project}/serviceAccounts/${account.email}/keys/${account.keyIds[0]}`,
      requestBody: {},
    });
    const view = await watched(incident);
    expect(view.tampering[0]).toMatchObject({
      action: 'gcp.serviceAccountKey.disable',
      observed: { disabled: false },
      response: 'reapplied',
    });
    await waitFor(
      'the key to be disabled again',
      async () => (await gcpState(account)).keys[account.keyIds[0]!] === 'disabled',
    );
    expect(await gcpState(account)).toEqual(contained);
    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
  });

  it('Azure: a principal enabled again and Contributor re-added are re-contained', async () => {
    const subscription = `/subscriptions/${AZURE_SUBSCRIPTIONS[0]!}`;
    const principal = await createAzurePrincipal({
      passwords: 1,
      roles: [{ scope: subscription, role: 'Contributor' }],
    });
    const { incident } = await env.idra.respond(azureSecretSignal(principal, 0, { type: 'session.compromised' }));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const contained = await azureState(principal);
    const observer = azure();
    await observer.graph.api(`/servicePrincipals/${principal.id}`).patch({ accountEnabled: true });
    await observer.arm.roleAssignments.create(subscription, crypto.randomUUID(), {
      roleDefinitionId: `${subscription}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.contributor}`,
      principalId: principal.id,
      principalType: 'ServicePrincipal',
    });
    const view = await watched(incident, 2);
    expect(view.tampering.map((seen) => seen.action).sort()).toEqual([
      'azure.roleAssignment.readOnly',
      'azure.servicePrincipal.disable',
    ]);
    await waitFor(
      'the containment to be back',
      async () => JSON.stringify(await azureState(principal)) === JSON.stringify(contained),
    );
    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
  });
});
