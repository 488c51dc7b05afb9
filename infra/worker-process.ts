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
  // The log is appended to across restarts: only what this process writes says it is ready.
  const from = fs.existsSync(options.logFile) ? fs.statSync(options.logFile).size : 0;
  return startService({
    name: options.name,
    command: process.execPath,
    args: build
      ? [path.join(build, 'workers', 'main.js')]
      : ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')],
    env: options.env,
    logFile: options.logFile,
    ready: () => Promise.resolve(logSince(options.logFile, from).includes(WORKERS_READY_LINE)),
    readyTimeoutMs: 120_000,
  });
}

function logSince(file: string, offset: number): string {
  if (!fs.existsSync(file)) return '';
  const fd = fs.openSync(file, 'r');
  try {
    const length = Math.max(0, fs.fstatSync(fd).size - offset);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, offset);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
