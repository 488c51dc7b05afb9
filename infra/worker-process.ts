import fs from 'node:fs';
import path from 'node:path';
import { currentBuild } from '../bin/build-state';
import { PROJECT_ROOT } from '../config/paths';
import { WORKERS_READY_LINE } from '../workers/ready-line';
import { type ServiceProcess, startService } from './service-process';

/**
 * Runs the production worker entry point as its own process, configured by `env`: compiled, with the
 * prebuilt workflow bundle, when dist/ is a build of the current sources; else workers/main.ts through tsx.
 */
export function startWorkerProcess(options: {
  name: string;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<ServiceProcess> {
  const build = currentBuild();
  return startService({
    name: options.name,
    command: process.execPath,
    args: build
      ? [path.join(build, 'workers', 'main.js')]
      : ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')],
    env: options.env,
    logFile: options.logFile,
    ready: () =>
      Promise.resolve(
        fs.existsSync(options.logFile) && fs.readFileSync(options.logFile, 'utf8').includes(WORKERS_READY_LINE),
      ),
    readyTimeoutMs: 120_000,
  });
}
