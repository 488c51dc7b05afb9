/**
 * The main command (`npm start`): the embedded default deployment on one machine. Brings up the Temporal
 * dev server (SQLite under .data/, UI on :8233), moto and the local GCP and Azure seeded with sample identities
 * (no cloud credentials are configured), and idra's workers; prints where to look and what to send. Ctrl-C stops everything.
 * It looks after what it started: a Temporal server or workers that die are restarted (at most 3 times in 5
 * minutes, said on the console); moto dying (its state lives in memory), or too many restarts, stops
 * everything with a message that names what died and its log.
 * `npm start -- --fleet` runs Temporal as a deployment does instead: PostgreSQL and the four Temporal services
 * as processes of their own, and several worker processes per role (infra/fleet.ts), each supervised alike.
 */
import { AttachRolePolicyCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEV_AUTH_SECRET_FILE, ensureSecretFile } from '../auth/auth-config';
import { createCodecAccess } from '../codec/codec-access';
import { codecAccessFromEnv } from '../codec/codec-access-config';
import { codecLoginSecret, DEV_CODEC_LOGIN_SECRET_FILE } from '../codec/codec-login-secret';
import { createCodecServer } from '../codec/codec-server';
import { codecLoginLink } from '../codec/login-link';
import { EncryptionCodec } from '../codec/encryption-codec';
import { DEV_KEYRING_FILE, ensureKeyring, keyringFromEnv } from '../codec/keyring';
import { freePort } from '../infra/free-port';
import { seedAzure, startAzureEmulator } from '../infra/azure-emulator';
import { seedGcp, startGcpEmulator } from '../infra/gcp-emulator';
import {
  integrationSignal,
  LOCAL_GITHUB_APPS,
  managedInstallation,
  seedGithub,
  seedGithubOrg,
  seedLocalGithubApps,
  startGithubEmulator,
} from '../infra/github-emulator';
import { makeLocalTls } from '../infra/local-tls';
import { startMotoServer } from '../infra/moto-server';
import { DATA_DIR } from '../config/paths';
import { createIamUser } from '../infra/seed-aws';
import type { ServiceProcess } from '../infra/service-process';
import { supervise, type SupervisionPolicy } from '../infra/supervise';
import { startWorkerProcess } from '../infra/worker-process';
import { startFleet } from '../infra/fleet';
import { FLEET_REPLICAS } from '../infra/fleet-workers';
import { temporalTarget } from '../config/temporal-connection';
import { startTemporalDevServer } from '../infra/temporal-dev-server';
import { startTemporalUi } from '../infra/temporal-ui';
import { startKeycloak } from '../infra/keycloak';
import { bootstrapAdmin, createAgentClient, seedAgentRealm } from '../infra/seed-keycloak';
import { workerPermissions } from '../providers/catalog';
import { IdraClient, recordSignal } from '../clients/idra-client';
import { incidentOfSignal } from '../model/identity';
import { workerConfigFromEnv } from '../workers/config';
import { ingestConfigFromEnv } from '../ingest/ingest-config';
import { createIngestServer } from '../ingest/ingest-server';
import { ingestOptions } from '../ingest/ingest-options';
import { githubSignature } from '../ingest/github-signature';
import { Connection } from '@temporalio/client';
import { idraDataConverter } from '../codec/data-converter';

/** `--fleet`: Temporal as a cluster on PostgreSQL and several worker processes per role (docs/deployment.md). */
const FLEET = parseArgs({ options: { fleet: { type: 'boolean', default: false } }, strict: true }).values.fleet;
const FLEET_DIR = path.join(DATA_DIR, 'fleet');
const TEMPORAL_PORT = Number(process.env.IDRA_TEMPORAL_PORT ?? 7233);
const UI_PORT = Number(process.env.IDRA_UI_PORT ?? 8233);
const CODEC_PORT = Number(process.env.IDRA_CODEC_PORT ?? 8888);
const MOTO_ACCOUNT = '123456789012';
const RESTART: SupervisionPolicy = { maxRestarts: 3, withinMs: 5 * 60_000 };
const GCP_PROJECT = 'acme-data-prod';
const AZURE_TENANT = '72f988bf-0000-4000-8000-000000000001';
const AZURE_SUBSCRIPTION = '6d1f4a4e-0000-4000-8000-000000000002';

