import type { WorkflowHandle } from '@temporalio/client';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import type { ServiceProcess } from '../infra/service-process';
import { startWorkerProcess } from '../infra/worker-process';
import { waitFor } from '../infra/wait-for';
import {
  attachedPolicies,
  createUser,
  jitGrantPolicy,
  privilegedRole,
  READ_ONLY_ACCESS,
  roleState,
  userState,
} from './support/aws';
import {
  AZURE_SUBSCRIPTIONS,
  AZURE_TENANT,
  type AzurePrincipal,
  azureSecretSignal,
  azureState,
  createAzurePrincipal,
  pimTimeBound,
  ROLES,
  shortPimMinimum,
} from './support/azure';
import { createGcpAccount, type GcpAccount, gcpAccountMay, gcpKeySignal, gcpState } from './support/gcp';
import { createOrg, integrationSignal, orgState } from './support/github';
import { leakSignal, privilegeAnomalousUseSignal } from './support/signals';
import { connectIdra, waitForGrant, waitForState } from './support/temporal';

function startWorker(name: string): Promise<ServiceProcess> {
  return startWorkerProcess({ name, logFile: path.join(inject('runDir'), `${name}.log`) });
}

/** SIGKILL: no shutdown, no draining; in-flight activities are simply lost. */
async function killWorker(worker: ServiceProcess): Promise<void> {
  worker.child.kill('SIGKILL');
  await waitFor('the worker to die', () => Promise.resolve(worker.child.signalCode === 'SIGKILL'));
}

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

function scheduledActivityTypes(events: HistoryEvents): string[] {
  return events.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
}

