import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdraClient } from '../clients/idra-client';
import { idraDataConverter } from '../codec/data-converter';
import { ingestConfigFromEnv } from '../ingest/ingest-config';
import { ingestOptions } from '../ingest/ingest-options';
import { createIngestServer } from '../ingest/ingest-server';
import { createUser, userState } from './support/aws';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const TOKEN = 'test-ingest-token-0123456789';
const EVENTBRIDGE_KEY = 'test-eventbridge-key-0123456789';
const ACCOUNT = '123456789012';

/** A GuardDuty finding as EventBridge delivers it (the shape of AWS's documented sample, with our key). */
function guardDutyFinding(user: { userName: string; accessKeyIds: string[] }, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: ACCOUNT,
    time: '2026-12-02T09:55:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: ACCOUNT,
      region: 'us-east-1',
      partition: 'aws',
      id: `16afba5c5c43e07c9e3e5e2e544e95df-${user.accessKeyIds[0]}`,
      arn: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/123456789012/finding/16afba5c5c43e07c9e3e5e2e544e95df`,
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: {
          accessKeyId: user.accessKeyIds[0],
          principalId: 'AIDACKCEVSQ6C2EXAMPLE',
          userName: user.userName,
          userType: 'IAMUser',
        },
      },
      service: { serviceName: 'guardduty', count: 4, action: { actionType: 'AWS_API_CALL' } },
      severity: 8,
      createdAt: '2026-12-02T09:50:00.000Z',
      updatedAt: '2026-12-02T09:55:00.000Z',
      title: `API ListBuckets was invoked from an IP address on a custom threat list by ${user.userName}.`,
      description: 'An API was used to access a bucket from an IP address on a custom threat list.',
      ...overrides,
    },
  };
}

/** AWS Health's exposed-credentials notice as EventBridge delivers it (AWS's documented sample, with our key). */
function healthEvent(keyId: string, eventTypeCode = 'AWS_RISK_CREDENTIALS_EXPOSED') {
  return {
    version: '0',
    id: `7bf73129-1428-4cd3-a780-${keyId.slice(-12).toLowerCase()}`,
    'detail-type': 'AWS Health Abuse Event',
    source: 'aws.health',
    account: ACCOUNT,
    time: '2026-12-04T06:27:57Z',
    region: 'us-east-1',
    resources: [keyId],
    detail: {
      eventArn: `arn:aws:health:global::event/ABUSE/${eventTypeCode}/${eventTypeCode}_${keyId}`,
      service: 'ABUSE',
      eventTypeCode,
      eventTypeCategory: 'issue',
      startTime: 'Fri, 04 Dec 2026 06:10:09 GMT',
      eventDescription: [
        {
          language: 'en_US',
          latestDescription: `Your AWS access key ${keyId} was found publicly available on GitHub.`,
        },
      ],
      affectedEntities: [{ entityValue: keyId }],
    },
  };
}

/** Security Hub's import of findings (ASFF) as EventBridge delivers it: one on our key, one on an instance. */
function securityHubEvent(user: { userName: string; accessKeyIds: string[] }) {
  const finding = (id: string, resource: Record<string, unknown>) => ({
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/${id}`,
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    GeneratorId: 'arn:aws:guardduty:us-east-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0',
    AwsAccountId: ACCOUNT,
    Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller.Custom'],
    CreatedAt: '2026-12-04T09:50:00.000Z',
    UpdatedAt: '2026-12-04T09:55:00.000Z',
    Severity: { Product: 8, Label: 'HIGH', Normalized: 60 },
    Title: `API ListBuckets was invoked from an IP address on a custom threat list by ${user.userName}.`,
    Description: 'An API was used to access a bucket from an IP address on a custom threat list.',
    Resources: [{ Partition: 'aws', Region: 'us-east-1', ...resource }],
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  });
  return {
    version: '0',
    id: 'b5c2e5f8-1e8f-4c4b-9a4e-0a4b3c2d1e0f',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: ACCOUNT,
    time: '2026-12-04T09:56:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      findings: [
        finding(`a1${user.accessKeyIds[0]!.toLowerCase()}`, {
          Type: 'AwsIamAccessKey',
          Id: `AWS::IAM::AccessKey:${user.accessKeyIds[0]}`,
          Details: {
            AwsIamAccessKey: {
              PrincipalId: 'AIDACKCEVSQ6C2EXAMPLE',
              PrincipalName: user.userName,
              PrincipalType: 'IAMUser',
            },
          },
        }),
        finding('b2instance', { Type: 'AwsEc2Instance', Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc` }),
      ],
    },
  };
}

describe('HTTP ingest: detectors push findings; each is in Temporal before it is acknowledged', () => {
  const env = useIdra();
  let server: FastifyInstance;
  let url: string;
  const started: string[] = [];
  beforeAll(async () => {
    server = createIngestServer(
      ingestOptions(
        { signalToken: TOKEN, eventBridgeKey: EVENTBRIDGE_KEY, ratePerSecond: 100_000, ratePerIdentity: 100_000 },
        async (signal) => {
          const result = await env.idra.respond(signal);
          started.push(result.incident);
          return result;
        },
      ),
    );
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      json: (await response.json()) as Record<string, unknown>,
    }));
  const asDetector = { authorization: `Bearer ${TOKEN}` };

  /** Posts these signals at once to a server with these rates (and the real client), and its answers. */
  async function postAtOnce(rates: { ratePerSecond: number; ratePerIdentity: number }, bodies: unknown[]) {
    const limited = createIngestServer(
      ingestOptions({ signalToken: TOKEN, ...rates }, env.idra.respond.bind(env.idra)),
    );
    try {
      return await Promise.all(
        bodies.map((payload) =>
          limited.inject({ method: 'POST', url: '/v1/signals', headers: asDetector, payload: payload as object }),
        ),
      );
    } finally {
      await limited.close();
    }
  }

  it("idra's own signal: 202 with the incident once it is in Temporal; the same delivery again joins, recorded once", async () => {
    const user = await createUser('ingested', { keys: 2 });
    const signal = { ...leakSignal(user), id: `siem:${user.userName}` };
    const first = await post('/v1/signals', signal, asDetector);
    expect(first).toMatchObject({
      status: 202,
      json: { incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`, joined: false },
    });
    const again = await post('/v1/signals', signal, asDetector);
    expect(again).toMatchObject({ status: 202, json: { incident: first.json.incident, joined: true } });
    const view = await waitForState(env.idra, first.json.incident as string, 'awaiting_decision');
    expect(view.signals).toHaveLength(1);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    await env.idra.rollback(first.json.incident as string, analyst);
  });

  it('a GuardDuty finding through an EventBridge API destination: its key is contained; a finding on another resource is acknowledged and skipped', async () => {
    const user = await createUser('guardduty', { keys: 1 });
    const delivered = await post('/v1/aws/eventbridge', guardDutyFinding(user), { 'x-idra-api-key': EVENTBRIDGE_KEY });
    expect(delivered).toMatchObject({ status: 202, json: { incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}` } });
    const view = await waitForState(env.idra, delivered.json.incident as string, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({ source: 'guardduty', type: 'credential.anomalous_use', severity: 'high' });
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    await env.idra.rollback(delivered.json.incident as string, analyst);

    const instance = guardDutyFinding(user, { resource: { resourceType: 'Instance' } });
    expect(await post('/v1/aws/eventbridge', instance, { 'x-idra-api-key': EVENTBRIDGE_KEY })).toMatchObject({
      status: 202,
      json: { skipped: 'a Instance finding: idra acts on IAM credentials only' },
    });
  });

  it("AWS Health's exposed-credentials notice names a key alone: its IAM user is looked up and the key contained; other Health events and a key of no user are skipped", async () => {
    const user = await createUser('health', { keys: 2 });
    const asBridge = { 'x-idra-api-key': EVENTBRIDGE_KEY };
    const delivered = await post('/v1/aws/eventbridge', healthEvent(user.accessKeyIds[0]!), asBridge);
    expect(delivered).toMatchObject({ status: 202, json: { incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}` } });
    const incident = delivered.json.incident as string;
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({ source: 'aws-health', type: 'credential.leaked', severity: 'critical' });
    expect((await userState(user.userName)).keys).toEqual({
      [user.accessKeyIds[0]!]: 'Inactive',
      [user.accessKeyIds[1]!]: 'Active',
    });
    await env.idra.rollback(incident, analyst);

    const before = started.length;
    const other = healthEvent(user.accessKeyIds[1]!, 'AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED');
    expect((await post('/v1/aws/eventbridge', other, asBridge)).json).toEqual({
      skipped:
        'a AWS_EC2_INSTANCE_REBOOT_MAINTENANCE_SCHEDULED Health event: idra acts on AWS_RISK_CREDENTIALS_EXPOSED',
    });
    expect((await post('/v1/aws/eventbridge', healthEvent('AKIAZZZZZZZZZZZZZZZZ'), asBridge)).json).toEqual({
      skipped: `access key AKIAZZZZZZZZZZZZZZZZ belongs to no IAM user of account ${ACCOUNT} (deleted already?)`,
    });
    expect(started.length).toBe(before);
  });

  it('Security Hub findings (ASFF): the one on an access key starts its response, the one on an instance is skipped, both said in the answer', async () => {
    const user = await createUser('securityhub', { keys: 1 });
    const event = securityHubEvent(user);
    const delivered = await post('/v1/aws/eventbridge', event, { 'x-idra-api-key': EVENTBRIDGE_KEY });
    const incident = `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`;
    expect(delivered.status).toBe(202);
    expect(delivered).toMatchObject({
      json: {
        incidents: [{ incident, joined: false }],
        skipped: [`finding ${event.detail.findings[1]!.Id}: on no IAM access key (idra acts on IAM credentials)`],
      },
    });
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({
      source: 'securityhub',
      type: 'credential.anomalous_use',
      severity: 'high',
    });
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Inactive');
    // EventBridge's retry of the same event: joined, recorded once.
    const again = await post('/v1/aws/eventbridge', event, { 'x-idra-api-key': EVENTBRIDGE_KEY });
    expect(again.json).toMatchObject({ incidents: [{ incident, joined: true }] });
    expect((await waitForState(env.idra, incident, 'awaiting_decision')).signals).toHaveLength(1);
    await env.idra.rollback(incident, analyst);
  });

  it('refuses what it cannot trust or read, and starts nothing: 401, 400 naming fields (bounded), 413, 415', async () => {
    const before = started.length;
    const user = await createUser('refused', { keys: 1 });
    const signal = leakSignal(user);
    expect((await post('/v1/signals', signal)).status).toBe(401);
    expect((await post('/v1/signals', signal, { authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await post('/v1/aws/eventbridge', guardDutyFinding(user), { 'x-idra-api-key': 'wrong' })).status).toBe(401);
    const bad = await post('/v1/signals', { ...signal, severity: 'urgent', [`x${'y'.repeat(5000)}`]: 1 }, asDetector);
    expect(bad.status).toBe(400);
    const problems = bad.json.problems as string[];
    expect(problems).toContain('severity: unknown severity "urgent" (one of: low, medium, high, critical)');
    expect(problems.every((problem) => problem.length <= 301)).toBe(true);
    expect((await post('/v1/signals', { padding: 'x'.repeat(70 * 1024) }, asDetector)).status).toBe(413);
    const text = await fetch(`${url}/v1/signals`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...asDetector },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    expect(started.length).toBe(before);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Active');
  });

  it('Temporal unreachable: 503 with Retry-After, nothing acknowledged; the retry, once it is back, starts the response once', async () => {
    const user = await createUser('unreachable', { keys: 1 });
    const signal = { ...leakSignal(user), id: `siem:${user.userName}` };
    const away = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s' });
    const cut = createIngestServer({
      ...ingestOptions({ signalToken: TOKEN, ratePerSecond: 100, ratePerIdentity: 100 }, (body) =>
        new IdraClient(away, 'default', idraDataConverter()).respond(body),
      ),
      startWithinMs: 3_000,
    });
    const refused = await cut.inject({ method: 'POST', url: '/v1/signals', headers: asDetector, payload: signal });
    await cut.close();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    const retried = await post('/v1/signals', signal, asDetector);
    expect(retried).toMatchObject({ status: 202, json: { joined: false } });
    const view = await waitForState(env.idra, retried.json.incident as string, 'awaiting_decision');
    expect(view.signals).toHaveLength(1);
    await env.idra.rollback(retried.json.incident as string, analyst);
  });

  it('beyond its rate a route answers 429 with Retry-After, before reading the body', async () => {
    const answers = await postAtOnce(
      { ratePerSecond: 2, ratePerIdentity: 100 },
      Array.from({ length: 6 }, () => ({})),
    );
    const limited = answers.filter((answer) => answer.statusCode === 429);
    // Six in well under a second, two a second: at most two windows' worth get through.
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited.every((answer) => answer.headers['retry-after'] === '1')).toBe(true);
  });

  it('a flood of signals about one identity: beyond its rate 429 with Retry-After, and one response takes the rest', async () => {
    const user = await createUser('flooded', { keys: 1 });
    const answers = await postAtOnce(
      { ratePerSecond: 1_000, ratePerIdentity: 3 },
      Array.from({ length: 10 }, (_, index) => ({ ...leakSignal(user), id: `flood:${index}` })),
    );
    const accepted = answers.filter((answer) => answer.statusCode === 202);
    const limited = answers.filter((answer) => answer.statusCode === 429);
    expect(accepted.length + limited.length).toBe(10);
    // Ten at once, three a second: at most two windows' worth get through.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(6);
    expect(new Set(accepted.map((answer) => answer.json<{ incident: string }>().incident)).size).toBe(1);
    const incident = accepted[0]!.json<{ incident: string }>().incident;
    await waitForState(env.idra, incident, 'awaiting_decision');
    await env.idra.rollback(incident, analyst);
  });

  it('10,000 fuzzed bodies per route (seeded): each refused with a 4xx, nothing started', async () => {
    const before = started.length;
    for (const [path, headers] of [
      ['/v1/signals', asDetector],
      ['/v1/aws/eventbridge', { 'x-idra-api-key': EVENTBRIDGE_KEY }],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (body) => {
          const answer = await server.inject({
            method: 'POST',
            url: path,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          return answer.statusCode >= 400 && answer.statusCode < 500;
        }),
        { numRuns: 10_000, seed: 20261202 },
      );
    }
    expect(started.length).toBe(before);
  });
});

describe('the ingest refuses to start on a bad configuration, naming it', () => {
  it('without a token file, or with a token too short to be secret', () => {
    expect(() => ingestConfigFromEnv({})).toThrow(/IDRA_INGEST_TOKEN_FILE: is required/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idra-ingest-'));
    fs.writeFileSync(path.join(dir, 'token'), 'short\n');
    expect(() => ingestConfigFromEnv({ IDRA_INGEST_TOKEN_FILE: path.join(dir, 'token') })).toThrow(
      /IDRA_INGEST_TOKEN_FILE: .* holds fewer than 16 characters/,
    );
    expect(() =>
      ingestConfigFromEnv({ IDRA_INGEST_TOKEN_FILE: path.join(dir, 'token'), IDRA_INGEST_PORT: 'eighty' }),
    ).toThrow(/IDRA_INGEST_PORT/);
    fs.rmSync(dir, { recursive: true });
  });
});
