import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { WORKERS_READY_LINE } from '../workers/ready-line';
import { type ServiceProcess, startService } from './service-process';

/** Runs the production worker entry point (workers/main.ts) as its own process, configured by `env`. */
export function startWorkerProcess(options: { name: string; logFile: string; env?: NodeJS.ProcessEnv }): Promise<ServiceProcess> {
  return startService({
    name: options.name,
    command: process.execPath,
    args: ['--import', 'tsx', path.join(PROJECT_ROOT, 'workers', 'main.ts')],
    env: options.env,
    logFile: options.logFile,
    ready: () => Promise.resolve(fs.existsSync(options.logFile) && fs.readFileSync(options.logFile, 'utf8').includes(WORKERS_READY_LINE)),
    readyTimeoutMs: 120_000,
  });
}
