import { findClient, type KeycloakContext, keycloakCall } from './keycloak-context';

/**
 * Sets a client's token cut-off (`notBefore`, seconds): tokens issued before it introspect inactive. A later
 * cut-off is pushed to the client's resource servers that registered an admin URL (`push-revocation`), so
 * those that validate tokens offline hear of it too.
 */
export async function setNotBefore(
  context: KeycloakContext,
  params: { issuer: string; clientId: string },
  notBefore: number,
): Promise<void> {
  const client = await findClient(context, params);
  if ((client.notBefore ?? 0) === notBefore) return;
  const admin = await context.admin();
  const what = `tokens of agent client ${params.clientId}`;
  // Only the field it changes: Keycloak updates what a representation names, so nothing read before is
  // written back over someone else's change.
  await keycloakCall(admin.clients.update({ id: client.id }, { notBefore }), what);
  if (notBefore > (client.notBefore ?? 0)) await keycloakCall(admin.clients.pushRevocation({ id: client.id }), what);
}
