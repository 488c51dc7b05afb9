import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestOptions } from '../ingest/ingest-options';
import { createIngestServer } from '../ingest/ingest-server';
import { ACCOUNT, createRole, createUser, userState } from './support/aws';
import { createGcpAccount, gcpState } from './support/gcp';
import { analyst, useIdra, waitForState } from './support/temporal';

const TOKEN = 'test-ingest-token-0123456789';

/** An OCSF 1.x Detection Finding (class 2004) as a SIEM rule emits it, its actor the user given. */
function detectionFinding(uid: string, user: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    time: Date.parse('2026-12-04T10:20:00Z'),
    severity_id: 4,
    severity: 'High',
    status_id: 1,
    status: 'New',
    message: 'Access key used from a network never seen for it',
    metadata: { version: '1.3.0', product: { name: 'Acme SIEM', vendor_name: 'Acme' } },
    finding_info: {
      uid,
      title: 'Access key used from a new ASN',
      types: ['Credential Access'],
      analytic: { name: 'new-asn-for-credential', type_id: 1, type: 'Rule' },
    },
    evidences: [
      {
        actor: { user },
        api: { operation: 'ListBuckets', service: { name: 's3.amazonaws.com' } },
        src_endpoint: { ip: '198.51.100.23' },
      },
    ],
    ...overrides,
  };
}