async function main(): Promise<void> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const services: Pick<ServiceProcess, 'name' | 'stop'>[] = [];
  const stopAll = async () => {
    await Promise.all(services.reverse().map((service) => service.stop()));
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));
  const say = (line: string) => console.log(`idra: ${line}`);
  const giveUp = (message: string) => {
    console.error(`idra: ${message}`);
    void stopAll().then(() => process.exit(1));
  };
  // A restart keeps the service's address (fixed ports), so what the first start returned stays true.
  const supervised = async <Service extends ServiceProcess>(
    start: () => Promise<Service>,
    policy: SupervisionPolicy = RESTART,
  ): Promise<Service> => {
    const first = await start();
    services.push(supervise(first, start, policy, say, giveUp));
    return first;
  };

  try {
    // Payloads are encrypted; without configured keys, a development keyring is made once under .data/.
    if (!process.env.IDRA_CODEC_KEYS_FILE) ensureKeyring(DEV_KEYRING_FILE);
    // Decisions carry signed analyst tokens; without an identity provider configured, a development
    // secret under .data/ signs them (the CLI mints short-lived tokens with it, `idra token` prints one).
    if (!process.env.IDRA_AUTH_HS256_SECRET_FILE && !process.env.IDRA_AUTH_JWKS) ensureSecretFile(DEV_AUTH_SECRET_FILE);
    // Login links to the codec server have a secret of their own (never the one that signs decisions).
    if (!process.env.IDRA_CODEC_LOGIN_SECRET_FILE) ensureSecretFile(DEV_CODEC_LOGIN_SECRET_FILE);
    // The codec server decrypts for nobody unauthenticated: here, for whoever runs this (a login link below).
    const viewer = os.userInfo().username;
    const access = createCodecAccess(
      codecAccessFromEnv({ ...process.env, IDRA_CODEC_ALLOWED_USERS: process.env.IDRA_CODEC_ALLOWED_USERS ?? viewer }),
    );
    const codecServer = createCodecServer({
      codec: new EncryptionCodec(keyringFromEnv()),
      allowedOrigin: `http://localhost:${UI_PORT}`,
      access,
    });
    await new Promise<void>((resolve, reject) =>
      codecServer.once('error', reject).listen(CODEC_PORT, '127.0.0.1', resolve),
    );
    services.push({
      name: 'codec server',
      stop: () => new Promise<void>((resolve) => codecServer.close(() => resolve())),
    });
    const codecEndpoint = `http://localhost:${CODEC_PORT}`;

    // Dev server: history in SQLite under .data/, and a restarted server goes on where it stopped, on the same
    // port. Fleet: PostgreSQL and the four Temporal services under .data/fleet/, each supervised.
    const fleet = FLEET
      ? await startFleet({
          dir: FLEET_DIR,
          namespace: temporalTarget(process.env).namespace,
          frontendPort: TEMPORAL_PORT,
          policy: RESTART,
          say,
          giveUp,
        })
      : undefined;
    if (fleet) services.push({ name: 'fleet', stop: () => fleet.stop() });
    const temporal =
      fleet ??
      (await supervised(() =>
        startTemporalDevServer({
          port: TEMPORAL_PORT,
          dbFile: path.join(DATA_DIR, 'temporal.db'),
          logFile: path.join(DATA_DIR, 'temporal.log'),
        }),
      ));
    // The UI asks the codec server to decrypt what it shows, sending the browser's codec session.
    const ui = await supervised(() =>
      startTemporalUi({
        port: UI_PORT,
        temporalAddress: temporal.address,
        codecEndpoint,
        configDir: path.join(DATA_DIR, 'ui'),
        logFile: path.join(DATA_DIR, 'ui.log'),
      }),
    );
    const loginLink = await codecLoginLink(codecEndpoint, codecLoginSecret()!, viewer, '10m');
    const motoPort = await freePort();
    const moto = await supervised(() => startMotoServer({ port: motoPort, logFile: path.join(DATA_DIR, 'moto.log') }), {
      maxRestarts: 0,
      withinMs: 0,
      notRestartedBecause: 'moto keeps its state in memory, so the sample identities died with it',
    });

    const gcp = await startGcpEmulator();
    services.push({ name: 'local GCP server', stop: () => gcp.stop() });
    // The local Azure speaks HTTPS: a CA made here, which the workers trust (NODE_EXTRA_CA_CERTS).
    const tls = makeLocalTls(path.join(DATA_DIR, 'tls'));
    const azure = await startAzureEmulator(tls);
    services.push({ name: 'local Azure', stop: () => azure.stop() });
    const github = await startGithubEmulator();
    services.push({ name: 'local GitHub', stop: () => github.stop() });

    const awsEnv = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
    };
    // The GCP worker talks to the local GCP server with a static token: configuration only.
    const gcpEnv = { IDRA_GCP_ENDPOINT: gcp.endpoint, GOOGLE_OAUTH_ACCESS_TOKEN: 'local-demo' };
    const azureEnv = {
      NODE_EXTRA_CA_CERTS: tls.caFile,
      IDRA_AZURE_ARM_ENDPOINT: azure.endpoint,
      IDRA_AZURE_GRAPH_ENDPOINT: azure.endpoint,
      IDRA_AZURE_KEYVAULT_URL: azure.endpoint,
      // The local vault answers at 127.0.0.1, which cannot be a subdomain of the resource its challenge names.
      IDRA_AZURE_KEYVAULT_CHALLENGE_CHECK: 'off',
      AZURE_ACCESS_TOKEN: 'local-demo',
      AZURE_SUBSCRIPTION_IDS: AZURE_SUBSCRIPTION,
    };
    // The real Keycloak, for AI agents: its H2 database under .data/ is made anew each start (like moto's state).
    const keycloakData = path.join(DATA_DIR, 'keycloak');
    fs.rmSync(keycloakData, { recursive: true, force: true });
    const keycloak = await startKeycloak({ dataDir: keycloakData, logFile: path.join(DATA_DIR, 'keycloak.log') });
    services.push(keycloak);
    const agents = await seedKeycloakSample(keycloak.url, keycloak.admin);
    const sample = await seedSampleIdentities(moto.endpoint);
    const jitSample = await seedJitSample(moto.endpoint);
    const gcpSample = await seedGcpSample(gcp.endpoint);
    const azureSample = await seedAzureSample(azure.endpoint, tls.caFile);
    const githubSample = await seedGithubSample(github.endpoint);

    const workerEnv = {
      ...process.env,
      ...awsEnv,
      ...gcpEnv,
      ...azureEnv,
      ...agents.workerEnv,
      ...githubSample.workerEnv,
      TEMPORAL_ADDRESS: temporal.address,
    };
    const config = workerConfigFromEnv(workerEnv);
    if (fleet) await fleet.startWorkers(workerEnv);
    else
      await supervised(() =>
        startWorkerProcess({ name: 'idra workers', env: workerEnv, logFile: path.join(DATA_DIR, 'worker.log') }),
      );

    // The HTTP ingest, in this process: detectors push findings to it (docs/ingest.md).
    const ingestTokenFile = path.join(DATA_DIR, 'ingest-token');
    ensureSecretFile(ingestTokenFile);
    const ingestConnection = await Connection.connect({ address: temporal.address });
    const ingestClient = new IdraClient(ingestConnection, temporalTarget(workerEnv).namespace, idraDataConverter());
    const webhookSecretFile = path.join(DATA_DIR, 'github-webhook-secret');
    ensureSecretFile(webhookSecretFile);
    const ingestConfig = ingestConfigFromEnv({
      IDRA_INGEST_TOKEN_FILE: ingestTokenFile,
      IDRA_INGEST_GITHUB_WEBHOOK_SECRET_FILE: webhookSecretFile,
      ...process.env,
    });
    const ingest = createIngestServer(
      ingestOptions(ingestConfig, (signal) => ingestClient.respond(signal), workerEnv, {
        region: awsEnv.AWS_REGION,
        endpoint: awsEnv.AWS_ENDPOINT_URL,
        credentials: { accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY },
      }),
    );
    const ingestUrl = await ingest.listen({ host: ingestConfig.host, port: ingestConfig.port });
    services.push({ name: 'ingest', stop: () => ingest.close().then(() => ingestConnection.close()) });
    const webhook = await seedGithubAlertSample(github.endpoint, moto.endpoint, ingestConfig.githubWebhookSecret ?? '');

    const [leak, protectedLeak] = sample;
    console.log(`
idra is running (Ctrl-C stops it).
  Temporal UI      ${ui.url} — open it through this single-use link (10 minutes), which signs your browser in
                   to the codec server so the UI shows payloads decrypted (a new link: npx idra codec-login --as ${viewer}):
                   ${loginLink}
  Temporal ${FLEET ? 'cluster ' : 'server  '}${temporal.address} (namespace ${temporalTarget(workerEnv).namespace}; ${FLEET ? `history in PostgreSQL under ${path.relative(process.cwd(), FLEET_DIR)}/postgres, one process per service` : 'history in .data/temporal.db'})
  AWS (moto)       ${moto.endpoint}, account ${MOTO_ACCOUNT}; sample users ci-deployer, billing-exporter (protected), data-pipeline; role release-deployer (standing admin)
  GCP (local)      ${gcp.endpoint}, project ${GCP_PROJECT}; sample service accounts etl-runner, ledger-sync (protected)
  Azure (local)    ${azure.endpoint} (HTTPS, CA in .data/tls/ca.crt), subscription ${AZURE_SUBSCRIPTION}; sample principal deploy-bot
  Keycloak         ${keycloak.url} (the real server), realm agents; sample agent support-agent (client credentials, tools:read tools:write)
  GitHub (local)   ${github.endpoint}, organization acme; apps ${Object.values(LOCAL_GITHUB_APPS).join(', ')} installed, repository acme/payments with deploy keys
  playbooks        ${path.relative(process.cwd(), config.IDRA_PLAYBOOKS_DIR)}/, inventory ${path.relative(process.cwd(), config.IDRA_INVENTORY_FILE)}
  ingest           ${ingestUrl} (its bearer token in .data/ingest-token; docs/ingest.md)
  logs             ${
    FLEET
      ? `${path.relative(process.cwd(), FLEET_DIR)}/logs/ (PostgreSQL, each Temporal service, each worker: ${Object.entries(
          FLEET_REPLICAS,
        )
          .map(([role, count]) => `${count} ${role}`)
          .join(', ')})`
      : '.data/temporal.log, .data/worker.log'
  }, .data/ui.log, .data/moto.log, .data/keycloak.log (the local GCP, Azure and GitHub run in this process)

In another terminal — a leaked key of ci-deployer (contained at once):
  npx idra plan --file ${leak?.file}          # dry run: what would happen
  npx idra respond --file ${leak?.file}
  npx idra status ${leak?.incident}      # or open it in the UI
  npx idra rollback ${leak?.incident} --as alice@example.com --reason "false positive"
  npx idra audit ${leak?.incident}

A leaked key of billing-exporter (protected: waits for approval by security-leads before acting):
  npx idra respond --file ${protectedLeak?.file}
  npx idra approve ${protectedLeak?.incident} --as carol@example.com --reason "confirmed leak"

GCP — a leaked key of the service account etl-runner (disabled at once, rotated into Secret Manager):
  npx idra plan --file ${gcpSample.file}
  npx idra respond --file ${gcpSample.file}
  npx idra rollback ${gcpSample.incident} --as alice@example.com --reason "false positive"

Azure — a leaked client secret of deploy-bot (disabled at once, a new secret in Key Vault):
  npx idra respond --file ${azureSample.file}
  npx idra rollback ${azureSample.incident} --as alice@example.com --reason "false positive"

An AI agent — support-agent made an unusual tool call (its write scopes and tokens are cut until a reviewer approves):
  npx idra respond --file ${agents.sample.file}
  npx idra status ${agents.sample.incident}
  npx idra approve ${agents.sample.incident} --as bob@example.com --reason "reviewed: continue"

Through the HTTP ingest, as a SIEM rule would send it — data-pipeline's key, leaked:
  curl -sS -X POST ${ingestUrl}/v1/signals -H "authorization: Bearer $(cat .data/ingest-token)" \\
    -H 'content-type: application/json' --data @${sample[2]?.file}

Through the HTTP ingest, as GitHub's secret-scanning webhook sends it — report-builder's key found in acme/payments
(idra reads the alert to learn the key, contains it, and closes the alert as revoked once a reviewer approves;
the same delivery again joins, recorded once):
  curl -sS -X POST ${ingestUrl}/v1/github/webhooks -H 'content-type: application/json' \\
    -H 'x-github-event: secret_scanning_alert' -H 'x-github-delivery: ${webhook.delivery}' \\
    -H 'x-hub-signature-256: ${webhook.signature}' --data-binary @${webhook.file}

Just in time — the role release-deployer ran iam:CreateUser for the first time in 90 days (its standing admin
comes off; its owner asks for admin when needed, two approvers grant it time-boxed, AWS ends it by itself):
  npx idra respond --file ${jitSample.file}
  npx idra jit request ${jitSample.incident} --privilege admin --for 30m --reason "release 4.2" --as deploy-bot@example.com
  npx idra jit approve ${jitSample.incident} grant-1 --as alice@example.com --reason "REL-42 checked"
  npx idra jit approve ${jitSample.incident} grant-1 --as bob@example.com --reason "REL-42 checked"
  npx idra jit status ${jitSample.incident}
  npx idra jit end ${jitSample.incident} --restore --as alice@example.com --reason "reviewed: planned migration"

GitHub — the app ${LOCAL_GITHUB_APPS.managed} cloned 140 repositories in 3 minutes (its installation is suspended until revalidated):
  npx idra respond --file ${githubSample.sample.file}
  npx idra approve ${githubSample.sample.incident} --as bob@example.com --reason "revalidated with its owner"
`);
    await new Promise(() => undefined);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The agents' realm in Keycloak (idra's worker client holding only what `idra permissions keycloak` prints),
 * a sample agent, and a signal file about an unusual tool call of it.
 */
