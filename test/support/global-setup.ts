import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/free-port';
import { type AzureEmulator, startAzureEmulator } from '../../infra/azure-emulator';
import { type GcpEmulator, startGcpEmulator } from '../../infra/gcp-emulator';
import {
  type GithubEmulator,
  type LocalGithubApps,
  seedLocalGithubApps,
  startGithubEmulator,
} from '../../infra/github-emulator';
import { type KeycloakServer, startKeycloak } from '../../infra/keycloak';
import { type AgentRealm, bootstrapAdmin, seedAgentRealm } from '../../infra/seed-keycloak';
import { workerPermissions } from '../../providers/catalog';
import { makeLocalTls } from '../../infra/local-tls';
import { type MotoServer, startMotoServer } from '../../infra/moto-server';
import { startTemporalDevServer, type TemporalDevServer } from '../../infra/temporal-dev-server';
import { bundleIdraWorkflows } from '../../workers/workflow-code';
import { quietBundlerLogger } from './quiet-bundler-logger';
import { EXTRA_NAMESPACES } from './namespaces';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    motoEndpoint: string;
    gcpEndpoint: string;
    azureEndpoint: string;
    workflowBundlePath: string;
    runDir: string;
    keycloak: { url: string; admin: { username: string; password: string }; realm: AgentRealm };
    github: { endpoint: string } & LocalGithubApps;
  }
}

/** One real Temporal dev server, one moto, the local GCP, Azure and GitHub, one real Keycloak and one workflow bundle for the whole test run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  console.log(`idra tests on Node.js ${process.version}`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-test-'));
  const motoPort = await freePort();
  // The local Azure speaks HTTPS: a CA made for this run, trusted by every test process (set before they start).
  const tls = makeLocalTls(path.join(runDir, 'tls'));
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  const started = await Promise.allSettled([
    startTemporalDevServer({
      port: 'any',
      dbFile: path.join(runDir, 'temporal.db'),
      logFile: path.join(runDir, 'temporal.log'),
      extraArgs: EXTRA_NAMESPACES.flatMap((namespace) => ['--namespace', namespace]),
    }),
    startMotoServer({ port: motoPort, logFile: path.join(runDir, 'moto.log') }),
    startGcpEmulator(),
    startAzureEmulator(tls),
    startKeycloak({ dataDir: path.join(runDir, 'keycloak'), logFile: path.join(runDir, 'keycloak.log') }),
    startGithubEmulator(),
  ]);
  const services = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stopAll = async () => {
    await Promise.all(services.map((service) => service.stop()));
    fs.rmSync(runDir, { recursive: true, force: true });
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const [temporal, moto, gcp, azure, keycloak, github] = services as [
    TemporalDevServer,
    MotoServer,
    GcpEmulator,
    AzureEmulator,
    KeycloakServer,
    GithubEmulator,
  ];
  // idra's GitHub App (its key where the worker reads it), one app it may suspend, and a bystander app.
  const githubApps = await seedLocalGithubApps(github.endpoint, runDir).catch(async (error: unknown) => {
    await stopAll();
    throw error;
  });
  // The realm agents live in; idra's worker client holds exactly what `idra permissions keycloak` prints.
  const realm = await seedAgentRealm(
    keycloak.url,
    await bootstrapAdmin(keycloak.url, keycloak.admin),
    'agents',
    workerPermissions('keycloak'),
  ).catch(async (error: unknown) => {
    await stopAll();
    throw error;
  });
  const bundle = await bundleIdraWorkflows(quietBundlerLogger).catch(async (error: unknown) => {
    await stopAll();
    throw error;
  });
  const workflowBundlePath = path.join(runDir, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, bundle);

  project.provide('temporalAddress', temporal.address);
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('gcpEndpoint', gcp.endpoint);
  project.provide('azureEndpoint', azure.endpoint);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('runDir', runDir);
  project.provide('keycloak', { url: keycloak.url, admin: keycloak.admin, realm });
  project.provide('github', { endpoint: github.endpoint, ...githubApps });

  return stopAll;
}
