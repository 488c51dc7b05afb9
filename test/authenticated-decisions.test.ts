import { WorkflowUpdateFailedError } from '@temporalio/client';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { readSecretFile } from '../auth/auth-config';
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
    const error = await env.idra
      .decide('rollback', incident, { analyst, reason: 'try', ...(assertion === undefined ? {} : { assertion }) })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause?.message;
  };

  // A token as an identity provider might issue it, signed with the secret the workers trust.
  const signed = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT) =>
    build(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(alice)
        .setAudience('idra')
        .setExpirationTime('5m'),
    ).sign(readSecretFile(process.env.IDRA_AUTH_HS256_SECRET_FILE ?? ''));

  it.each([
    [
      'forged (signed with another key)',
      () =>
        new SignJWT({ incident })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(alice)
          .setAudience('idra')
          .setJti('forged')
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(randomBytes(32)),
      'invalid assertion: signature verification failed',
    ],
    [
      'expired',
      () => analystToken(alice, incident, { ttl: '-1m' }),
      'invalid assertion: "exp" claim timestamp check failed',
    ],
    [
      'for another audience',
      () => analystToken(alice, incident, { audience: 'grafana' }),
      'invalid assertion: unexpected "aud" claim value',
    ],
    [
      'for another incident',
      () => analystToken(alice, 'idra-aws-123456789012-AKIAOTHERINCIDENT000'),
      'the assertion is for incident "idra-aws-123456789012-AKIAOTHERINCIDENT000", not ',
    ],
    [
      'for another analyst',
      () => analystToken('bob@example.com', incident),
      'the assertion is for bob@example.com, not alice@example.com',
    ],
    ['not a token', () => Promise.resolve('not-a-jwt'), 'invalid assertion: '],
    [
      'for no incident in particular (good for every response)',
      () => signed({}, (jwt) => jwt.setJti('no-incident').setIssuedAt()),
      'invalid assertion: missing required "incident" claim',
    ],
    [
      'without an id to spend it by',
      () => signed({ incident }, (jwt) => jwt.setIssuedAt()),
      'invalid assertion: missing required "jti" claim',
    ],
    [
      'without its time of issue',
      () => signed({ incident }, (jwt) => jwt.setJti('no-iat')),
      'invalid assertion: missing required "iat" claim',
    ],
    [
      'valid for longer than the workers accept',
      () => analystToken(alice, incident, { ttl: '30m' }),
      'the assertion is valid for 1800 s: at most 600 s are accepted',
    ],
  ])('denies an assertion that is %s, and records it', async (_case, token, problem) => {
    expect(await attempt(await token())).toContain(problem);
  });

  it('spends a token once: replayed for another decision, it is refused', async () => {
    const token = await analystToken(alice, incident);
    // Verified, then denied for the state (nothing changes): the token is spent all the same.
    expect(
      await env.idra.decide('reject', incident, { analyst: alice, reason: 'first use', assertion: token }).then(
        () => undefined,
        (caught: unknown) => (caught as WorkflowUpdateFailedError).cause?.message,
      ),
    ).toContain('not reject');
    expect(await attempt(token)).toMatch(/^the assertion was used before \(token [\w-]+\): each token decides once$/);
  });

  it('denies a decision without any assertion (a client that only says who it is)', async () => {
    const bare = await connectIdra('default', { signsDecisions: false });
    try {
      const error = await bare.idra
        .rollback(incident, { analyst: alice, reason: 'trust me' })
        .catch((caught: unknown) => caught);
      expect((error as WorkflowUpdateFailedError).cause?.message).toBe(
        "no signed assertion: decisions must carry the analyst's token",
      );
    } finally {
      await bare.close();
    }
  });

  it('kept every denial in the record and changed nothing; a valid assertion then decides', async () => {
    const view = await env.idra.status(incident);
    // 10 refused assertions, the decision without one, the rejection and the replay: 10 kept, the rest counted.
    expect(view.deniedDecisions).toHaveLength(10);
    expect(view.deniedDecisions.length + view.deniedDecisionsNotKept).toBe(13);
    expect((await userState(userName)).keys[keyId]).toBe('Inactive');
    expect((await env.idra.rollback(incident, { analyst: alice, reason: 'verified false positive' })).state).toBe(
      'rolled_back',
    );
  });

  it('counts a hand raiser only with their verified token: a self-declared raiser does not count, and is said', async () => {
    const user = await createUser('self-declared');
    const { incident: raised } = await env.idra.respond(
      leakSignal(user, 0, { requestedBy: 'dana@example.com', requestedByAssertion: 'not-a-jwt' }),
    );
    const view = await waitForState(env.idra, raised, 'awaiting_decision');
    expect(view.raisedBy).toEqual([]);
    expect(view.failures).toEqual([
      expect.stringMatching(
        /names dana@example.com as its raiser without their valid token \(invalid assertion: .*\): not counted as raiser$/,
      ),
    ]);
    expect(JSON.stringify(view.signals)).not.toContain('not-a-jwt');

    // With their token (the client mints it here), the raiser counts.
    const other = await createUser('hand-raised');
    const { incident: handRaised } = await env.idra.respond(leakSignal(other, 0, { requestedBy: 'dana@example.com' }));
    expect((await waitForState(env.idra, handRaised, 'awaiting_decision')).raisedBy).toEqual(['dana@example.com']);
  });
});