async function seedKeycloakSample(url: string, bootstrap: { username: string; password: string }) {
  const admin = await bootstrapAdmin(url, bootstrap);
  const realm = await seedAgentRealm(url, admin, 'agents', workerPermissions('keycloak'));
  await createAgentClient(admin, realm.realm, 'support-agent', ['tools:read', 'tools:write']);
  const identity = { provider: 'keycloak', kind: 'agent_client', issuer: realm.issuer, clientId: 'support-agent' };
  const signal = {
    source: 'agent-gateway',
    type: 'agent.tool_call.anomalous',
    severity: 'high',
    observedAt: new Date().toISOString(),
    identity,
    evidence: {
      summary: 'support-agent called tickets.delete_all, never seen in its last 30 days',
      details: { tool: 'tickets.delete_all' },
    },
  };
  const workerEnv = {
    IDRA_KEYCLOAK_URL: url,
    IDRA_KEYCLOAK_REALM: realm.realm,
    IDRA_KEYCLOAK_CLIENT_ID: realm.worker.clientId,
    IDRA_KEYCLOAK_CLIENT_SECRET: realm.worker.secret,
    // Rotated agent secrets go to Secrets Manager, in moto (the workers' AWS settings).
    IDRA_KEYCLOAK_SECRET_STORE: 'aws-secrets-manager',
  };
  return { workerEnv, sample: writeSignal('sample-signal-agent.json', signal) };
}

