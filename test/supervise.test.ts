import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../infra/free-port';
import { type ServiceProcess, startService } from '../infra/service-process';
import { type Supervised, supervise } from '../infra/supervise';
import { waitFor } from '../infra/wait-for';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-supervise-'));

/** A real process serving HTTP on a fixed port, as npm start's services do. */
async function startEcho(port: number): Promise<ServiceProcess> {
  return startService({
    name: 'echo server',
    command: process.execPath,
    args: [
      '-e',
      `require('node:http').createServer((q, s) => s.end(String(process.pid))).listen(${port}, '127.0.0.1')`,
    ],
    logFile: path.join(dir, `echo-${port}.log`),
    ready: () => pidAt(port).then(Boolean, () => false),
  });
}

function pidAt(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/`, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(Number(body)));
      })
      .on('error', reject);
  });
}

describe('npm start looks after what it started', () => {
  let supervised: Supervised | undefined;
  afterEach(async () => {
    await supervised?.stop();
    supervised = undefined;
  });

  it('restarts a service that dies, on the same port, and says so on the console', async () => {
    const port = await freePort();
    const said: string[] = [];
    const gaveUp: string[] = [];
    const first = await startEcho(port);
    supervised = supervise(
      first,
      () => startEcho(port),
      { maxRestarts: 3, withinMs: 60_000 },
      (line) => said.push(line),
      (message) => gaveUp.push(message),
    );
    const before = await pidAt(port);
    first.child.kill('SIGKILL');
    const after = await waitFor(
      'the service to answer from a new process',
      async () => {
        const pid = await pidAt(port).catch(() => undefined);
        return pid && pid !== before ? pid : undefined;
      },
      30_000,
    );
    expect(after).not.toBe(before);
    await waitFor('the supervisor to say the service is back', () => Promise.resolve(said.length === 2), 10_000);
    expect(said).toEqual([
      `echo server killed by SIGKILL: restarting it (1 of 3 within 60s). Its log: ${first.logFile}`,
      'echo server is running again',
    ]);
    expect(gaveUp).toEqual([]);
  });

  it('gives up after too many deaths, naming what died and its log', async () => {
    const port = await freePort();
    const gaveUp: string[] = [];
    let current = await startEcho(port);
    const start = async () => (current = await startEcho(port));
    supervised = supervise(
      current,
      start,
      { maxRestarts: 1, withinMs: 60_000 },
      () => undefined,
      (message) => gaveUp.push(message),
    );
    current.child.kill('SIGKILL');
    const restarted = await waitFor(
      'a restart',
      async () =>
        current.child.exitCode === null &&
        current.child.signalCode === null &&
        (await pidAt(port).catch(() => undefined))
          ? current
          : undefined,
      30_000,
    );
    restarted.child.kill('SIGKILL');
    await waitFor('the supervisor to give up', () => Promise.resolve(gaveUp.length > 0), 10_000);
    expect(gaveUp).toEqual([
      `echo server killed by SIGKILL; it died 2 times within 60s: stopping everything. Its log: ${restarted.logFile}`,
    ]);
  });

  it('stops everything at once when a service whose state lives in memory dies', async () => {
    const port = await freePort();
    const gaveUp: string[] = [];
    const first = await startEcho(port);
    supervised = supervise(
      first,
      () => startEcho(port),
      { maxRestarts: 0, withinMs: 0, notRestartedBecause: 'its state lived in memory' },
      () => undefined,
      (message) => gaveUp.push(message),
    );
    first.child.kill('SIGTERM');
    await waitFor('the supervisor to give up', () => Promise.resolve(gaveUp.length > 0), 10_000);
    expect(gaveUp).toEqual([
      `echo server killed by SIGTERM; its state lived in memory: stopping everything. Its log: ${first.logFile}`,
    ]);
  });

  it('an exit it asked for (Ctrl-C) is not a crash', async () => {
    const port = await freePort();
    const said: string[] = [];
    const first = await startEcho(port);
    const service = supervise(
      first,
      () => startEcho(port),
      { maxRestarts: 3, withinMs: 60_000 },
      (line) => said.push(line),
      (message) => said.push(message),
    );
    await service.stop();
    expect(first.child.exitCode !== null || first.child.signalCode !== null).toBe(true);
    await expect(pidAt(port)).rejects.toThrow();
    expect(said).toEqual([]);
  });
});
