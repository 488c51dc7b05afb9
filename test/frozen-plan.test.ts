import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers, waitForState } from './support/temporal';

/** The test playbooks as a later change might leave them: the leak playbook no longer quarantines the user. */
function changedPlaybooks(): string {
  const dir = path.join(inject('runDir'), 'changed-playbooks');
  fs.cpSync(process.env.IDRA_PLAYBOOKS_DIR ?? '', dir, { recursive: true });
  const leak = path.join(dir, 'leak.yaml');
  fs.writeFileSync(
    leak,
    fs
      .readFileSync(leak, 'utf8')
      .replace('version: 1', 'version: 2')
      .replace(/steps:\n( {2}- .*\n)+/, 'steps: [aws.accessKey.deactivate]\n'),
  );
  return dir;
}

describe('frozen plans: a response executes and undoes the plan recorded in its history', () => {
  let idra: IdraClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ idra, close } = await connectIdra());
  });
  afterAll(() => close());

  it('rolls back exactly what it applied after workers restart with playbooks that would plan otherwise', async () => {
    const user = await createUser('frozen', { keys: 1 });
    const before = await userState(user.userName);
    const first = await runWorkers();
    const { incident } = await idra.respond(leakSignal(user));
    try {
      await waitForState(idra, incident, 'awaiting_decision');
    } finally {
      await first.stop();
    }
    expect(Object.keys((await userState(user.userName)).policies)).toEqual([`idra-quarantine-${incident}`]);

    // New workers (an empty cache: they replay the response from its history) on changed playbooks.
    const second = await runWorkers({ IDRA_PLAYBOOKS_DIR: changedPlaybooks() });
    try {
      const view = await idra.rollback(incident, analyst);
      expect(view.state).toBe('rolled_back');
      expect(view.plan?.playbook).toEqual({ id: 'test-leak', version: 1 });
      expect(view.plan?.stages.flat().map((step) => step.action)).toContain('aws.user.quarantine');
    } finally {
      await second.stop();
    }
    expect(await userState(user.userName)).toEqual(before);
  });
});
