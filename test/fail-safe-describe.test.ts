import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createIamUser } from '../infra/seed-aws';
import { waitFor } from '../infra/wait-for';
import { ACCOUNT, uniqueName, userState } from './support/aws';
import { useRestrictedIdra } from './support/restricted-moto';
import { leakSignal } from './support/signals';
import { analyst, waitForState } from './support/temporal';

// Two identities the inventory knows by name, so their profile does not depend on the tags that cannot be read.
const standardUser = uniqueName('describe-fails');
const protectedUser = uniqueName('describe-fails-protected');

function inventoryNaming(): string {
  const file = path.join(inject('runDir'), 'fail-safe-describe-inventory.yaml');
  const inventory = parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'inventory.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
  inventory.identities = [
    { match: { provider: 'aws', account: ACCOUNT, userName: standardUser }, tier: 'standard' },
    {
      match: { provider: 'aws', account: ACCOUNT, userName: protectedUser },
      tier: 'protected',
      approverGroup: 'security-leads',
    },
  ];
  fs.writeFileSync(file, stringify(inventory));
  return file;
}

describe('fail safe: the provider cannot describe the identity (its worker may not read IAM tags)', () => {
  const env = useRestrictedIdra(['iam:ListUserTags'], { IDRA_INVENTORY_FILE: inventoryNaming() });

  it('a leaked key is deactivated at once without a plan, the rest follows once describing works, and nothing runs twice', async () => {
    const user = await createIamUser(env.moto.admin, standardUser, { keys: 2 });
    const protectedOne = await createIamUser(env.moto.admin, protectedUser, { keys: 1 });
    const before = await userState(user.userName, env.moto.admin);
    const protectedBefore = await userState(protectedOne.userName, env.moto.admin);

    const { incident } = await env.idra.respond(leakSignal(user));
    const { incident: protectedIncident } = await env.idra.respond(leakSignal(protectedOne));
    const blocked = await waitForState(env.idra, incident, 'blocked');
    expect(blocked.blockedBecause).toMatch(/^cannot plan the response: not permitted on IAM user .*iam:ListUserTags/);
    await waitFor(
      'the leaked key to be deactivated',
      async () => (await userState(user.userName, env.moto.admin)).keys[user.accessKeyIds[0]!] === 'Inactive',
    );
    const held = await env.idra.status(incident);
    expect(held.state).toBe('blocked');
    expect(held.plan?.playbook.id).toBe('fallback');
    expect(held.changes.map((receipt) => [receipt.action, receipt.operation, receipt.changed])).toEqual([
      ['aws.accessKey.deactivate', 'apply', true],
    ]);
    // Exactly that key: the user's other key is untouched.
    expect((await userState(user.userName, env.moto.admin)).keys[user.accessKeyIds[1]!]).toBe('Active');
    // A protected identity is never acted on without its full profile.
    expect((await waitForState(env.idra, protectedIncident, 'blocked')).changes).toEqual([]);
    expect(await userState(protectedOne.userName, env.moto.admin)).toEqual(protectedBefore);

    // The permission comes back: planning finishes and the playbook's containment completes.
    await env.moto.allowEverything(env.worker.userName);
    const contained = await waitForState(env.idra, incident, 'awaiting_decision', 60_000);
    expect(contained.plan?.playbook.id).toBe('test-leak');
    expect(contained.changes.map((receipt) => receipt.action).sort()).toEqual([
      'aws.accessKey.deactivate',
      'aws.identity.tag',
      'aws.user.quarantine',
    ]);
    expect((await waitForState(env.idra, protectedIncident, 'awaiting_approval', 60_000)).changes).toEqual([]);

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await userState(user.userName, env.moto.admin)).toEqual(before);
  });
});