/**
 * The local GitHub's apps (idra's key under .data/github/), the organization acme with them installed (idra's
 * with exactly what `idra permissions github` prints), and a signal file about suspicious traffic of one app.
 */
async function seedGithubSample(endpoint: string) {
  const keys = path.join(DATA_DIR, 'github');
  fs.mkdirSync(keys, { recursive: true });
  const { env: workerEnv } = await seedLocalGithubApps(endpoint, keys);
  const org = await seedGithubOrg(endpoint, 'acme');
  const signal = integrationSignal(managedInstallation(org), {
    observedAt: new Date().toISOString(),
    evidence: { summary: `${LOCAL_GITHUB_APPS.managed} cloned 140 repositories in 3 minutes from an unknown network` },
  });
  return { workerEnv, sample: writeSignal('sample-signal-github.json', signal) };
}

/** Sample service accounts in the local GCP server, and a signal file about a leaked key of one of them. */
async function seedGcpSample(endpoint: string): Promise<{ file: string; incident: string }> {
  const [project] = await seedGcp(endpoint, [
    {
      projectId: GCP_PROJECT,
      serviceAccounts: [
        { accountId: 'etl-runner', keys: 2 },
        { accountId: 'ledger-sync', keys: 1 },
      ],
      bindings: [
        { role: 'roles/editor', members: [`serviceAccount:etl-runner@${GCP_PROJECT}.iam.gserviceaccount.com`] },
        { role: 'roles/storage.admin', members: [`serviceAccount:ledger-sync@${GCP_PROJECT}.iam.gserviceaccount.com`] },
      ],
    },
  ]);
  const runner = project?.serviceAccounts[0];
  return writeSample(
    'sample-signal-gcp.json',
    {
      provider: 'gcp',
      kind: 'service_account_key',
      project: GCP_PROJECT,
      email: runner?.email,
      keyId: runner?.keyIds[0],
    },
    {
      summary: 'GCP service account key committed to acme/etl (public)',
      url: 'https://github.com/acme/etl/security/secret-scanning/2',
    },
  );
}

