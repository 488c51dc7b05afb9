import { bundleWorkflowCode } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/free-port';
import { type GcpEmulator, startGcpEmulator } from '../../infra/gcp-emulator';
import { type MotoServer, startMotoServer } from '../../infra/moto-server';
import { WORKFLOWS_DIR } from '../../config/paths';
import { FAILURE_CONVERTER_PATH } from '../../codec/data-converter';
import { startTemporalDevServer, type TemporalDevServer } from '../../infra/temporal-dev-server';
import { EXTRA_NAMESPACES } from './namespaces';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    motoEndpoint: string;
    gcpEndpoint: string;
    workflowBundlePath: string;
    runDir: string;
  }
}

/** One real Temporal dev server, one moto, one local GCP server and one workflow bundle for the whole test run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  console.log(`idra tests on Node.js ${process.version}`);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-test-'));
  const [temporalPort, motoPort] = [await freePort(), await freePort()];
  const started = await Promise.allSettled([
    startTemporalDevServer({
      port: temporalPort,
      dbFile: path.join(runDir, 'temporal.db'),
      logFile: path.join(runDir, 'temporal.log'),
      extraArgs: EXTRA_NAMESPACES.flatMap((namespace) => ['--namespace', namespace]),
    }),
    startMotoServer({ port: motoPort, logFile: path.join(runDir, 'moto.log') }),
    startGcpEmulator(),
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
  const [temporal, moto, gcp] = services as [TemporalDevServer, MotoServer, GcpEmulator];
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_DIR, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietBundlerLogger }).catch(async (error: unknown) => {
    await stopAll();
    throw error;
  });
  const workflowBundlePath = path.join(runDir, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', temporal.address);
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('gcpEndpoint', gcp.endpoint);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('runDir', runDir);

  return stopAll;
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
  log: () => undefined,
};
