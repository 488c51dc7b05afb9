import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { IdraClient } from '../clients/idra-client';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { connectIdra, runWorkers, waitForState } from './support/temporal';

describe('a principal that tags itself cannot weaken or slow its own response', () => {
  let idra: IdraClient;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    // The test inventory without its trust in idra:tier and idra:approver-group: as shipped, the default.
    const fixture = parse(fs.readFileSync(process.env.IDRA_INVENTORY_FILE ?? '', 'utf8')) as Record<string, unknown>;
    const inventoryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-inventory-')), 'inventory.yaml');
    fs.writeFileSync(inventoryFile, stringify({ ...fixture, trustedTags: [{ keys: ['test:playbook'] }] }));
    const client = await connectIdra();
    const workers = await runWorkers({ IDRA_INVENTORY_FILE: inventoryFile });
    idra = client.idra;
    stop = async () => {
      await workers.stop();
      await client.close();
    };
  });
  afterAll(() => stop());

  it('re-tagged protected, with approvers of its choosing, just before the signal: still contained at once', async () => {
    const user = await createUser('self-tagger', {
      tags: { 'idra:tier': 'protected', 'idra:approver-group': 'security-leads', 'idra:owner': 'ci' },
    });
    const { incident } = await idra.respond(leakSignal(user));
    const contained = await waitForState(idra, incident, 'awaiting_decision');
    expect(contained.guardedBecause).toEqual([]);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    expect(contained.plan?.profile).toMatchObject({
      tier: 'standard',
      approverGroup: 'security-oncall',
      owner: 'ci',
      ignoredTags: ['idra:tier', 'idra:approver-group'],
    });
    expect(contained.plan?.notes).toContain(
      'tags not trusted by the inventory, ignored: idra:tier, idra:approver-group',
    );
  });
});