/**
 * Writes a sample signal under .data/ — a leaked credential as a secret scanner reports it — and says which
 * incident it opens (the path relative to here, for the printed commands).
 */
function writeSample(
  name: string,
  identity: Record<string, unknown>,
  evidence: { summary: string; url: string },
): { file: string; incident: string } {
  const signal = {
    source: 'github-secret-scanning',
    type: 'credential.leaked',
    severity: 'critical',
    observedAt: new Date().toISOString(),
    identity,
    evidence,
  };
  return writeSignal(name, signal);
}

/** Writes a signal file under .data/ and says which incident it opens (the path relative to here). */
function writeSignal(name: string, signal: Record<string, unknown>): { file: string; incident: string } {
  const file = path.join(DATA_DIR, name);
  fs.writeFileSync(file, `${JSON.stringify(signal, null, 2)}\n`);
  return { file: path.relative(process.cwd(), file), incident: incidentOfSignal(recordSignal(signal)) };
}

/** A sample service principal in the local Azure, and a signal file about a leaked client secret of it. */
async function seedAzureSample(endpoint: string, caFile: string): Promise<{ file: string; incident: string }> {
  const seeded = await seedAzure(endpoint, caFile, {
    tenant: AZURE_TENANT,
    principals: [
      {
        displayName: 'deploy-bot',
        passwords: 1,
        roles: [{ scope: `/subscriptions/${AZURE_SUBSCRIPTION}`, role: 'Contributor', name: randomUUID() }],
      },
    ],
  });
  const bot = seeded.principals[0];
  return writeSample(
    'sample-signal-azure.json',
    {
      provider: 'azure',
      kind: 'service_principal_secret',
      tenant: AZURE_TENANT,
      objectId: bot?.id,
      keyId: bot?.passwordKeyIds[0],
    },
    {
      summary: 'Azure client secret committed to acme/infra (public)',
      url: 'https://github.com/acme/infra/security/secret-scanning/5',
    },
  );
}