describe('a worker killed with SIGKILL mid-response', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  let worker: ServiceProcess | undefined;

  beforeAll(async () => ({ idra, close } = await connectIdra()));
  // Each test's last worker goes with it: a worker left polling would take the next test's (or file's) tasks.
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(() => close());

  it('finishes after a restart, applies each change once, and still rolls back exactly', async () => {
    const user = await createUser('crashy', { keys: 2 });
    const before = await userState(user.userName);
    worker = await startWorker('worker-1');
    const { incident } = await idra.respond(leakSignal(user, 0));

    // Kill the moment the first change is visible in moto: the saga is between its steps.
    await waitFor(
      'the key to be deactivated',
      async () => (await userState(user.userName)).keys[user.accessKeyIds[0]!] === 'Inactive',
      30_000,
      5,
    );
    await killWorker(worker);

    worker = await startWorker('worker-2');
    const view = await waitForState(idra, incident, 'awaiting_decision', 60_000);
    expect(view.changes.map((receipt) => [receipt.step, receipt.operation, receipt.changed]).sort()).toEqual([
      [0, 'apply', true],
      [1, 'apply', true],
      [2, 'apply', true],
    ]);
    const contained = await userState(user.userName);
    expect(contained.keys).toEqual({ [user.accessKeyIds[0]!]: 'Inactive', [user.accessKeyIds[1]!]: 'Active' });
    expect(Object.keys(contained.policies)).toEqual([`idra-quarantine-${incident}`]);

    // Killed again while waiting for the analyst; the next worker picks the response up from history.
    await killWorker(worker);
    worker = await startWorker('worker-3');
    const final = await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'false positive' });
    expect(final.state).toBe('rolled_back');
    expect(await userState(user.userName)).toEqual(before);

    const events = (await idra.client.workflow.getHandle(incident).fetchHistory()).events ?? [];
    // Each activity was scheduled exactly once: retries after the crash reuse the same activity. Every
    // target was read in one batch while the guard decided; each stage was applied in one batch (two
    // stages); each step is undone on its own. (Resolving the playbook is a local activity, a marker.)
    expect(scheduledActivityTypes(events).sort()).toEqual(
      [
        'aws.identity.describe',
        'admitContainment',
        'aws.steps.snapshot',
        'aws.steps.apply',
        'aws.steps.apply',
        ...['aws.accessKey.deactivate', 'aws.user.quarantine', 'aws.identity.tag'].map(
          (action) => `${action}.compensate`,
        ),
      ].sort(),
    );
  });

  it('a GCP response too: killed while rotating, the key is rotated once and rollback is exact', async () => {
    const account = await createGcpAccount({ keys: 2 });
    const before = await gcpState(account);
    worker = await startWorker('worker-gcp-1');
    const { incident } = await idra.respond(gcpKeySignal(account));

    await waitFor(
      'the leaked key to be disabled',
      async () => (await gcpState(account)).keys[account.keyIds[0]!] === 'disabled',
      30_000,
      5,
    );
    await killWorker(worker);

    worker = await startWorker('worker-gcp-2');
    const view = await waitForState(idra, incident, 'awaiting_decision', 60_000);
    expect(view.changes.map((receipt) => [receipt.action, receipt.operation, receipt.changed]).sort()).toEqual([
      ['gcp.serviceAccount.deny', 'apply', true],
      ['gcp.serviceAccountKey.disable', 'apply', true],
      ['gcp.serviceAccountKey.rotate', 'apply', true],
    ]);
    // Exactly one new key, whatever attempt made it.
    expect(Object.keys((await gcpState(account)).keys)).toHaveLength(3);

    const final = await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'false positive' });
    expect(final.state).toBe('rolled_back');
    expect(await gcpState(account)).toEqual(before);
  });

  it('an Azure response too: killed mid-containment, each change lands once and rollback is exact', async () => {
    const principal = await createAzurePrincipal({ passwords: 1 });
    const before = await azureState(principal);
    worker = await startWorker('worker-azure-1');
    const { incident } = await idra.respond(azureSecretSignal(principal));

    await waitFor('the principal to be disabled', async () => !(await azureState(principal)).enabled, 30_000, 5);
    await killWorker(worker);

    worker = await startWorker('worker-azure-2');
    const view = await waitForState(idra, incident, 'awaiting_decision', 60_000);
    expect(view.changes.map((receipt) => [receipt.action, receipt.operation, receipt.changed]).sort()).toEqual([
      ['azure.servicePrincipal.disable', 'apply', true],
      ['azure.servicePrincipal.rotatePassword', 'apply', true],
    ]);
    // Exactly one new client secret, whatever attempt made it.
    expect((await azureState(principal)).passwords).toHaveLength(2);

    expect((await idra.rollback(incident, { analyst: 'alice@example.com', reason: 'false positive' })).state).toBe(
      'rolled_back',
    );
    expect(await azureState(principal)).toEqual(before);
  });

  it('a GitHub response too: killed while removing a deploy key, it is removed once and approval adds it back exactly', async () => {
    const target = await createOrg();
    const [key] = target.deployKeys;
    const before = await orgState(target);
    worker = await startWorker('worker-github-1');
    const identity = { kind: 'deploy_key', owner: target.org, repo: target.repo, keyId: String(key!.id) };
    const { incident } = await idra.respond(integrationSignal(identity));

    const gone = async () => (await orgState(target)).deployKeys[target.repo]!.every((entry) => entry.key !== key!.key);
    await waitFor('the deploy key to be removed', gone, 30_000, 5);
    await killWorker(worker);

    worker = await startWorker('worker-github-2');
    const view = await waitForState(idra, incident, 'restricted', 60_000);
    expect(view.changes.map((receipt) => [receipt.action, receipt.operation, receipt.changed])).toEqual([
      ['github.deployKey.remove', 'apply', true],
    ]);
    expect((await idra.approve(incident, { analyst: 'bob@example.com', reason: 'revalidated' })).state).toBe(
      'restored',
    );
    expect(await orgState(target)).toEqual(before);
  });

  /**
   * A just-in-time grant on each provider, with every worker SIGKILLed before its end: the provider's own end
   * holds meanwhile (`ended`), and idra removes what is left once a worker is back (`removed`).
   */
  const jitCases: {
    provider: string;
    open: () => Promise<{ signal: Record<string, unknown>; privilege: string; approvers: string[] }>;
    ended: (endsAt: string) => Promise<void>;
    removed: () => Promise<void>;
  }[] = (() => {
    let roleName = '';
    let account: GcpAccount | undefined;
    let principal: AzurePrincipal | undefined;
    const subscription = `/subscriptions/${AZURE_SUBSCRIPTIONS[0]}`;
    return [
      {
        provider: 'AWS',
        open: async () => {
          roleName = await privilegedRole('jit-crash');
          const signal = privilegeAnomalousUseSignal(roleName);
          return { signal, privilege: 'admin', approvers: ['alice@example.com', 'bob@example.com'] };
        },
        // The policy is still there, bounded: AWS stops honouring it at its end.
        ended: async (endsAt) =>
          expect((await jitGrantPolicy(roleName, 'admin')).Statement[0]?.Condition).toEqual({
            DateLessThan: { 'aws:CurrentTime': endsAt },
          }),
        removed: async () => {
          expect((await roleState(roleName)).policies).toEqual([]);
          expect(await attachedPolicies(roleName)).toEqual([READ_ONLY_ACCESS]);
        },
      },
      {
        provider: 'GCP',
        open: async () => {
          account = await createGcpAccount({
            bindings: (email) => [{ role: 'roles/run.admin', members: [`serviceAccount:${email}`] }],
          });
          const identity = { provider: 'gcp', kind: 'service_account', project: account.project, email: account.email };
          return {
            signal: privilegeAnomalousUseSignal('unused', { identity }),
            privilege: 'deploy',
            approvers: ['alice@example.com'],
          };
        },
        // The binding is still there, and IAM no longer honours it.
        ended: async () => {
          expect((await gcpState(account!)).bindings.filter((binding) => 'condition' in binding)).toHaveLength(1);
          expect(await gcpAccountMay(account!, 'run.services.update')).toBe(false);
        },
        removed: async () =>
          expect((await gcpState(account!)).bindings.filter((binding) => 'condition' in binding)).toEqual([]),
      },
      {
        provider: 'Azure',
        open: async () => {
          principal = await createAzurePrincipal({ roles: [{ scope: subscription, role: ROLES.contributor }] });
          await shortPimMinimum(principal);
          const identity = {
            provider: 'azure',
            kind: 'service_principal',
            tenant: AZURE_TENANT,
            objectId: principal.id,
          };
          return {
            signal: privilegeAnomalousUseSignal('unused', { identity }),
            privilege: 'contributor',
            approvers: ['alice@example.com'],
          };
        },
        // PIM ended the assignment itself.
        ended: async () => expect(await pimTimeBound(principal!)).toEqual([]),
        removed: async () => expect((await azureState(principal!)).assignments).toEqual([]),
      },
    ];
  })();

  it.each(jitCases)(
    '$provider: a just-in-time grant whose end passes with every worker down ends at the provider, and idra records it once back',
    async ({ provider, open, ended, removed }) => {
      const { signal, privilege, approvers } = await open();
      worker = await startWorker(`worker-jit-${provider}-1`);
      const { incident } = await idra.respond(signal);
      await waitForState(idra, incident, 'on_jit', 60_000);
      const { id } = await idra.jitRequest(incident, {
        requester: 'deploy-bot@example.com',
        privilege,
        duration: '10s',
        reason: 'hotfix deploy',
      });
      let endsAt = '';
      for (const analyst of approvers)
        ({ endsAt = '' } = await idra.jitApprove(incident, { grant: id, analyst, reason: 'hotfix checked' }));
      await killWorker(worker);

      // Nothing of idra runs when the end passes: the grant's own end at the provider is what stops it.
      await waitFor('the grant to end', () => Promise.resolve(Date.now() > Date.parse(endsAt) + 1_000), 30_000);
      await ended(endsAt);

      worker = await startWorker(`worker-jit-${provider}-2`);
      const view = await waitForGrant(idra, incident, id, 'expired');
      expect(view.jitGrants?.[0]).toMatchObject({ id, state: 'expired', endsAt, endedBecause: 'its end came' });
      await removed();
    },
  );
});
