import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BENCH_DIR } from './bench-output';
import { createIamUser } from '../infra/seed-aws';
import { keyStatus } from './contain-run';
import type { BenchHarness } from './harness';

const run = promisify(execFile);

/** Cloud Custodian, pinned, in the bench's own virtualenv (never the project's moto venv). */
const CUSTODIAN_VERSION = '0.9.53';
const VENV = path.join(BENCH_DIR, 'custodian-venv');
const CUSTODIAN_BIN = path.join(VENV, 'bin', 'custodian');
const POLICY_NAME = 'disable-leaked-key';

/** Installs Custodian once (about a minute); later runs reuse it. Returns why not where it cannot. */
async function ensureCustodian(): Promise<string | undefined> {
  const installed = async () =>
    (
      await run(path.join(VENV, 'bin', 'python'), ['-c', 'import c7n.version; print(c7n.version.version)'])
    ).stdout.trim();
  try {
    if ((await installed().catch(() => '')) === CUSTODIAN_VERSION) return undefined;
    await run('python3', ['-m', 'venv', VENV]);
    await run(
      path.join(VENV, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `c7n==${CUSTODIAN_VERSION}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const version = await installed();
    return version === CUSTODIAN_VERSION ? undefined : `pip installed c7n ${version}, not ${CUSTODIAN_VERSION}`;
  } catch (error) {
    return `could not install c7n==${CUSTODIAN_VERSION} into ${VENV}: ${String(error).slice(0, 300)}`;
  }
}

/** Custodian's own policy for a leaked key: disable exactly that key of its user (`remove-keys`, matched). */
function leakedKeyPolicy(accessKeyId: string): string {
  return [
    'policies:',
    `  - name: ${POLICY_NAME}`,
    '    resource: iam-user',
    '    filters:',
    '      - type: access-key',
    '        key: AccessKeyId',
    `        value: ${accessKeyId}`,
    '    actions:',
    '      - type: remove-keys',
    '        disable: true',
    '        matched: true',
    '',
  ].join('\n');
}

export type CustodianTimes = { inProcessMs: number[]; processMs: number[] } | { skipped: string };

/**
 * Cloud Custodian disabling one leaked key, `runs` times, on the bench's moto, one process per incident as
 * it runs from a detector's hook: the process's wall time, and the policy's own `execution.duration`
 * (metadata.json: the run inside an already started Python). Each run has a key of its own, checked
 * Inactive afterwards. Run before the bench seeds its users: the policy lists every IAM user.
 */
export async function timeCustodian(harness: BenchHarness, runs: number): Promise<CustodianTimes> {
  const skipped = await ensureCustodian();
  if (skipped) return { skipped };
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-custodian-'));
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: harness.moto.endpoint,
    AWS_DEFAULT_REGION: 'us-east-1',
  };
  const inProcessMs: number[] = [];
  const processMs: number[] = [];
  try {
    for (let index = 0; index < runs; index++) {
      const user = await createIamUser(harness.iam, `custodian-${index}`);
      const policyFile = path.join(workDir, `policy-${index}.yml`);
      const outputDir = path.join(workDir, `output-${index}`);
      fs.writeFileSync(policyFile, leakedKeyPolicy(user.accessKeyIds[0]!));
      const started = performance.now();
      // No resource cache (Custodian keeps one 15 minutes by default): each incident's user is new.
      await run(CUSTODIAN_BIN, ['run', '--region', 'us-east-1', '--cache-period', '0', '-s', outputDir, policyFile], {
        env,
      });
      processMs.push(performance.now() - started);
      const metadata = JSON.parse(fs.readFileSync(path.join(outputDir, POLICY_NAME, 'metadata.json'), 'utf8')) as {
        execution: { duration: number };
      };
      inProcessMs.push(metadata.execution.duration * 1000);
      const status = await keyStatus(harness.iam, user);
      if (status !== 'Inactive') throw new Error(`Custodian left ${user.userName}'s key ${status}, not Inactive`);
    }
    return { inProcessMs, processMs };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
