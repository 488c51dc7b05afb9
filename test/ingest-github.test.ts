import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_GITHUB_OAUTH_APP, seedGithub } from '../infra/github-emulator';
import { alertOwnerFinder } from '../ingest/alert-owner';
import { githubSignatureValid } from '../ingest/github-signature';
import { ingestOptions } from '../ingest/ingest-options';
import { createIngestServer, type IngestOptions } from '../ingest/ingest-server';
import { ownerOfLeakedAccessKey } from '../providers/aws/sdk/leaked-key-owner';
import { createAwsContext } from '../providers/aws/sdk/aws-context';
import { createGithubContext } from '../providers/github/sdk/github-context';
import { ACCOUNT, createUser, userState } from './support/aws';
import { createGcpAccount, gcpState } from './support/gcp';
import { asApp, createOrg, github, IDRA_APP } from './support/github';
import { decodedHistoryText } from './support/history-text';
import { analyst, useIdra, waitForState } from './support/temporal';

const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
const TOKEN = 'test-ingest-token-0123456789';
const reviewer = { analyst: 'bob@example.com', reason: 'the token was in a public gist: revoke' };

/** GitHub's webhook description (its REST description's components): what a secret_scanning_alert event carries. */
interface SchemaObject {
  properties: Record<string, unknown>;
  required?: string[];
}
const schemas = (
  createRequire(__filename)('@octokit/openapi/generated/api.github.com.json') as {
    components: { schemas: Record<string, SchemaObject> };
  }
).components.schemas;
const ALERT_FIELDS = Object.keys(schemas['secret-scanning-alert-webhook']!.properties);

/** A secret found in a fresh organization's repository: the alert as GitHub holds it. */
async function alertIn(secretType: string, secret: string) {
  const target = await createOrg();
  const { repositories } = await seedGithub(github().endpoint, {
    repositories: [{ owner: target.org, name: target.repo, alerts: [{ secretType, secret }] }],
  });
  return { org: target.org, repo: target.repo, number: repositories[0]!.alertNumbers[0]! };
}

/**
 * The delivery GitHub sends for an alert, built as GitHub builds it: the alert's fields the webhook schema
 * names (read from GitHub, so never its secret), the repository as the API serves it, the installation.
 */
