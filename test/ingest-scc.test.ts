import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestConfigFromEnv } from '../ingest/ingest-config';
import { ingestOptions } from '../ingest/ingest-options';
import { createIngestServer } from '../ingest/ingest-server';
import { createGcpAccount, gcpState } from './support/gcp';
import { analyst, useIdra, waitForState } from './support/temporal';

const AUDIENCE = 'https://idra.example.com/v1/gcp/pubsub';
const PUSHER = 'scc-push@security-ops.iam.gserviceaccount.com';

/** Google's side of a push: a signing key (its public half in a JWKS file), and the OIDC tokens it signs. */
async function googleSigner(dir: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const file = path.join(dir, 'google-certs.json');
  fs.writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] }));
  const other = (await generateKeyPair('RS256')).privateKey;
  const token = (claims: Record<string, unknown> = {}, { key = privateKey, expiresIn = '1h' } = {}) =>
    new SignJWT({
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      sub: '113133337426418921113',
      email: PUSHER,
      email_verified: true,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key);
  return { file, token, other };
}

/** An SCC notification (NotificationMessage, as Google's reference shows it) on a service account's key. */
function sccNotification(
  access: Record<string, string>,
  { category = 'account_has_leaked_credentials', state = 'ACTIVE', name = `f${Date.now()}${Math.random()}` } = {},
) {
  return {
    notificationConfigName: 'organizations/1081635000895/notificationConfigs/idra',
    finding: {
      name: `organizations/1081635000895/sources/2946419546238137419/findings/${name.replace(/\W/g, '')}`,
      parent: 'organizations/1081635000895/sources/2946419546238137419',
      resourceName: '//cloudresourcemanager.googleapis.com/projects/213198433458',
      state,
      category,
      sourceProperties: { detectionCategory: { ruleName: 'leaked_credentials' } },
      securityMarks: {},
      eventTime: '2026-12-04T10:15:30.318Z',
      createTime: '2026-12-04T10:15:32.001Z',
      severity: 'HIGH',
      findingClass: 'THREAT',
      access: { callerIp: '203.0.113.7', methodName: 'google.iam.admin.v1.ListServiceAccounts', ...access },
    },
    resource: {
      name: '//cloudresourcemanager.googleapis.com/projects/213198433458',
      type: 'google.cloud.resourcemanager.Project',
    },
  };
}

/** The push request Pub/Sub makes for a message. */
function pushOf(notification: unknown, messageId = String(Math.floor(Math.random() * 1e15))) {
  return {
    message: {
      data: Buffer.from(JSON.stringify(notification)).toString('base64'),
      messageId,
      publishTime: '2026-12-04T10:15:33.100Z',
      attributes: {},
    },
    subscription: 'projects/security-ops/subscriptions/idra-scc',
  };
}

