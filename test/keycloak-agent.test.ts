import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../infra/wait-for';
import { type Identity, incidentId } from '../model/identity';
import { ValidationError } from '../model/validation';
import {
  adminClient,
  agentSignal,
  agentToken,
  clientState,
  createAgent,
  introspect,
  keycloak,
  startToolServer,
} from './support/keycloak';
import { secretValue } from './support/aws';
import { decodedHistoryText } from './support/history-text';
import { analyst, useIdra, waitForState } from './support/temporal';

const reviewer = { analyst: 'bob@example.com', reason: 'reviewed the tool call with the agent owner: continue' };

describe('AI agents on a real Keycloak: narrow the token scope until a reviewer approves', () => {
  const env = useIdra();
  let tools: Awaited<ReturnType<typeof startToolServer>>;
  beforeAll(async () => {
    tools = await startToolServer();
  });
  afterAll(() => tools.stop());

  it('cuts the agent off at once (its old token, and write with a new one), and approve restores exactly what it had', async () => {
    const agent = await createAgent();
    const bystander = await createAgent();
    const before = await clientState(agent);
    const bystanderBefore = await clientState(bystander);
    const old = await agentToken(agent);
    expect(old.scope?.split(' ')).toEqual(expect.arrayContaining(['tools:read', 'tools:write']));
    expect(await tools.call('write', old.token!)).toBe(200);

    const { incident } = await env.idra.respond(agentSignal(agent));
    expect(incident).toBe(`idra-restrict-keycloak-agents-${agent.clientId}`);
    await waitForState(env.idra, incident, 'restricted');
    // What a resource server sees: the old token is dead, a new one reads but cannot write.
    expect(await introspect(old.token!)).toEqual({ active: false, scope: undefined });
    expect(await tools.call('write', old.token!)).toBe(401);
    // The agent signs in again, as it would on a 401: a token issued within the cut-off's second is dead
    // too, so it may take a second try.
    const narrow = await waitFor('the agent to hold a working token again', async () => {
      const fresh = await agentToken(agent);
      return fresh.token && (await introspect(fresh.token)).active ? fresh : undefined;
    });
    expect(narrow.scope?.split(' ')).toContain('tools:read');
    expect(narrow.scope?.split(' ')).not.toContain('tools:write');
    expect(await tools.call('read', narrow.token!)).toBe(200);
    expect(await tools.call('write', narrow.token!)).toBe(403);
    expect(await agentToken(agent, 'tools:write')).toMatchObject({ status: 400, error: 'invalid_scope' });
    expect(await clientState(bystander)).toEqual(bystanderBefore);

    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
    expect(await clientState(agent)).toEqual(before);
    const again = await agentToken(agent);
    expect(again.scope?.split(' ')).toEqual(expect.arrayContaining(['tools:read', 'tools:write']));
    expect(await tools.call('write', again.token!)).toBe(200);
    expect(await clientState(bystander)).toEqual(bystanderBefore);
  });

  it('a write scope an admin puts back while restricted is tampering: removed again by the watch', async () => {
    const agent = await createAgent();
    const { incident } = await env.idra.respond(agentSignal(agent));
    await waitForState(env.idra, incident, 'restricted');
    const admin = await adminClient();
    admin.setConfig({ realmName: keycloak().realm.realm });
    const write = (await admin.clientScopes.find()).find((scope) => scope.name === 'tools:write');
    await admin.clients.addDefaultClientScope({ id: agent.id, clientScopeId: write?.id ?? '' });

    const seen = await waitForState(env.idra, incident, 'restricted', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({ action: 'keycloak.client.narrowScopes', response: 'reapplied' });
    await waitFor(
      'the write scope to be gone again',
      async () => !(await clientState(agent)).defaultScopes.includes('tools:write'),
    );
    expect((await env.idra.decide('reject', incident, analyst)).state).toBe('kept_restricted');
    expect((await clientState(agent)).defaultScopes).not.toContain('tools:write');
  });

  it('a scope an admin adds meanwhile (no watch) is drift at the approval: left as they set it, for review', async () => {
    const agent = await createAgent(['tools:read', 'tools:write'], { 'test:playbook': 'agent-restrict-unwatched' });
    const { incident } = await env.idra.respond(agentSignal(agent));
    await waitForState(env.idra, incident, 'restricted');
    const admin = await adminClient();
    admin.setConfig({ realmName: keycloak().realm.realm });
    const tickets = (await admin.clientScopes.find()).find((scope) => scope.name === 'tickets:write');
    await admin.clients.addDefaultClientScope({ id: agent.id, clientScopeId: tickets?.id ?? '' });

    const review = await env.idra.approve(incident, reviewer);
    expect(review.state).toBe('needs_review');
    expect(review.changes.find((receipt) => receipt.operation === 'compensate')?.drift?.note).toBe(
      'changed by someone else since: left as found',
    );
    expect((await clientState(agent)).defaultScopes).toEqual(expect.arrayContaining(['tickets:write']));
    expect((await clientState(agent)).defaultScopes).not.toContain('tools:write');
    expect((await env.idra.decide('confirm', incident, analyst)).state).toBe('restored');
  });

  it('a leaked agent secret: the client is quarantined and every token it holds is dead; rollback lifts both exactly', async () => {
    const agent = await createAgent();
    const before = await clientState(agent);
    const held = await agentToken(agent);
    const { incident } = await env.idra.respond({
      ...agentSignal(agent),
      type: 'credential.leaked',
      evidence: { summary: 'agent client secret in a public gist' },
    });
    expect(incident).toBe(`idra-keycloak-agents-${agent.clientId}`);
    await waitForState(env.idra, incident, 'awaiting_decision');
    expect(await clientState(agent)).toMatchObject({ enabled: false });
    expect(await agentToken(agent)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect((await introspect(held.token!)).active).toBe(false);

    expect((await env.idra.rollback(incident, analyst)).state).toBe('rolled_back');
    expect(await clientState(agent)).toEqual(before);
    expect((await agentToken(agent)).status).toBe(200);
  });

  it('a leaked agent secret, approved: a new secret straight into Secrets Manager, the leaked one refused, never recorded', async () => {
    const agent = await createAgent();
    const { incident } = await env.idra.respond({
      ...agentSignal(agent),
      type: 'credential.leaked',
      evidence: { summary: 'agent client secret in a public gist' },
    });
    const waiting = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(waiting.plan?.afterApproval.map((step) => step.action)).toEqual(['keycloak.client.rotateSecret']);
    expect((await env.idra.approve(incident, analyst)).state).toBe('confirmed');

    const [rotation] = (await env.idra.status(incident)).changes.filter(
      (receipt) => receipt.action === 'keycloak.client.rotateSecret',
    );
    const secretArn = (rotation?.reference as { secretArn?: string } | undefined)?.secretArn ?? '';
    expect(secretArn).toContain(`idra/rotated/${incident}/`);
    const stored = (await secretValue(secretArn)) as { clientId: string; clientSecret: string };
    expect(stored).toMatchObject({ clientId: agent.clientId, issuer: keycloak().realm.issuer });
    expect(stored.clientSecret).not.toBe(agent.secret);
    // The agent's owner hands it the new secret and lets it back in: only the new secret works.
    const admin = await adminClient();
    admin.setConfig({ realmName: keycloak().realm.realm });
    const [client] = await admin.clients.find({ clientId: agent.clientId });
    await admin.clients.update({ id: client!.id! }, { enabled: true });
    expect(await agentToken(agent)).toMatchObject({ status: 401, error: 'unauthorized_client' });
    expect((await agentToken({ ...agent, secret: stored.clientSecret })).status).toBe(200);
    expect(await decodedHistoryText(env.idra.client, incident)).not.toContain(stored.clientSecret);
  });

  it('the worker acts with manage-clients only: it may not change the realm itself', async () => {
    const { default: KcAdminClient } = await import('@keycloak/keycloak-admin-client');
    const { realm, worker } = keycloak().realm;
    const asWorker = new KcAdminClient({ baseUrl: keycloak().url, realmName: realm });
    await asWorker.auth({ grantType: 'client_credentials', clientId: worker.clientId, clientSecret: worker.secret });
    const refused = await asWorker.realms
      .update({ realm }, { displayName: 'taken over' })
      .catch((error: { response?: { status?: number } }) => error.response?.status);
    expect(refused).toBe(403);
  });
});

describe('bad agent signals are refused with a precise error and change nothing', () => {
  const env = useIdra();
  const issuer = 'https://sso.example.com/realms/agents';
  const signal = (identity: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
    source: 'agent-gateway',
    type: 'agent.tool_call.anomalous',
    severity: 'high',
    observedAt: '2026-11-26T10:00:00Z',
    identity: { provider: 'keycloak', kind: 'agent_client', issuer, clientId: 'support-agent', ...identity },
    evidence: { summary: 'unusual tool call' },
    ...overrides,
  });
  const issuerRule =
    "identity.issuer: must be the realm URL that issues the agent's tokens, e.g. https://sso.example.com/realms/agents";
  const clientRule =
    'identity.clientId: must be a client id (1-255 of letters, digits and _.:@/-, a letter or digit first)';
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing issuer', { issuer: undefined }, 'identity.issuer: is required'],
    ['issuer not a URL', { issuer: 'agents' }, issuerRule],
    ['issuer without a realm', { issuer: 'https://sso.example.com/auth' }, issuerRule],
    ['issuer of another scheme', { issuer: 'ftp://sso.example.com/realms/agents' }, issuerRule],
    ['issuer with a query', { issuer: 'https://sso.example.com/realms/agents?x=1' }, issuerRule],
    ['missing client id', { clientId: undefined }, 'identity.clientId: is required'],
    ['client id with spaces', { clientId: 'support agent' }, clientRule],
    ['client id too long', { clientId: 'a'.repeat(256) }, clientRule],
    ['client id starting with a dash', { clientId: '-agent' }, clientRule],
    ['unknown kind', { kind: 'agent' }, 'identity.kind: unknown identity kind "agent" (one of: agent_client)'],
    ['AWS fields on an agent', { roleName: 'x' }, 'identity: unknown field(s) "roleName"'],
  ];

  it.each(cases)('%s', async (_name, identity, problem) => {
    const error = await env.idra.respond(signal(identity)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([problem]);
  });

  it('evidence must not carry the tool call itself at any size: at most 8 KB and 16 levels', async () => {
    const deep = JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) as Record<string, unknown>;
    const error = await env.idra
      .respond(signal({}, { evidence: { summary: 'x', details: deep } }))
      .catch((caught: unknown) => caught);
    expect((error as ValidationError).problems).toEqual(['evidence.details: must nest at most 16 levels']);
  });

  it('started nothing', async () => {
    await expect(
      env.idra.client.workflow
        .getHandle(incidentId(signal({}).identity as Identity, 'restrict_until_approved'))
        .describe(),
    ).rejects.toThrow();
  });
});
