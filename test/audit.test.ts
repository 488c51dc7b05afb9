import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../clients/audit/audit-from-history';
import { DECISION_MESSAGES } from '../api/response-messages';
import { createUser } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, analystToken, useIdra, waitForState } from './support/temporal';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'bin', 'idra.js');
const audit = async (incident: string, format: string) =>
  (await run(process.execPath, [CLI, 'audit', incident, '--format', format])).stdout;

describe('idra audit: the workflow history as a reviewer reads it', () => {
  const env = useIdra();
  let incident: string;
  let userName: string;

  beforeAll(async () => {
    const user = await createUser('audited');
    userName = user.userName;
    ({ incident } = await env.idra.respond(leakSignal(user, 0, { id: 'gh-alert-7' })));
    await waitForState(env.idra, incident, 'awaiting_decision');
    const assertion = await analystToken('mallory@example.com', incident);
    await env.idra.client.workflow
      .getHandle(incident)
      .signal(DECISION_MESSAGES.approve.signal, { analyst: 'mallory@example.com', reason: 'ship it', assertion });
    // And by update: its refusal is a failure in history, its message encrypted with the rest.
    const refused = await env.idra
      .approve(incident, { analyst: 'mallory@example.com', reason: 'ship it now' })
      .catch((error: Error) => error);
    expect((refused as Error).cause).toHaveProperty(
      'message',
      'mallory@example.com is not in the approver group security-oncall',
    );
    await env.idra.rollback(incident, analyst);
  });

  it('json: signal, plan, guard, each change and undo with before/after, decisions and denials, states', async () => {
    const report = JSON.parse(await audit(incident, 'json')) as {
      finalState: string;
      playbook: unknown;
      timeline: AuditEntry[];
    };
    expect(report.finalState).toBe('rolled_back');
    expect(report.playbook).toEqual({ id: 'test-leak', version: 1 });
    const kinds = report.timeline.map((entry) => entry.kind);
    expect(kinds.slice(0, 4)).toEqual(['signal', 'state', 'plan', 'guard']);
    expect(kinds.filter((kind) => kind === 'change')).toHaveLength(3);
    expect(kinds.filter((kind) => kind === 'undo')).toHaveLength(3);
    expect(
      report.timeline.filter((entry) => entry.kind === 'denied').map(({ who, summary }) => ({ who, summary })),
    ).toEqual([
      {
        who: 'mallory@example.com',
        summary: 'approve (signal): ship it — denied: mallory@example.com is not in the approver group security-oncall',
      },
      {
        who: 'mallory@example.com',
        summary: 'approve: ship it now — denied: mallory@example.com is not in the approver group security-oncall',
      },
    ]);
    expect(report.timeline.filter((entry) => entry.kind === 'decision')).toEqual([
      expect.objectContaining({ who: 'alice@example.com', summary: `rollback: ${analyst.reason}` }),
    ]);
    expect(report.timeline.filter((entry) => entry.kind === 'state').map((entry) => entry.summary)).toEqual([
      'state: planning',
      'state: containing',
      'state: awaiting_decision',
      'state: rolling_back',
      'state: rolled_back',
    ]);
  });

  it('md: a table a reviewer reads without the code', async () => {
    const markdown = await audit(incident, 'md');
    expect(markdown).toContain(`# idra response ${incident}`);
    expect(markdown).toContain('- playbook: test-leak v1');
    expect(markdown).toContain('- final state: rolled_back');
    expect(markdown).toMatch(
      new RegExp(
        `\\| change \\| idra-aws@\\S+ \\| aws\\.accessKey\\.deactivate on access key \\w+ of IAM user ${userName}: \\{"status":"Active"\\} -> \\{"status":"Inactive"\\} \\|`,
      ),
    );
  });

  it('ocsf: a Detection Finding for the signal and an Account Change for every change and undo', async () => {
    const events = JSON.parse(await audit(incident, 'ocsf')) as {
      class_uid: number;
      activity_id: number;
      finding_info?: { uid: string };
      user?: { name: string };
    }[];
    expect(events.map((event) => [event.class_uid, event.activity_id])).toEqual([
      [2004, 1],
      ...events.slice(1).map((event) => [3001, event.activity_id]),
    ]);
    expect(events[0]?.finding_info?.uid).toBe('gh-alert-7');
    expect(
      events
        .slice(1)
        .map((event) => event.activity_id)
        .sort(),
    ).toEqual([2, 5, 7, 8, 99, 99].sort());
    expect(events.slice(1).every((event) => event.user?.name === userName)).toBe(true);
  });

  it('refuses an unknown format', async () => {
    const error = await run(process.execPath, [CLI, 'audit', incident, '--format', 'pdf']).catch(
      (caught: { code: number; stderr: string }) => caught,
    );
    expect(error).toMatchObject({ code: 2, stderr: 'idra: unknown audit format "pdf" (one of: md, json, ocsf)\n' });
  });
});