describe('HTTP ingest: Google Security Command Center through a Pub/Sub push subscription', () => {
  const env = useIdra();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-scc-'));
  let google: Awaited<ReturnType<typeof googleSigner>>;
  let server: FastifyInstance;
  const started: string[] = [];
  beforeAll(async () => {
    google = await googleSigner(dir);
    fs.writeFileSync(path.join(dir, 'token'), 'test-ingest-token-0123456789');
    const config = ingestConfigFromEnv({
      IDRA_INGEST_TOKEN_FILE: path.join(dir, 'token'),
      IDRA_INGEST_PUBSUB_AUDIENCE: AUDIENCE,
      IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT: PUSHER,
      IDRA_INGEST_PUBSUB_KEYS: google.file,
      // The fuzzing below posts far faster than a push subscription would.
      IDRA_INGEST_RATE_PER_SECOND: '100000',
    });
    server = createIngestServer(
      ingestOptions(config, async (signal) => {
        const result = await env.idra.respond(signal);
        started.push(result.incident);
        return result;
      }),
    );
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true });
  });

  const push = async (body: unknown, token?: string) => {
    const answer = await server.inject({
      method: 'POST',
      url: '/v1/gcp/pubsub',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await google.token())}` },
      payload: JSON.stringify(body),
    });
    return { status: answer.statusCode, json: answer.json<Record<string, unknown>>() };
  };

  it("a leaked-credentials finding on a service account's key: exactly that key is disabled; Pub/Sub's redelivery joins, recorded once", async () => {
    const account = await createGcpAccount({ keys: 2 });
    const keyName = `//iam.googleapis.com/projects/${account.project}/serviceAccounts/${account.email}/keys/${account.keyIds[0]}`;
    const body = pushOf(sccNotification({ principalEmail: account.email, serviceAccountKeyName: keyName }));
    const first = await push(body);
    expect(first).toMatchObject({ status: 202, json: { joined: false } });
    expect(await push(body)).toMatchObject({ status: 202, json: { incident: first.json.incident, joined: true } });

    const incident = first.json.incident as string;
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals).toHaveLength(1);
    expect(view.signals[0]).toMatchObject({
      source: 'google-scc',
      type: 'credential.leaked',
      severity: 'high',
      identity: {
        kind: 'service_account_key',
        project: account.project,
        email: account.email,
        keyId: account.keyIds[0],
      },
    });
    const state = await gcpState(account);
    expect([state.keys[account.keyIds[0]!], state.keys[account.keyIds[1]!]]).toEqual(['disabled', 'enabled']);
    await env.idra.rollback(incident, analyst);
  });

  it('acknowledges what idra cannot act on, saying why: an inactive finding, a person, no principal', async () => {
    const before = started.length;
    expect(
      (
        await push(
          pushOf(sccNotification({ principalEmail: 'ci@idra-x1.iam.gserviceaccount.com' }, { state: 'INACTIVE' })),
        )
      ).json,
    ).toEqual({
      skipped: 'an INACTIVE finding: idra acts on active ones',
    });
    expect((await push(pushOf(sccNotification({ principalEmail: 'alice@example.com' })))).json).toEqual({
      skipped: 'a finding on a principal that is no service account of a project: idra acts on service accounts',
    });
    expect((await push(pushOf(sccNotification({})))).json).toEqual({
      skipped: 'a finding on no principal: idra acts on service accounts',
    });
    expect(started.length).toBe(before);
  });

  it("refuses a push without Pub/Sub's token for this subscription (401): another audience or account, unverified, expired, not Google's, none", async () => {
    const before = started.length;
    const body = pushOf(sccNotification({ principalEmail: 'ci@idra-x2.iam.gserviceaccount.com' }));
    const tokens = [
      await google.token({ aud: 'https://elsewhere.example.com/push' }),
      await google.token({ email: 'someone@security-ops.iam.gserviceaccount.com' }),
      await google.token({ email_verified: false }),
      await google.token({}, { expiresIn: '-1m' }),
      await google.token({}, { key: google.other }),
      'not-a-jwt',
    ];
    for (const token of tokens) expect((await push(body, token)).status).toBe(401);
    const none = await server.inject({ method: 'POST', url: '/v1/gcp/pubsub', payload: body });
    expect(none.statusCode).toBe(401);
    expect(started.length).toBe(before);
  });

  it('a route not configured answers 404; a half configuration is refused at start, naming both variables', () => {
    const token = path.join(dir, 'token');
    expect(() => ingestConfigFromEnv({ IDRA_INGEST_TOKEN_FILE: token, IDRA_INGEST_PUBSUB_AUDIENCE: AUDIENCE })).toThrow(
      /IDRA_INGEST_PUBSUB_AUDIENCE and IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT go together/,
    );
    expect(() =>
      ingestConfigFromEnv({
        IDRA_INGEST_TOKEN_FILE: token,
        IDRA_INGEST_PUBSUB_AUDIENCE: AUDIENCE,
        IDRA_INGEST_PUBSUB_SERVICE_ACCOUNT: PUSHER,
        IDRA_INGEST_PUBSUB_KEYS: 'http://keys.example.com/certs',
      }),
    ).toThrow(/IDRA_INGEST_PUBSUB_KEYS: a key set must be fetched over https/);
    const config = ingestConfigFromEnv({ IDRA_INGEST_TOKEN_FILE: token });
    const off = createIngestServer(ingestOptions(config, () => Promise.reject(new Error('never called'))));
    return off
      .inject({ method: 'POST', url: '/v1/gcp/pubsub', payload: {} })
      .then((answer) => expect(answer.statusCode).toBe(404))
      .finally(() => off.close());
  });

  it('10,000 fuzzed messages, each pushed with a valid token (seeded): each refused with a 400, nothing started', async () => {
    const before = started.length;
    const token = await google.token();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.jsonValue().map((data) => pushOf(data)),
        ),
        async (body) => {
          const answer = await server.inject({
            method: 'POST',
            url: '/v1/gcp/pubsub',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            payload: JSON.stringify(body),
          });
          return answer.statusCode === 400;
        },
      ),
      { numRuns: 10_000, seed: 20261204 },
    );
    expect(started.length).toBe(before);
  });
});