/** Fresh sample identities in moto (it keeps state in memory), and signal files about three of them. */
async function seedSampleIdentities(endpoint: string): Promise<{ file: string; incident: string }[]> {
  const iam = new IAMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const deployer = await createIamUser(iam, 'ci-deployer', { keys: 1 });
  const exporter = await createIamUser(iam, 'billing-exporter', { keys: 1 });
  const pipeline = await createIamUser(iam, 'data-pipeline', {
    keys: 1,
    inlinePolicies: {
      'read-lake': {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake/*' }],
      },
    },
  });
  return [
    { name: 'sample-signal.json', user: deployer, repo: 'acme/deploy-scripts' },
    { name: 'sample-signal-protected.json', user: exporter, repo: 'acme/finance-jobs' },
    { name: 'sample-signal-pipeline.json', user: pipeline, repo: 'acme/lake-jobs' },
  ].map(({ name, user, repo }) =>
    writeSample(
      name,
      {
        provider: 'aws',
        kind: 'access_key',
        account: MOTO_ACCOUNT,
        userName: user.userName,
        accessKeyId: user.accessKeyIds[0],
      },
      {
        summary: `AWS access key committed to ${repo} (public)`,
        url: `https://github.com/${repo}/security/secret-scanning/1`,
      },
    ),
  );
}

/**
 * A key of report-builder found by GitHub's secret scanning in acme/payments: the alert in the local GitHub,
 * and the webhook delivery GitHub would send about it (its body in a file, its signature with the ingest's
 * webhook secret), for the printed curl.
 */
async function seedGithubAlertSample(githubEndpoint: string, motoEndpoint: string, webhookSecret: string) {
  const iam = new IAMClient({
    endpoint: motoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const builder = await createIamUser(iam, 'report-builder', { keys: 1 });
  const { repositories } = await seedGithub(githubEndpoint, {
    repositories: [
      {
        owner: 'acme',
        name: 'payments',
        alerts: [
          {
            secretType: 'aws_access_key_id',
            secretTypeDisplayName: 'Amazon AWS Access Key ID',
            secret: builder.accessKeyIds[0] ?? '',
          },
        ],
      },
    ],
  });
  const number = repositories[0]?.alertNumbers[0];
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const body = {
    action: 'created',
    alert: {
      number,
      created_at: now,
      updated_at: now,
      html_url: `https://github.com/acme/payments/security/secret-scanning/${number}`,
      secret_type: 'aws_access_key_id',
      secret_type_display_name: 'Amazon AWS Access Key ID',
      validity: 'unknown',
      publicly_leaked: false,
    },
    repository: { name: 'payments', full_name: 'acme/payments', private: true, owner: { login: 'acme' } },
    organization: { login: 'acme' },
  };
  const file = path.join(DATA_DIR, 'sample-github-webhook.json');
  const text = JSON.stringify(body);
  fs.writeFileSync(file, text);
  return {
    file: path.relative(process.cwd(), file),
    delivery: randomUUID(),
    signature: githubSignature(webhookSecret, text),
  };
}

/**
 * A privileged automation role (standing AdministratorAccess beside read) owned by deploy-bot in the
 * inventory, and a signal file about commands off its pattern: a just-in-time response's sample.
 */
async function seedJitSample(endpoint: string): Promise<{ file: string; incident: string }> {
  const iam = new IAMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  });
  const RoleName = 'release-deployer';
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  for (const policy of ['AdministratorAccess', 'ReadOnlyAccess'])
    await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: `arn:aws:iam::aws:policy/${policy}` }));
  return writeSignal('sample-signal-jit.json', {
    source: 'cloudtrail-baseline',
    type: 'privilege.anomalous_use',
    severity: 'high',
    observedAt: new Date().toISOString(),
    identity: { provider: 'aws', kind: 'role', account: MOTO_ACCOUNT, roleName: RoleName },
    evidence: {
      summary: 'release-deployer called iam:CreateUser and kms:ScheduleKeyDeletion, never seen in its last 90 days',
      details: { commands: ['iam:CreateUser', 'kms:ScheduleKeyDeletion'], baselineDays: 90 },
    },
  });
}

main().catch((error: unknown) => {
  console.error(`idra start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
