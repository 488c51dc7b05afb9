import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { idraDataConverter } from '../codec/data-converter';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const HISTORIES_DIR = path.join(__dirname, 'histories');
const files = fs.readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();
/**
 * Histories recorded by earlier workflow code, kept as responses still running from then would have them:
 * a change behind patched() must replay these too. Each is named for the change it predates: before apply
 * verified and snapshots were read while the guard decided; before step batches.
 */
const IN_FLIGHT_DIR = path.join(HISTORIES_DIR, 'in-flight');
const inFlight = fs.readdirSync(IN_FLIGHT_DIR).filter((file) => file.endsWith('.json')).sort();

describe('saved histories replay against the current workflow code', () => {
  it('has a history for every recorded scenario', () => {
    expect(files).toEqual([
      'approval-first.json', 'approved.json', 'azure-rolled-back.json', 'cancelled.json', 'containment-failed.json', 'gcp-rolled-back.json', 'guard.json',
      'joined-and-denied.json', 'rolled-back.json', 'timed-out.json', 'ttl-reverted.json', 'two-approvers.json',
    ]);
  });

  it('replays each without a determinism error, and those of responses started by earlier code', async () => {
    expect(inFlight.length).toBeGreaterThan(0);
    // Replayed under the workflow id each was recorded with: what a response's record sets depends on it.
    const read = (dir: string, file: string, name: string) => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[] };
      return { name, workflowId: json.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? name, history: historyFromJSON(json) };
    };
    const histories = [...files.map((file) => read(HISTORIES_DIR, file, file)), ...inFlight.map((file) => read(IN_FLIGHT_DIR, file, `in-flight/${file}`))];
    const failures: string[] = [];
    let index = 0;
    // Replayed one after another, in the order given.
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: idraDataConverter() }, histories)) {
      if (result.error) failures.push(`${histories[index]?.name}: ${result.error.message}`);
      index++;
    }
    expect(failures).toEqual([]);
  });
});