describe('HTTP ingest: OCSF Detection Findings from SIEMs', () => {
  const env = useIdra();
  let server: FastifyInstance;
  const started: string[] = [];
  beforeAll(() => {
    server = createIngestServer(
      ingestOptions({ signalToken: TOKEN, ratePerSecond: 100_000, ratePerIdentity: 100_000 }, async (signal) => {
        const result = await env.idra.respond(signal);
        started.push(result.incident);
        return result;
      }),
    );
  });
  afterAll(() => server.close());

  const post = async (body: unknown, token = TOKEN) => {
    const answer = await server.inject({
      method: 'POST',
      url: '/v1/ocsf',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(body),
    });
    return { status: answer.statusCode, json: answer.json<Record<string, unknown>>() };
  };

  it("a batch: an IAM user's key (by its ARN) and a GCP service account's key, each contained exactly; a resend joins, recorded once", async () => {
    const user = await createUser('ocsf', { keys: 2 });
    const account = await createGcpAccount({ keys: 2 });
    const batch = [
      detectionFinding(`acme-${user.userName}`, {
        uid: `arn:aws:iam::${ACCOUNT}:user/${user.userName}`,
        name: user.userName,
        type: 'IAMUser',
        credential_uid: user.accessKeyIds[0],
        account: { uid: ACCOUNT, type: 'AWS Account' },
      }),
      detectionFinding(
        `acme-${account.project}`,
        { name: account.email, email_addr: account.email, credential_uid: account.keyIds[0] },
        {
          finding_info: {
            uid: `acme-${account.project}`,
            title: 'Key file found in a paste',
            types: ['credential.leaked'],
          },
        },
      ),
    ];
    const delivered = await post(batch);
    expect(delivered.status).toBe(202);
    const [aws, gcp] = delivered.json.incidents as { incident: string; joined: boolean }[];
    expect(aws).toEqual({ incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`, joined: false });
    expect(gcp?.joined).toBe(false);
    expect(delivered.json.skipped).toEqual([]);

    const awsView = await waitForState(env.idra, aws!.incident, 'awaiting_decision');
    expect(awsView.signals[0]).toMatchObject({
      source: 'ocsf:Acme-SIEM',
      type: 'credential.anomalous_use',
      severity: 'high',
    });
    expect((await userState(user.userName)).keys).toEqual({
      [user.accessKeyIds[0]!]: 'Inactive',
      [user.accessKeyIds[1]!]: 'Active',
    });
    const gcpView = await waitForState(env.idra, gcp!.incident, 'awaiting_decision');
    expect(gcpView.signals[0]).toMatchObject({ type: 'credential.leaked' });
    expect((await gcpState(account)).keys[account.keyIds[0]!]).toBe('disabled');
    expect((await gcpState(account)).keys[account.keyIds[1]!]).toBe('enabled');

    expect((await post(batch)).json.incidents).toEqual([
      { incident: aws!.incident, joined: true },
      { incident: gcp!.incident, joined: true },
    ]);
    expect((await waitForState(env.idra, aws!.incident, 'awaiting_decision')).signals).toHaveLength(1);
    await env.idra.rollback(aws!.incident, analyst);
    await env.idra.rollback(gcp!.incident, analyst);
  });

  it('a key id alone: its IAM user is looked up; an assumed role is the role', async () => {
    const user = await createUser('ocsf-key', { keys: 1 });
    const byKey = await post(detectionFinding(`key-${user.userName}`, { credential_uid: user.accessKeyIds[0] }));
    expect(byKey).toMatchObject({ status: 202, json: { incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}` } });
    await waitForState(env.idra, byKey.json.incident as string, 'awaiting_decision');
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    await env.idra.rollback(byKey.json.incident as string, analyst);

    const roleName = await createRole('ocsf-deployer');
    const role = await post(
      detectionFinding(`role-${roleName}`, {
        uid: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/session-7`,
        type: 'AssumedRole',
      }),
    );
    expect(role.status).toBe(202);
    expect(role.json.incident).toContain(roleName);
    const view = await waitForState(env.idra, role.json.incident as string, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({
      type: 'session.compromised',
      identity: { provider: 'aws', kind: 'role', account: ACCOUNT, roleName },
    });
    await env.idra.rollback(role.json.incident as string, analyst);
  });

  it('acknowledges what idra cannot act on, saying why; refuses the wrong token and what is not a Detection Finding', async () => {
    const before = started.length;
    expect((await post(detectionFinding('person-1', { name: 'alice', email_addr: 'alice@example.com' }))).json).toEqual(
      {
        skipped:
          'finding person-1: its evidence names no identity idra acts on (an AWS key or role, a GCP service account)',
      },
    );
    const closed = detectionFinding('closed-1', { credential_uid: 'AKIAZZZZZZZZZZZZZZZZ' }, { status_id: 4 });
    expect((await post(closed)).json).toEqual({ skipped: 'finding closed-1: resolved or suppressed' });
    expect((await post(detectionFinding('x', {}), 'not-the-token')).status).toBe(401);
    expect(await post({ ...detectionFinding('x', {}), class_uid: 2003 })).toMatchObject({
      status: 202,
      json: { skipped: 'a class 2003 finding: idra reads Detection Findings (class 2004)' },
    });
    expect(await post({ ...detectionFinding('x', {}), class_uid: '2004' })).toMatchObject({
      status: 400,
      json: { problems: ['class_uid: must be 2004 (Detection Finding)'] },
    });
    expect(await post([])).toMatchObject({
      status: 400,
      json: { problems: ['body: must be a finding or a list of 1-100 findings'] },
    });
    expect(started.length).toBe(before);
  });

  it("Security Hub's OCSF findings (Findings Imported V2) through EventBridge: the Detection Finding on a key starts its response, a Compliance Finding is skipped", async () => {
    const user = await createUser('securityhub-v2', { keys: 1 });
    const finding = detectionFinding(`sh2-${user.userName}`, {
      uid: `arn:aws:iam::${ACCOUNT}:user/${user.userName}`,
      credential_uid: user.accessKeyIds[0],
    });
    const event = {
      version: '0',
      id: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
      'detail-type': 'Findings Imported V2',
      source: 'aws.securityhub',
      account: ACCOUNT,
      time: '2026-12-04T10:21:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { findings: [finding, { ...finding, class_uid: 2003, class_name: 'Compliance Finding' }] },
    };
    const bridge = createIngestServer(
      ingestOptions(
        {
          signalToken: TOKEN,
          eventBridgeKey: 'test-eventbridge-key-0123456789',
          ratePerSecond: 100,
          ratePerIdentity: 100,
        },
        (signal) => env.idra.respond(signal),
      ),
    );
    const answer = await bridge.inject({
      method: 'POST',
      url: '/v1/aws/eventbridge',
      headers: { 'content-type': 'application/json', 'x-idra-api-key': 'test-eventbridge-key-0123456789' },
      payload: event,
    });
    await bridge.close();
    const incident = `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`;
    expect(answer.statusCode).toBe(202);
    expect(answer.json()).toEqual({
      incidents: [{ incident, joined: false }],
      skipped: ['a class 2003 finding: idra reads Detection Findings (class 2004)'],
    });
    await waitForState(env.idra, incident, 'awaiting_decision');
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    await env.idra.rollback(incident, analyst);
  });

  it('a batch is one request: findings about one identity beyond its rate are taken, and a record idra cannot read is skipped, not the batch', async () => {
    const user = await createUser('ocsf-batch', { keys: 1 });
    const finding = (index: number) =>
      detectionFinding(`batch-${user.userName}-${index}`, {
        uid: `arn:aws:iam::${ACCOUNT}:user/${user.userName}`,
        credential_uid: user.accessKeyIds[0],
      });
    const tight = createIngestServer(
      ingestOptions({ signalToken: TOKEN, ratePerSecond: 100, ratePerIdentity: 2 }, (signal) =>
        env.idra.respond(signal),
      ),
    );
    const answer = await tight.inject({
      method: 'POST',
      url: '/v1/ocsf',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      payload: [...Array.from({ length: 5 }, (_, index) => finding(index)), { ...finding(9), time: 9e15 }],
    });
    await tight.close();
    expect(answer.statusCode).toBe(202);
    const { incidents, skipped } = answer.json<{ incidents: { incident: string }[]; skipped: string[] }>();
    expect(new Set(incidents.map(({ incident }) => incident))).toEqual(
      new Set([`idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`]),
    );
    expect(skipped).toEqual(['record 5: not read (5.time: Too big: expected number to be <=8640000000000000)']);
    const view = await waitForState(env.idra, incidents[0]!.incident, 'awaiting_decision');
    expect(view.signals.length + view.signalRepeats).toBeGreaterThanOrEqual(1);
    await env.idra.rollback(incidents[0]!.incident, analyst);
  });

  it('10,000 fuzzed bodies (seeded): each refused with a 400 (or, of another class, skipped), nothing started', async () => {
    const before = started.length;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => [400, 202].includes((await post(body)).status)),
      { numRuns: 10_000, seed: 20261204 },
    );
    expect(started.length).toBe(before);
  });
});
