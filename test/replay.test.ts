import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { idraDataConverter } from '../codec/data-converter';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const HISTORIES_DIR = path.join(__dirname, 'histories');
const files = fs
  .readdirSync(HISTORIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

describe('saved histories replay against the current workflow code', () => {
  it('has a history for every recorded scenario', () => {
    expect(files).toEqual([
      'approval-first.json',
      'approved.json',
      'azure-rolled-back.json',
      'cancelled.json',
      'containment-failed.json',
      'gcp-rolled-back.json',
      'github-restored.json',
      'guard.json',
      'jit-restored.json',
      'joined-and-denied.json',
      'restricted-kept.json',
      'restricted-restored.json',
      'rolled-back.json',
      'timed-out.json',
      'ttl-reverted.json',
      'two-approvers.json',
    ]);
  });

  it('replays each without a determinism error', async () => {
    // Replayed under the workflow id each was recorded with: what a response's record sets depends on it.
    const read = (file: string) => {
      const json = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')) as {
        events: { workflowExecutionStartedEventAttributes?: { workflowId?: string } }[];
      };
      return {
        name: file,
        workflowId: json.events[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? file,
        history: historyFromJSON(json),
      };
    };
    const histories = files.map(read);
    const failures: string[] = [];
    let index = 0;
    // Replayed one after another, in the order given.
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: idraDataConverter() },
      histories,
    )) {
      if (result.error) failures.push(`${histories[index]?.name}: ${result.error.message}`);
      index++;
    }
    expect(failures).toEqual([]);
  });
});
