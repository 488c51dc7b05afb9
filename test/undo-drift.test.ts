import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../model/response';
import { createUser, iam, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const compensations = (changes: Receipt[]) =>
  changes
    .filter((receipt) => receipt.operation === 'compensate')
    .map((receipt) => [receipt.action, receipt.changed, receipt.drift?.note]);

describe('honest undo: a target someone else already restored is drift, not a silent success', () => {
  const env = useIdra();

  it('rollback: the key reactivated by hand is recorded as already restored by someone else, and an analyst reviews', async () => {
    const user = await createUser('restored-by-hand');
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: user.userName, AccessKeyId: user.accessKeyIds[0], Status: 'Active' }),
    );

    const final = await env.idra.rollback(incident, analyst);
    expect(final.state).toBe('needs_review');
    expect(compensations(final.changes).sort()).toEqual([
      ['aws.accessKey.deactivate', false, 'already restored by someone else'],
      ['aws.identity.tag', true, undefined],
      ['aws.user.quarantine', true, undefined],
    ]);
    expect(
      (
        await env.idra.decide('confirm', incident, {
          analyst: 'bob@example.com',
          reason: 'the owner reactivated it after rotating',
        })
      ).state,
    ).toBe('rolled_back');
  });

  it('TTL revert: drift is recorded exactly as at rollback and the response ends in review, not reverted', async () => {
    const user = await createUser('ttl-restored', { tags: { 'test:playbook': 'ttl' } });
    const before = await userState(user.userName);
    const { incident } = await env.idra.respond(leakSignal(user));
    await waitForState(env.idra, incident, 'awaiting_decision');
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: user.userName, AccessKeyId: user.accessKeyIds[0], Status: 'Active' }),
    );

    // The playbook's TTL (2s) passes without a confirmation.
    const review = await waitForState(env.idra, incident, 'needs_review');
    expect(compensations(review.changes)).toEqual([
      ['aws.user.quarantine', true, undefined],
      ['aws.accessKey.deactivate', false, 'already restored by someone else'],
    ]);
    expect(await userState(user.userName)).toEqual(before);
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('reverted');
  });
});
