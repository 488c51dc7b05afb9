import { WorkflowUpdateFailedError } from '@temporalio/client';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analystToken, connectIdra, useIdra, waitForState } from './support/temporal';

const alice = 'alice@example.com';

describe('decisions count only with a valid signed assertion of the analyst', () => {
  const env = useIdra();
  let incident: string;
  let userName: string;
  let keyId: string;

  beforeAll(async () => {
    const user = await createUser('authn');
    [userName, keyId] = [user.userName, user.accessKeyIds[0]!];
    ({ incident } = await env.idra.respond(leakSignal(user)));
    await waitForState(env.idra, incident, 'awaiting_decision');
  });

  const attempt = async (assertion: string | undefined, analyst = alice): Promise<string | undefined> => {
    const error = await env.idra.decide('rollback', incident, { analyst, reason: 'try', ...(assertion === undefined ? {} : { assertion }) }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause?.message;
  };

  it.each([
    ['forged (signed with another key)', () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(alice).setAudience('idra').setExpirationTime('5m').sign(randomBytes(32)), 'invalid assertion: signature verification failed'],
    ['expired', () => analystToken(alice, undefined, { ttl: '-1m' }), 'invalid assertion: "exp" claim timestamp check failed'],
    ['for another audience', () => analystToken(alice, undefined, { audience: 'grafana' }), 'invalid assertion: unexpected "aud" claim value'],
    ['for another incident', () => analystToken(alice, 'idra-aws-123456789012-AKIAOTHERINCIDENT000'), 'the assertion is for incident "idra-aws-123456789012-AKIAOTHERINCIDENT000", not '],
    ['for another analyst', () => analystToken('bob@example.com'), 'the assertion is for bob@example.com, not alice@example.com'],
    ['not a token', () => Promise.resolve('not-a-jwt'), 'invalid assertion: '],
  ])('denies an assertion that is %s, and records it', async (_case, token, problem) => {
    expect(await attempt(await token())).toContain(problem);
  });

  it('denies a decision without any assertion (a client that only says who it is)', async () => {
    const bare = await connectIdra('default', { signsDecisions: false });
    try {
      const error = await bare.idra.rollback(incident, { analyst: alice, reason: 'trust me' }).catch((caught: unknown) => caught);
      expect((error as WorkflowUpdateFailedError).cause?.message).toBe("no signed assertion: decisions must carry the analyst's token");
    } finally {
      await bare.close();
    }
  });

  it('kept every denial in the record and changed nothing; a valid assertion then decides', async () => {
    const view = await env.idra.status(incident);
    expect(view.deniedDecisions).toHaveLength(7);
    expect(view.deniedDecisions.every((denied) => denied.kind === 'rollback')).toBe(true);
    expect((await userState(userName)).keys[keyId]).toBe('Inactive');
    expect((await env.idra.rollback(incident, { analyst: alice, reason: 'verified false positive' })).state).toBe('rolled_back');
  });
});
