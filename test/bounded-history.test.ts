import { describe, expect, it } from 'vitest';
import { detectionSignal } from '../api/response-messages';
import { auditOf } from '../clients/audit/audit-from-history';
import { recordSignal } from '../clients/idra-client';
import { createUser, userState } from './support/aws';
import { inBatches } from './support/batches';
import { BOUNDED_HISTORY_NAMESPACE } from './support/namespaces';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

// Temporal warns past 10,240 events or 10 MB of history in one run.
const WARN_EVENTS = 10_240;
const WARN_BYTES = 10 * 1024 * 1024;

describe('a long wait keeps the history bounded', () => {
  const env = useIdra(BOUNDED_HISTORY_NAMESPACE);

  it('5,000 repeated signals and 500 denied decisions: deduplicated, capped, continued as new under the warning thresholds, still approvable', async () => {
    const { idra } = env;
    const user = await createUser('bounded');
    // Evidence near the 8 KB cap: a detector that repeats itself at length.
    const evidence = {
      summary: 'AWS access key committed to acme/payments@3f2c1e',
      details: { excerpt: 'x'.repeat(6_000) },
    };
    const signal = leakSignal(user, 0, { id: 'alert-1', evidence });
    const { incident } = await idra.respond(signal);
    await waitForState(idra, incident, 'awaiting_decision');
    const handle = idra.client.workflow.getHandle(incident);

    // Repeats by id, and repeats by content from a detector that sends no id (each gets a random one).
    const withoutId = { ...signal, id: undefined };
    const repeats = Array.from({ length: 5_000 }, (_, index) => (index % 2 ? signal : withoutId));
    // A few distinct detections besides: the first and the latest are kept.
    const distinct = Array.from({ length: 20 }, (_, index) =>
      leakSignal(user, 0, {
        id: `alert-new-${index}`,
        observedAt: `2026-11-26T11:${String(index).padStart(2, '0')}:00Z`,
      }),
    );
    // Two at a time: a detector's pace. (A flood of hundreds per second at one response makes the server
    // force-fail workflow tasks that fall 100 signals behind: see docs/playbooks.md.)
    await inBatches(repeats, 2, (input) => handle.signal(detectionSignal, recordSignal(input)));
    await inBatches(distinct, 1, (input) => handle.signal(detectionSignal, recordSignal(input)));

    // Denied: not in the approver group. Five at a time (Temporal takes at most 10 updates in flight).
    const denials = await inBatches(
      Array.from({ length: 500 }, (_, index) => index),
      5,
      (index) =>
        idra.approve(incident, { analyst: 'mallory@example.com', reason: `attempt ${index}` }).then(
          () => 'approved',
          () => 'denied',
        ),
    );
    expect(new Set(denials)).toEqual(new Set(['denied']));

    const waiting = await waitForState(idra, incident, 'awaiting_decision');
    expect(waiting.signalsReceived).toBe(1 + 5_000 + 20);
    expect(waiting.signalRepeats).toBe(5_000);
    expect(waiting.signals.map((kept) => kept.id)).toEqual([
      'alert-1',
      'alert-new-0',
      'alert-new-1',
      'alert-new-2',
      'alert-new-3',
      'alert-new-15',
      'alert-new-16',
      'alert-new-17',
      'alert-new-18',
      'alert-new-19',
    ]);
    expect(waiting.deniedDecisions).toHaveLength(10);
    expect(waiting.deniedDecisionsNotKept).toBe(490);

    const confirmed = await idra.approve(incident, analyst);
    expect(confirmed.state).toBe('confirmed');
    expect(Object.keys((await userState(user.userName)).keys)).not.toContain(user.accessKeyIds[0]);

    const runs = [];
    for await (const run of idra.client.workflow.list({ query: `WorkflowId = '${incident}'` }))
      runs.push(await idra.client.workflow.getHandle(incident, run.runId).describe());
    expect(runs.length).toBeGreaterThan(1);
    for (const run of runs) {
      expect(run.historyLength).toBeLessThan(WARN_EVENTS);
      expect(run.historySize).toBeLessThan(WARN_BYTES);
    }

    // The audit reads every run: the containment from the first, the approval from the last.
    const audit = await auditOf(idra.client, incident, idra.dataConverter);
    expect(audit.entries.filter((entry) => entry.kind === 'change').map((entry) => entry.summary)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`aws.accessKey.deactivate on access key ${user.accessKeyIds[0]}`),
      ]),
    );
    expect(audit.entries.filter((entry) => entry.kind === 'signal')).toHaveLength(1 + 5_000 + 20);
    expect(audit.finalState).toBe('confirmed');
  }, 300_000);
});
