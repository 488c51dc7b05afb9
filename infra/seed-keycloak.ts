import KcAdminClient from '@keycloak/keycloak-admin-client';

/** A realm where AI agents are registered clients, as the tests and `npm start` set it up. */
export interface AgentRealm {
  realm: string;
  /** The realm's URL: the issuer of its tokens and the `issuer` of its agents' identities. */
  issuer: string;
  /** The resource server agents call: it introspects their tokens (RFC 7662) with these credentials. */
  toolServer: { clientId: string; secret: string };
  /** idra's Keycloak worker: a confidential client whose service account holds only the roles given. */
  worker: { clientId: string; secret: string };
}

/** Tool scopes an agent may be granted: `tools:read` survives a narrowing, the write scopes do not. */
export const TOOL_SCOPES = ['tools:read', 'tools:write', 'tickets:write'] as const;
export const TOOL_SERVER = 'tool-server';

/** The master realm's administrator: only the local harness uses it, to make realms. */
export async function bootstrapAdmin(
  url: string,
  admin: { username: string; password: string },
): Promise<KcAdminClient> {
  const client = new KcAdminClient({ baseUrl: url, realmName: 'master' });
  await client.auth({
    grantType: 'password',
    clientId: 'admin-cli',
    username: admin.username,
    password: admin.password,
  });
  return client;
}

async function secretOf(admin: KcAdminClient, id: string): Promise<string> {
  const { value } = await admin.clients.getClientSecret({ id });
  if (!value) throw new Error('Keycloak returned no client secret');
  return value;
}

/**
 * Makes a realm for agents: the tool scopes (each putting the tool server in the token's audience, so it may
 * introspect them), the tool server's client, and idra's worker client with exactly `workerRoles` of the
 * realm's `realm-management` client (what `idra permissions keycloak` prints).
 */
export async function seedAgentRealm(
  url: string,
  admin: KcAdminClient,
  realm: string,
  workerRoles: readonly string[],
): Promise<AgentRealm> {
  admin.setConfig({ realmName: 'master' });
  await admin.realms.create({ realm, enabled: true, accessTokenLifespan: 300 });
  admin.setConfig({ realmName: realm });
  for (const name of TOOL_SCOPES) {
    await admin.clientScopes.create({
      name,
      protocol: 'openid-connect',
      attributes: { 'include.in.token.scope': 'true', 'display.on.consent.screen': 'false' },
      protocolMappers: [
        {
          name: `${TOOL_SERVER} audience`,
          protocol: 'openid-connect',
          protocolMapper: 'oidc-audience-mapper',
          config: {
            'included.client.audience': TOOL_SERVER,
            'access.token.claim': 'true',
            'introspection.token.claim': 'true',
          },
        },
      ],
    });
  }
  const toolServer = await admin.clients.create({
    clientId: TOOL_SERVER,
    publicClient: false,
    standardFlowEnabled: false,
    serviceAccountsEnabled: false,
  });
  const worker = await admin.clients.create({
    clientId: 'idra-worker',
    publicClient: false,
    standardFlowEnabled: false,
    serviceAccountsEnabled: true,
  });
  const serviceAccount = await admin.clients.getServiceAccountUser({ id: worker.id });
  const [management] = await admin.clients.find({ clientId: 'realm-management' });
  if (!management?.id || !serviceAccount.id)
    throw new Error('Keycloak has no realm-management client or service account');
  const roles = (await admin.clients.listRoles({ id: management.id })).filter(
    (role) => role.name && workerRoles.includes(role.name),
  );
  await admin.users.addClientRoleMappings({
    id: serviceAccount.id,
    clientUniqueId: management.id,
    roles: roles.map((role) => ({ id: role.id ?? '', name: role.name ?? '' })),
  });
  return {
    realm,
    issuer: `${url}/realms/${realm}`,
    toolServer: { clientId: TOOL_SERVER, secret: await secretOf(admin, toolServer.id) },
    worker: { clientId: 'idra-worker', secret: await secretOf(admin, worker.id) },
  };
}

/** An agent registered as a confidential client with a service account (client credentials), granted `scopes`. */
export async function createAgentClient(
  admin: KcAdminClient,
  realm: string,
  clientId: string,
  scopes: readonly string[],
  attributes: Record<string, string> = {},
): Promise<{ id: string; clientId: string; secret: string }> {
  admin.setConfig({ realmName: realm });
  const { id } = await admin.clients.create({
    clientId,
    publicClient: false,
    standardFlowEnabled: false,
    serviceAccountsEnabled: true,
    attributes: { 'idra:owner': 'agents-team', ...attributes },
  });
  const all = await admin.clientScopes.find();
  for (const name of scopes) {
    const scope = all.find((candidate) => candidate.name === name);
    if (!scope?.id) throw new Error(`no client scope ${name} in realm ${realm}`);
    await admin.clients.addDefaultClientScope({ id, clientScopeId: scope.id });
  }
  return { id, clientId, secret: await secretOf(admin, id) };
}
