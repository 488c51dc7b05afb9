import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/free-port';
import { startMotoServer } from '../../infra/moto-server';
import { bundleIdraWorkflows } from '../../workers/workflow-code';
import { quietBundlerLogger } from '../support/quiet-bundler-logger';

declare module 'vitest' {
  export interface ProvidedContext {
    fleetRunDir: string;
    fleetMotoEndpoint: string;
    fleetWorkflowBundlePath: string;
  }
}

/**
 * The fleet tests' own moto and workflow bundle. Each fleet test file starts its Temporal cluster and workers
 * itself (it kills them); none of it is shared with the rest of the suite, so the two run side by side.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-fleet-'));
  // PostgreSQL runs as its own account (infra/postgres.ts): it must reach its data folder through this one.
  fs.chmodSync(runDir, 0o755);
  const [moto, bundle] = await Promise.all([
    freePort().then((port) => startMotoServer({ port, logFile: path.join(runDir, 'moto.log') })),
    bundleIdraWorkflows(quietBundlerLogger),
  ]);
  const bundlePath = path.join(runDir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle);
  project.provide('fleetRunDir', runDir);
  project.provide('fleetMotoEndpoint', moto.endpoint);
  project.provide('fleetWorkflowBundlePath', bundlePath);
  return async () => {
    await moto.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
