/**
 * Records real response histories into test/histories/ for the replay test (`npm run histories:record`).
 * Uses the test playbooks and inventory (test/fixtures/). Re-record after a deliberate change to the workflow
 * (before the first release; after it, such a change is patched and the old histories kept: docs/development.md),
 * never to make a failing replay pass.
 */
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IdraClient } from '../clients/idra-client';
import { readSecretFile } from '../auth/auth-config';
import { mintAnalystToken } from '../auth/mint-token';
import { idraDataConverter } from '../codec/data-converter';
import { freePort } from '../infra/free-port';
import { seedAzure, startAzureEmulator } from '../infra/azure-emulator';
import { seedGcp, startGcpEmulator } from '../infra/gcp-emulator';
import {
  integrationSignal,
  managedInstallation,
  seedGithubOrg,
  seedLocalGithubApps,
  startGithubEmulator,
} from '../infra/github-emulator';
import { makeLocalTls, trustInThisProcess } from '../infra/local-tls';
import { startMotoServer } from '../infra/moto-server';
import { PROJECT_ROOT } from '../config/paths';
import { createIamUser } from '../infra/seed-aws';
import { startTemporalDevServer, temporalCli } from '../infra/temporal-dev-server';
import { waitFor } from '../infra/wait-for';
import { GUARD_WORKFLOW_ID } from '../model/guard';
import type { ResponseState } from '../model/response-states';
import { workerConfigFromEnv } from '../workers/config';
import { createWorkers } from '../workers/create-workers';

