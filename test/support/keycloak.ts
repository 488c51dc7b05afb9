import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { bootstrapAdmin, createAgentClient } from '../../infra/seed-keycloak';

/** The agents' realm of this test run, and its administrator (an observer of the tests, not idra). */
export const keycloak = () => inject('keycloak');
export const adminClient = () => bootstrapAdmin(keycloak().url, keycloak().admin);

export interface Agent {
  id: string;
  clientId: string;
  secret: string;
}

/** A fresh agent registered in the realm with these tool scopes, so tests never share state. */
export async function createAgent(
  scopes: string[] = ['tools:read', 'tools:write'],
  attributes: Record<string, string> = {},
): Promise<Agent> {
  return createAgentClient(
    await adminClient(),
    keycloak().realm.realm,
    `agent-${randomUUID().slice(0, 8)}`,
    scopes,
    attributes,
  );
}

/** The agent asks for a token as it does (client credentials); `scope`: ask for these only. */
export async function agentToken(
  agent: Agent,
  scope?: string,
): Promise<{ status: number; token?: string; scope?: string; error?: string }> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: agent.clientId,
    client_secret: agent.secret,
    ...(scope ? { scope } : {}),
  });
  const response = await fetch(`${keycloak().realm.issuer}/protocol/openid-connect/token`, { method: 'POST', body });
  const json = (await response.json()) as { access_token?: string; scope?: string; error?: string };
  return { status: response.status, token: json.access_token, scope: json.scope, error: json.error };
}

/** What a resource server learns of a token by introspecting it (RFC 7662), as the tool server does. */
export async function introspect(token: string): Promise<{ active: boolean; scope?: string }> {
  const { toolServer, issuer } = keycloak().realm;
  const body = new URLSearchParams({ token, client_id: toolServer.clientId, client_secret: toolServer.secret });
  const json = (await (
    await fetch(`${issuer}/protocol/openid-connect/token/introspect`, { method: 'POST', body })
  ).json()) as { active: boolean; scope?: string };
  return { active: json.active, scope: json.scope };
}

/** What the realm holds for an agent's client: its scopes by name, its token cut-off, whether enabled. */
export async function clientState(agent: Agent) {
  const admin = await adminClient();
  admin.setConfig({ realmName: keycloak().realm.realm });
  const client = await admin.clients.findOne({ id: agent.id });
  const names = (scopes: { name?: string }[]) => scopes.map((scope) => scope.name ?? '?').sort();
  return {
    defaultScopes: names(await admin.clients.listDefaultClientScopes({ id: agent.id })),
    optionalScopes: names(await admin.clients.listOptionalClientScopes({ id: agent.id })),
    notBefore: client?.notBefore ?? 0,
    enabled: client?.enabled,
  };
}

/** An agent gateway's report of an unusual tool call by an agent (the tool and a digest of its arguments). */
export function agentSignal(agent: Agent, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'agent-gateway',
    type: 'agent.tool_call.anomalous',
    severity: 'high',
    observedAt: '2026-11-26T10:00:00Z',
    identity: { provider: 'keycloak', kind: 'agent_client', issuer: keycloak().realm.issuer, clientId: agent.clientId },
    evidence: {
      summary: 'agent called tickets.delete_all, never seen in its last 30 days',
      details: {
        tool: 'tickets.delete_all',
        argumentsSha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      },
    },
    ...overrides,
  };
}

/**
 * A tiny tool server, as an MCP server or an agent's API would be: it introspects the bearer token of each
 * call and answers 401 for an inactive one, 403 when the tool's scope is missing, 200 otherwise.
 */
export async function startToolServer(): Promise<{
  url: string;
  call(tool: 'read' | 'write', token: string): Promise<number>;
  stop(): Promise<void>;
}> {
  const server = http.createServer((request, response) => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const needed = request.url === '/tools/write' ? 'tools:write' : 'tools:read';
    void (async () => {
      const seen = token ? await introspect(token) : { active: false };
      const status = !seen.active ? 401 : (seen.scope ?? '').split(' ').includes(needed) ? 200 : 403;
      response.writeHead(status).end();
    })().catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    call: async (tool, token) =>
      (await fetch(`${url}/tools/${tool}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
