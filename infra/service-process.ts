import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts a long-running helper (Temporal dev server, moto, a worker) with its output in a log file,
 * and waits until `ready` says it serves. Fails with the log's tail if the process exits first.
 */
export async function startService(options: {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  ready: () => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  /** The account the process runs as (only root may give one). */
  spawnAs?: { uid: number; gid: number };
  /** The signal that asks it to stop (SIGTERM unless it means something else to the service). */
  stopSignal?: NodeJS.Signals;
}): Promise<ServiceProcess> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    ...options.spawnAs,
  });
  fs.closeSync(log);
  // A process that exits while starting fails the start at once, not after the whole timeout.
  const exited = new AbortController();
  child.on('exit', (code, signal) =>
    exited.abort(new Error(`${options.name} exited with ${signal ?? `code ${code}`}`)),
  );
  child.on('error', (error) => exited.abort(new Error(`${options.name} failed to start: ${error.message}`)));

  const service: ServiceProcess = {
    name: options.name,
    child,
    logFile: options.logFile,
    stop: () => stopProcess(child, undefined, options.stopSignal),
  };
  try {
    await waitFor(`${options.name} to be ready`, options.ready, options.readyTimeoutMs ?? 60_000, 100, exited.signal);
  } catch (error) {
    await service.stop();
    const tail = fs.readFileSync(options.logFile, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${(error as Error).message}\n--- last lines of ${options.logFile} ---\n${tail}`);
  }
  return service;
}

/** `signal` (SIGTERM), then SIGKILL if the process has not gone after a grace period. */
export function stopProcess(child: ChildProcess, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