async function webhookBody(alert: { org: string; repo: string; number: number }, action = 'created') {
  const octokit = asApp(IDRA_APP, (await asApp(IDRA_APP).rest.apps.getOrgInstallation({ org: alert.org })).data.id);
  const { data: found } = await octokit.rest.secretScanning.getAlert({
    owner: alert.org,
    repo: alert.repo,
    alert_number: alert.number,
  });
  const { data: repository } = await octokit.rest.repos.get({ owner: alert.org, repo: alert.repo });
  const fields = Object.fromEntries(Object.entries(found).filter(([field]) => ALERT_FIELDS.includes(field)));
  return {
    action,
    alert: fields,
    repository,
    organization: repository.owner,
    installation: { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: repository.owner,
  };
}

describe('HTTP ingest: GitHub secret-scanning webhooks', () => {
  const env = useIdra();
  let server: FastifyInstance;
  let url: string;
  const started: string[] = [];
  /** The ingest as configured, with this GitHub route (none: not configured). */
  const options = (github: IngestOptions['github']): IngestOptions => ({
    ...ingestOptions({ signalToken: TOKEN, ratePerSecond: 100_000, ratePerIdentity: 100_000 }, async (signal) => {
      const result = await env.idra.respond(signal);
      started.push(result.incident);
      return result;
    }),
    github,
  });
  const ownerOfAccessKey = (keyId: string) => ownerOfLeakedAccessKey(createAwsContext(), keyId);
  beforeAll(async () => {
    server = createIngestServer(
      options({
        webhookSecret: WEBHOOK_SECRET,
        ownerOfAlert: alertOwnerFinder(createGithubContext(), ownerOfAccessKey),
      }),
    );
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  const sign = (body: string, secret = WEBHOOK_SECRET) =>
    `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  /** Delivers an event as GitHub does: its name, a delivery id, and the body's signature. */
  async function deliver(
    body: unknown,
    { event = 'secret_scanning_alert', delivery = randomUUID(), signature }: Record<string, string | undefined> = {},
    to = url,
  ) {
    const text = JSON.stringify(body);
    const response = await fetch(`${to}/v1/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': signature ?? sign(text),
      },
      body: text,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it("checks GitHub's signature as GitHub documents it (its published test vector)", () => {
    // docs.github.com, "Validating webhook deliveries": this secret and payload give this signature.
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(githubSignatureValid("It's a Secret to Everybody", Buffer.from('Hello, World!'), signature)).toBe(true);
    expect(githubSignatureValid("It's a Secret to Everybody", Buffer.from('Hello, World?'), signature)).toBe(false);
    expect(githubSignatureValid('another secret', Buffer.from('Hello, World!'), signature)).toBe(false);
    expect(githubSignatureValid("It's a Secret to Everybody", Buffer.from('Hello, World!'), undefined)).toBe(false);
  });

  it("a leaked AWS key GitHub found: the alert's key is contained, the signal names the alert, never the secret; a redelivery joins, recorded once", async () => {
    const user = await createUser('webhook', { keys: 2 });
    const alert = await alertIn('aws_access_key_id', user.accessKeyIds[0]!);
    const body = await webhookBody(alert);
    expect(Object.keys(body.alert)).not.toContain('secret');
    for (const field of schemas['webhook-secret-scanning-alert-created']!.required ?? [])
      expect(body, `the webhook's required ${field}`).toHaveProperty(field);

    const delivery = randomUUID();
    const first = await deliver(body, { delivery });
    expect(first).toMatchObject({
      status: 202,
      json: { incident: `idra-aws-${ACCOUNT}-${user.accessKeyIds[0]}`, joined: false },
    });
    const again = await deliver(body, { delivery });
    expect(again).toMatchObject({ status: 202, json: { incident: first.json.incident, joined: true } });

    const incident = first.json.incident as string;
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals).toHaveLength(1);
    expect(view.signals[0]).toMatchObject({
      id: `github-delivery:${delivery}`,
      source: 'github-secret-scanning',
      type: 'credential.leaked',
      alert: { provider: 'github', owner: alert.org, repo: alert.repo, number: String(alert.number) },
    });
    // Exactly the alert's key: the user's other key stays live.
    expect((await userState(user.userName)).keys).toEqual({
      [user.accessKeyIds[0]!]: 'Inactive',
      [user.accessKeyIds[1]!]: 'Active',
    });
    await env.idra.rollback(incident, analyst);
  });

  it('a leaked GCP key file: its key is disabled, found by the file the alert holds', async () => {
    const account = await createGcpAccount({ keys: 2 });
    const keyFile = JSON.stringify({
      type: 'service_account',
      project_id: account.project,
      private_key_id: account.keyIds[0],
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n',
      client_email: account.email,
      client_id: '104729340912345678901',
    });
    const alert = await alertIn('google_cloud_private_key_id', keyFile);
    const delivered = await deliver(await webhookBody(alert, 'publicly_leaked'));
    expect(delivered).toMatchObject({ status: 202, json: { joined: false } });
    const incident = delivered.json.incident as string;
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({ severity: 'critical', source: 'github-secret-scanning' });
    expect((await gcpState(account)).keys[account.keyIds[0]!]).toBe('disabled');
    expect((await gcpState(account)).keys[account.keyIds[1]!]).toBe('enabled');
    await env.idra.rollback(incident, analyst);
    expect((await gcpState(account)).keys[account.keyIds[0]!]).toBe('enabled');
  });

  it("a leaked token of the organization's OAuth app: its user's grant is named by asking the app, and revoked on approval", async () => {
    const login = `dev-${randomUUID().slice(0, 8)}`;
    const { oauthTokens } = await seedGithub(github().endpoint, {
      oauthTokens: [{ app: LOCAL_GITHUB_OAUTH_APP, login }],
    });
    const leaked = oauthTokens[0]!.token;
    const alert = await alertIn('github_oauth_access_token', leaked);
    const delivered = await deliver(await webhookBody(alert, 'validated'));
    const clientId = github().oauthClientId;
    expect(delivered).toMatchObject({ status: 202, json: { joined: false } });
    const incident = delivered.json.incident as string;
    const view = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(view.signals[0]).toMatchObject({
      identity: { provider: 'github', kind: 'oauth_grant', org: 'acme', clientId, login },
    });
    expect(view.plan?.afterApproval.map((step) => step.action)).toEqual([
      'github.oauthGrant.revoke',
      'github.secretScanningAlert.resolve',
    ]);
    const works = async () =>
      (await fetch(`${github().endpoint}/user`, { headers: { authorization: `token ${leaked}` } })).status;
    expect(await works()).toBe(200);
    expect((await env.idra.approve(incident, reviewer)).state).toBe('confirmed');
    expect(await works()).toBe(401);
    // Named, then revoked, by the token: neither the ingest's signal nor the history holds it.
    expect(await decodedHistoryText(env.idra.client, incident)).not.toContain(leaked);
  });

  it("acknowledges what idra cannot act on, saying why, and starts nothing: ping, other events and actions, other secret types, another account's key", async () => {
    const before = started.length;
    const slack = await alertIn('slack_api_token', 'xoxb-0000000000-0000000000000-abcdefghijklmnopqrstuvwx');
    const stranger = await alertIn('aws_access_key_id', 'AKIAZZZZZZZZZZZZZZZZ');
    const body = await webhookBody(slack);
    expect(await deliver({ zen: 'Keep it logically awesome.', hook_id: 1 }, { event: 'ping' })).toEqual({
      status: 202,
      json: { skipped: 'ping: the webhook reaches idra' },
    });
    expect((await deliver(body, { event: 'push' })).json).toEqual({
      skipped: 'a push event: idra reads secret_scanning_alert events only',
    });
    expect((await deliver({ ...body, action: 'resolved' })).json).toEqual({
      skipped: 'a secret_scanning_alert resolved: only created, reopened, publicly_leaked, validated expose a secret',
    });
    expect(await deliver(body)).toEqual({
      status: 202,
      json: {
        skipped:
          "a slack_api_token (slack_api_token): idra acts on AWS access keys, GCP service account keys and its OAuth apps' tokens found by secret scanning",
      },
    });
    expect((await deliver(await webhookBody(stranger))).json).toEqual({
      skipped: `access key AKIAZZZZZZZZZZZZZZZZ belongs to no IAM user of account ${ACCOUNT} (deleted already?)`,
    });
    expect(started.length).toBe(before);
  });

  it('refuses a forged, altered or missing signature (401), a bad delivery id or event (400), an unconfigured route (404): nothing read, nothing started', async () => {
    const before = started.length;
    const user = await createUser('forged', { keys: 1 });
    const body = await webhookBody(await alertIn('aws_access_key_id', user.accessKeyIds[0]!));
    const text = JSON.stringify(body);
    expect((await deliver(body, { signature: sign(text, 'not-the-secret') })).status).toBe(401);
    expect((await deliver({ ...body, action: 'reopened' }, { signature: sign(text) })).status).toBe(401);
    expect((await deliver(body, { signature: '' })).status).toBe(401);
    const bad = await deliver(body, { delivery: 'not a guid; DROP' });
    expect(bad).toMatchObject({ status: 400, json: { problems: [expect.stringMatching(/^X-GitHub-Delivery: /)] } });
    const broken = await deliver({ ...body, alert: { ...body.alert, number: 'seven' } });
    expect(broken).toMatchObject({
      status: 400,
      json: { problems: ['alert.number: Invalid input: expected number, received string'] },
    });

    const unconfigured = createIngestServer(options(undefined));
    const elsewhere = await unconfigured.listen({ host: '127.0.0.1', port: 0 });
    expect((await deliver(body, {}, elsewhere)).status).toBe(404);
    await unconfigured.close();

    expect(started.length).toBe(before);
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Active');
  });

  it("forged deliveries do not spend the route's rate: a signed one still gets through", async () => {
    const tight = createIngestServer({
      ...ingestOptions({ signalToken: TOKEN, ratePerSecond: 2, ratePerIdentity: 100 }, (signal) =>
        env.idra.respond(signal),
      ),
      github: {
        webhookSecret: WEBHOOK_SECRET,
        ownerOfAlert: alertOwnerFinder(createGithubContext(), ownerOfAccessKey),
      },
    });
    const tightUrl = await tight.listen({ host: '127.0.0.1', port: 0 });
    const ping = { zen: 'Design for failure.', hook_id: 2 };
    for (let attempt = 0; attempt < 4; attempt++)
      expect(
        (await deliver(ping, { event: 'ping', signature: sign('forged', 'not-the-secret') }, tightUrl)).status,
      ).toBe(401);
    expect(await deliver(ping, { event: 'ping' }, tightUrl)).toEqual({
      status: 202,
      json: { skipped: 'ping: the webhook reaches idra' },
    });
    await tight.close();
  });

  it('GitHub unreachable: 503 with Retry-After and nothing started; the redelivery, once it is back, starts the response once', async () => {
    const user = await createUser('unread', { keys: 1 });
    const body = await webhookBody(await alertIn('aws_access_key_id', user.accessKeyIds[0]!));
    const away = createIngestServer(
      options({
        webhookSecret: WEBHOOK_SECRET,
        ownerOfAlert: alertOwnerFinder(
          createGithubContext({ ...process.env, IDRA_GITHUB_API_URL: 'http://127.0.0.1:1' }),
          ownerOfAccessKey,
        ),
      }),
    );
    const awayUrl = await away.listen({ host: '127.0.0.1', port: 0 });
    const delivery = randomUUID();
    const refused = await deliver(body, { delivery }, awayUrl);
    await away.close();
    expect(refused).toMatchObject({ status: 503, json: { error: 'the alert could not be read: redeliver it' } });
    expect((await userState(user.userName)).keys[user.accessKeyIds[0]!]).toBe('Active');

    const redelivered = await deliver(body, { delivery });
    expect(redelivered).toMatchObject({ status: 202, json: { joined: false } });
    const view = await waitForState(env.idra, redelivered.json.incident as string, 'awaiting_decision');
    expect(view.signals).toHaveLength(1);
    await env.idra.rollback(redelivered.json.incident as string, analyst);
  });

  it('10,000 fuzzed bodies, each signed (seeded): each refused with a 400, nothing started', async () => {
    const before = started.length;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const payload = JSON.stringify(body);
        const answer = await server.inject({
          method: 'POST',
          url: '/v1/github/webhooks',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'secret_scanning_alert',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': sign(payload),
          },
          payload,
        });
        return answer.statusCode === 400;
      }),
      { numRuns: 10_000, seed: 20261204 },
    );
    expect(started.length).toBe(before);
  });
});
