import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../clients/audit/audit-from-history';
import type { JitGrant } from '../model/jit';
import { attachedPolicies, privilegedRole, READ_ONLY_ACCESS, ADMINISTRATOR_ACCESS } from './support/aws';
import { privilegeAnomalousUseSignal } from './support/signals';
import { useIdra, waitForState } from './support/temporal';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'bin', 'idra.js');
const idra = async (...args: string[]) => (await run(process.execPath, [CLI, ...args])).stdout;
const refused = (...args: string[]) =>
  run(process.execPath, [CLI, ...args]).then(
    () => undefined,
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );

describe('idra jit: the just-in-time path from the command line, and in the audit', () => {
  const env = useIdra();

  it('request, approve twice, status, revoke, end --restore; the audit names each message and grant change', async () => {
    const roleName = await privilegedRole('jit-cli');
    const { incident } = await env.idra.respond(privilegeAnomalousUseSignal(roleName));
    await waitForState(env.idra, incident, 'on_jit');
    const as = (who: string) => ['--as', who, '--reason', 'REL-9'];

    const requested = JSON.parse(
      await idra(
        'jit',
        'request',
        incident,
        '--privilege',
        'admin',
        '--for',
        '5m',
        ...as('deploy-bot@example.com'),
        '--json',
      ),
    ) as JitGrant;
    expect(requested).toMatchObject({ id: 'grant-1', state: 'requested', duration: '5m' });
    await idra('jit', 'approve', incident, 'grant-1', ...as('alice@example.com'));
    expect(await idra('jit', 'approve', incident, 'grant-1', ...as('bob@example.com'))).toMatch(
      /^grant-1 active +admin for 5m, asked by deploy-bot@example\.com at .* \(REL-9\), approved by alice@example\.com, bob@example\.com, .* until /,
    );
    expect(await idra('jit', 'status', incident)).toMatch(/^grant-1 active /);
    expect(await idra('jit', 'revoke', incident, 'grant-1', ...as('deploy-bot@example.com'))).toMatch(
      /^grant-1 revoked .*, ended .* by deploy-bot@example\.com: REL-9\n$/,
    );
    expect(await idra('jit', 'end', incident, '--restore', ...as('dana@example.com'))).toMatch(/^state +restored$/m);
    expect(await attachedPolicies(roleName)).toEqual([ADMINISTRATOR_ACCESS, READ_ONLY_ACCESS].sort());

    const { timeline } = JSON.parse(await idra('audit', incident, '--format', 'json')) as { timeline: AuditEntry[] };
    expect(timeline.filter((entry) => entry.kind === 'decision').map((entry) => [entry.who, entry.summary])).toEqual([
      ['deploy-bot@example.com', 'jitRequest admin for 5m: REL-9'],
      ['alice@example.com', 'jitApprove grant-1: REL-9'],
      ['bob@example.com', 'jitApprove grant-1: REL-9'],
      ['deploy-bot@example.com', 'jitRevoke grant-1: REL-9'],
      ['dana@example.com', 'rollback: REL-9'],
    ]);
    const grantChanges = timeline.filter((entry) => entry.summary.includes('aws.identity.grantTimeBoxed'));
    expect(grantChanges.map((entry) => entry.kind)).toEqual(['change', 'undo']);
  });

  it("refuses bad input before connecting (exit 2), and a refused request with the path's reason (exit 1)", async () => {
    expect(
      await refused(
        'jit',
        'request',
        'idra-jit-x',
        '--privilege',
        'admin',
        '--for',
        'soon',
        '--as',
        'a',
        '--reason',
        'r',
      ),
    ).toEqual({
      code: 2,
      stderr: 'idra: duration: must be a duration such as "30m" or "1h"\n',
    });
    expect(await refused('jit', 'end', 'idra-jit-x', '--as', 'a', '--reason', 'r')).toEqual({
      code: 2,
      stderr: 'idra: say --restore or --keep (one of them)\n',
    });
    expect(await refused('jit', 'approve', 'idra-jit-x', 'grant-1', '--as', ' ', '--reason', 'r')).toEqual({
      code: 2,
      stderr: 'idra: analyst: must name the analyst\n',
    });
    const roleName = await privilegedRole('jit-cli-refused');
    const signal = privilegeAnomalousUseSignal(roleName);
    const { incident } = await env.idra.respond(signal);
    await waitForState(env.idra, incident, 'on_jit');
    // The path named by its identity, as the signal named it: the same response.
    const identityFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-jit-')), 'identity.json');
    fs.writeFileSync(identityFile, JSON.stringify(signal.identity));
    expect(
      await refused(
        'jit',
        'request',
        identityFile,
        '--privilege',
        'admin',
        '--for',
        '2h',
        '--as',
        'deploy-bot@example.com',
        '--reason',
        'r',
      ),
    ).toEqual({ code: 1, stderr: 'idra: denied: a grant lasts at most 10m: 2h is longer\n' });
    fs.writeFileSync(identityFile, JSON.stringify({ provider: 'aws', kind: 'role' }));
    const badIdentity = await refused(
      'jit',
      'request',
      identityFile,
      '--privilege',
      'admin',
      '--for',
      '5m',
      '--as',
      'a',
      '--reason',
      'r',
    );
    expect(badIdentity).toEqual({
      code: 2,
      stderr: 'idra: invalid identity:\n  - account: is required\n  - roleName: is required\n',
    });
  });
});
