import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ServiceProcess } from '../infra/service-process';
import { startWorkerProcess } from '../infra/worker-process';

// Node 20 is past its end of life: the project brings Node 24 (the npm package `node`) and runs on it.
const SUPPORTED = /^v24\./;

describe('every process runs on the Node.js the project brings (24 LTS)', () => {
  let worker: ServiceProcess | undefined;
  afterAll(() => worker?.stop());

  it('the test run itself', () => {
    expect(process.version).toMatch(SUPPORTED);
  });

  it('a worker started the way npm start and the crash tests start it, which says so in its start line', async () => {
    const logFile = path.join(inject('runDir'), 'runtime-worker.log');
    worker = await startWorkerProcess({ name: 'runtime worker', logFile });
    const readyLine = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .find((line) => line.startsWith('idra workers polling'));
    expect(readyLine).toMatch(/ on Node\.js v24\.\d+\.\d+$/);
  });

  it('the engines field and the Dockerfile say 24', () => {
    const root = path.join(__dirname, '..');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(manifest.engines.node).toBe('>=24 <25');
    expect(manifest.devDependencies.node).toMatch(/^24\./);
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^FROM node:24-/m);
  });
});