const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');
const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures');
const ACCOUNT = '123456789012';
const AZURE_TENANT = '33333333-3333-4333-8333-333333333333';
const AZURE_SUBSCRIPTION = '11111111-1111-4111-8111-111111111111';
const alice = { analyst: 'alice@example.com', reason: 'recorded scenario' };
const bob = { analyst: 'bob@example.com', reason: 'recorded scenario' };

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-record-'));
  const temporal = await startTemporalDevServer({
    port: 'any',
    dbFile: path.join(runDir, 't.db'),
    logFile: path.join(runDir, 't.log'),
  });
  const moto = await startMotoServer({ port: await freePort(), logFile: path.join(runDir, 'moto.log') });
  const gcp = await startGcpEmulator();
  const tls = makeLocalTls(path.join(runDir, 'tls'));
  // The workers run in this process, which started before the CA existed.
  trustInThisProcess(tls.caFile);
  const azure = await startAzureEmulator(tls);
  const github = await startGithubEmulator();
  const githubApps = await seedLocalGithubApps(github.endpoint, runDir);
  Object.assign(process.env, {
    // The providers these scenarios act on (Keycloak's agents are recorded by no scenario yet).
    IDRA_WORKER_ROLES: 'responses,guard,aws,gcp,azure,github',
    ...githubApps.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'record',
    AWS_SECRET_ACCESS_KEY: 'record',
    TEMPORAL_ADDRESS: temporal.address,
    IDRA_PLAYBOOKS_DIR: path.join(FIXTURES, 'playbooks'),
    IDRA_INVENTORY_FILE: path.join(FIXTURES, 'inventory.yaml'),
    IDRA_CODEC_KEYS_FILE: path.join(FIXTURES, 'codec-keys.test.json'),
    IDRA_AUTH_HS256_SECRET_FILE: path.join(FIXTURES, 'analyst-token-secret.test'),
    IDRA_GCP_ENDPOINT: gcp.endpoint,
    GOOGLE_OAUTH_ACCESS_TOKEN: 'record',
    IDRA_AZURE_ARM_ENDPOINT: azure.endpoint,
    IDRA_AZURE_GRAPH_ENDPOINT: azure.endpoint,
    IDRA_AZURE_KEYVAULT_URL: azure.endpoint,
    IDRA_AZURE_KEYVAULT_CHALLENGE_CHECK: 'off',
    AZURE_ACCESS_TOKEN: 'record',
    AZURE_SUBSCRIPTION_IDS: AZURE_SUBSCRIPTION,
  });
  const { workers, close } = await createWorkers(workerConfigFromEnv());
  const running = Promise.all(workers.map((worker) => worker.run()));
  const connection = await Connection.connect({ address: temporal.address });
  const iam = new IAMClient({});
  try {
    const secret = readSecretFile(path.join(FIXTURES, 'analyst-token-secret.test'));
    const token = (analyst: string, incident: string) => mintAnalystToken(secret, { analyst, incident });
    const idra = new IdraClient(connection, 'default', idraDataConverter(), token);
    const signalFor = async (name: string, options: { playbook?: string; keyOf?: string } = {}) => {
      const user = await createIamUser(iam, name, {
        keys: 2,
        tags: options.playbook ? { 'test:playbook': options.playbook } : {},
      });
      const key = options.keyOf ? (await createIamUser(iam, options.keyOf)).accessKeyIds[0] : user.accessKeyIds[0];
      return {
        source: 'github-secret-scanning',
        type: 'credential.leaked',
        severity: 'critical',
        observedAt: '2026-11-26T10:00:00Z',
        identity: { provider: 'aws', kind: 'access_key', account: ACCOUNT, userName: name, accessKeyId: key },
        evidence: { summary: `recorded scenario ${name}` },
      };
    };
    const waitState = (incident: string, state: ResponseState) =>
      waitFor(`${incident} ${state}`, async () => (await idra.status(incident)).state === state);
    const save = (name: string, workflowId: string) => {
      // The CLI writes the standard JSON history format that the replayer (historyFromJSON) reads.
      const json = execFileSync(
        temporalCli(),
        ['workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--address', temporal.address],
        { encoding: 'utf8' },
      );
      fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
      console.log(`recorded ${name}`);
    };
    const finished = async (name: string, incident: string) => {
      await idra.client.workflow
        .getHandle(incident)
        .result()
        .catch(() => undefined);
      save(name, incident);
    };

    const approved = await idra.respond(await signalFor('approved'));
    await waitState(approved.incident, 'awaiting_decision');
    await idra.approve(approved.incident, alice);
    await finished('approved', approved.incident);

    const rolledBack = await idra.respond(await signalFor('rolled-back'));
    await waitState(rolledBack.incident, 'awaiting_decision');
    await idra.rollback(rolledBack.incident, alice);
    await finished('rolled-back', rolledBack.incident);

    const joinedSignal = await signalFor('joined');
    const joined = await idra.respond({ ...joinedSignal, id: 'first' });
    await idra.respond({ ...joinedSignal, id: 'second', source: 'guardduty' });
    await waitState(joined.incident, 'awaiting_decision');
    await idra.client.workflow.getHandle(joined.incident).signal('approve', {
      analyst: 'mallory@example.com',
      reason: 'denied: not an approver',
      assertion: await token('mallory@example.com', joined.incident),
    });
    await idra.decide('confirm', joined.incident, alice);
    await finished('joined-and-denied', joined.incident);

    const failed = await idra.respond(await signalFor('failed', { keyOf: 'failed-owner' }));
    await waitState(failed.incident, 'containment_failed');
    await idra.rollback(failed.incident, alice);
    await finished('containment-failed', failed.incident);

    await finished(
      'timed-out',
      (await idra.respond(await signalFor('timed-out', { playbook: 'short-timeout' }))).incident,
    );
    await finished('ttl-reverted', (await idra.respond(await signalFor('ttl-reverted', { playbook: 'ttl' }))).incident);

    const twoApprovers = await idra.respond(await signalFor('two-approvers', { playbook: 'two-approvers' }));
    await waitState(twoApprovers.incident, 'awaiting_decision');
    await idra.approve(twoApprovers.incident, alice);
    await idra.approve(twoApprovers.incident, bob);
    await finished('two-approvers', twoApprovers.incident);

    const guarded = await idra.respond(await signalFor('approval-first', { playbook: 'approval-first' }));
    await waitState(guarded.incident, 'awaiting_approval');
    await idra.approve(guarded.incident, alice);
    await idra.decide('confirm', guarded.incident, bob);
    await finished('approval-first', guarded.incident);

    const cancelled = await idra.respond(await signalFor('cancelled'));
    await waitState(cancelled.incident, 'awaiting_decision');
    await idra.decide('cancel', cancelled.incident, bob);
    await finished('cancelled', cancelled.incident);

    const [gcpProject] = await seedGcp(gcp.endpoint, [
      { projectId: 'record-gcp-1', serviceAccounts: [{ accountId: 'etl-runner', keys: 1 }] },
    ]);
    const gcpAccount = gcpProject?.serviceAccounts[0];
    const gcpLeak = await idra.respond({
      source: 'github-secret-scanning',
      type: 'credential.leaked',
      severity: 'high',
      observedAt: '2026-11-26T10:00:00Z',
      identity: {
        provider: 'gcp',
        kind: 'service_account_key',
        project: 'record-gcp-1',
        email: gcpAccount?.email,
        keyId: gcpAccount?.keyIds[0],
      },
      evidence: { summary: 'recorded scenario gcp' },
    });
    await waitState(gcpLeak.incident, 'awaiting_decision');
    await idra.rollback(gcpLeak.incident, alice);
    await finished('gcp-rolled-back', gcpLeak.incident);

    const seededAzure = await seedAzure(azure.endpoint, tls.caFile, {
      tenant: AZURE_TENANT,
      principals: [
        {
          displayName: 'deploy-bot',
          roles: [
            {
              scope: `/subscriptions/${AZURE_SUBSCRIPTION}`,
              role: 'Owner',
              name: '0f0e0d0c-0b0a-4909-8807-060504030201',
            },
          ],
        },
      ],
    });
    const azureAnomaly = await idra.respond({
      source: 'defender',
      type: 'privilege.anomalous',
      severity: 'high',
      observedAt: '2026-11-26T10:00:00Z',
      identity: {
        provider: 'azure',
        kind: 'service_principal',
        tenant: AZURE_TENANT,
        objectId: seededAzure.principals[0]?.id,
      },
      evidence: { summary: 'recorded scenario azure' },
    });
    await waitState(azureAnomaly.incident, 'awaiting_decision');
    await idra.rollback(azureAnomaly.incident, alice);
    await finished('azure-rolled-back', azureAnomaly.incident);

    const trust = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    };
    const agentRole = async (name: string) => {
      await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
      return {
        source: 'agent-gateway',
        type: 'agent.tool_call.anomalous',
        severity: 'high',
        observedAt: '2026-11-26T10:00:00Z',
        identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName: name },
        evidence: { summary: `recorded scenario ${name}`, details: { tool: 'aws.s3.delete_bucket' } },
      };
    };
    const restored = await idra.respond(await agentRole('restricted-restored'));
    await waitState(restored.incident, 'restricted');
    await idra.approve(restored.incident, bob);
    await finished('restricted-restored', restored.incident);

    const kept = await idra.respond(await agentRole('restricted-kept'));
    await waitState(kept.incident, 'restricted');
    await idra.decide('reject', kept.incident, bob);
    await finished('restricted-kept', kept.incident);

    const org = await seedGithubOrg(github.endpoint, 'acme');
    const integration = await idra.respond(
      integrationSignal(managedInstallation(org), {
        observedAt: '2026-11-26T10:00:00Z',
        evidence: { summary: 'recorded scenario github' },
      }),
    );
    await waitState(integration.incident, 'restricted');
    await idra.approve(integration.incident, bob);
    await finished('github-restored', integration.incident);

    // Just in time: standing admin off, a grant that expires by its timer, one revoked early, then restored.
    const jitRole = 'jit-restored';
    await iam.send(new CreateRoleCommand({ RoleName: jitRole, AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await iam.send(
      new AttachRolePolicyCommand({ RoleName: jitRole, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
    );
    const jit = await idra.respond({
      source: 'cloudtrail-baseline',
      type: 'privilege.anomalous_use',
      severity: 'high',
      observedAt: '2026-12-02T06:00:00Z',
      identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName: jitRole },
      evidence: { summary: 'recorded scenario jit' },
    });
    await waitState(jit.incident, 'on_jit');
    const granted = async (duration: string) => {
      const { id } = await idra.jitRequest(jit.incident, {
        requester: 'deploy-bot@example.com',
        privilege: 'admin',
        duration,
        reason: 'recorded scenario',
      });
      await idra.jitApprove(jit.incident, { ...alice, grant: id });
      return (await idra.jitApprove(jit.incident, { ...bob, grant: id })).id;
    };
    const expiring = await granted('2s');
    await waitFor('the grant to expire', async () =>
      (await idra.status(jit.incident)).jitGrants?.some((grant) => grant.id === expiring && grant.state === 'expired'),
    );
    await idra.jitRevoke(jit.incident, { ...bob, grant: await granted('5m') });
    await idra.decide('rollback', jit.incident, alice);
    await finished('jit-restored', jit.incident);

    await idra.pause(alice);
    await idra.resume(alice);
    save('guard', GUARD_WORKFLOW_ID);
  } finally {
    workers.forEach((worker) => worker.shutdown());
    await running;
    await Promise.all([connection.close(), close()]);
    await Promise.all([temporal.stop(), moto.stop(), gcp.stop(), azure.stop(), github.stop()]);
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
