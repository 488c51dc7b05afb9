import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { IdraClient } from '../clients/idra-client';
import { waitFor } from '../infra/wait-for';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, connectIdra, runWorkers, waitForState } from './support/temporal';

describe('fail safe: the inventory cannot be read', () => {
  const inventory = path.join(inject('runDir'), 'fail-safe-inventory.yaml');
  let idra: IdraClient;
  let close: () => Promise<void>;
  let workers: { stop: () => Promise<void> };
  beforeAll(async () => {
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'inventory.yaml'), inventory);
    ({ idra, close } = await connectIdra());
    workers = await runWorkers({ IDRA_INVENTORY_FILE: inventory });
  });
  afterAll(async () => {
    await workers.stop();
    await close();
  });

  it('the response is blocked and says why, changes nothing on a guess, and contains once the inventory is back', async () => {
    const user = await createUser('inventory-gone');
    const before = await userState(user.userName);
    fs.renameSync(inventory, `${inventory}.away`);

    const { incident } = await idra.respond(leakSignal(user));
    // Blocked first, then the attempt to contain without a plan is recorded: wait for both.
    const blocked = await waitFor('the response to be blocked with its failed fallback recorded', async () => {
      const view = await idra.status(incident);
      return view.state === 'blocked' && view.failures.length > 0 ? view : undefined;
    });
    expect(blocked.blockedBecause).toMatch(
      /^cannot plan the response: cannot read the playbooks and inventory: .*fail-safe-inventory\.yaml/,
    );
    // Without its profile the identity might be protected: nothing is done without it.
    expect(blocked.failures).toEqual([
      expect.stringMatching(/^no containment without a plan: cannot read the playbooks and inventory/) as string,
    ]);
    expect(await userState(user.userName)).toEqual(before);

    fs.renameSync(`${inventory}.away`, inventory);
    const contained = await waitForState(idra, incident, 'awaiting_decision', 60_000);
    expect(contained.blockedBecause).toBeUndefined();
    expect(contained.plan?.playbook.id).toBe('test-leak');
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    expect((await idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await userState(user.userName)).toEqual(before);
  });
});
