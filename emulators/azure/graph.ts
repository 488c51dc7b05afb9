import { ApiError, type Request, type Route } from './http';
import type { PasswordCredential, ServicePrincipal } from './state';

// Microsoft Graph v1.0: service principals and their password credentials.

function find(request: Request, id: string): ServicePrincipal {
  const principal = request.state.principals.get(id);
  if (!principal)
    throw new ApiError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  return principal;
}

/** A credential as Graph shows it: the secret itself is never returned after it was made. */
const credentialResource = (credential: PasswordCredential) => ({
  keyId: credential.keyId,
  displayName: credential.displayName,
  hint: credential.hint,
  startDateTime: credential.startDateTime,
  endDateTime: credential.endDateTime,
  secretText: null,
  customKeyIdentifier: null,
});

function principalResource(principal: ServicePrincipal): Record<string, unknown> {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity',
    id: principal.id,
    appId: principal.appId,
    displayName: principal.displayName,
    accountEnabled: principal.accountEnabled,
    servicePrincipalType: principal.managed ? 'ManagedIdentity' : 'Application',
    passwordCredentials: principal.passwordCredentials.map(credentialResource),
  };
}

function updatable(principal: ServicePrincipal): ServicePrincipal {
  if (principal.managed)
    throw new ApiError(400, 'Request_BadRequest', 'Updates to managed identity service principals are not allowed.');
  return principal;
}

const PRINCIPAL = '^/v1\\.0/servicePrincipals/([0-9a-f-]+)';

export const GRAPH_ROUTES: Route[] = [
  {
    method: 'GET',
    path: new RegExp(`${PRINCIPAL}$`),
    operation: 'graph:Application.Read.All',
    handle: (request, [id = '']) => ({ status: 200, body: principalResource(find(request, id)) }),
  },
  {
    method: 'PATCH',
    path: new RegExp(`${PRINCIPAL}$`),
    operation: 'graph:Application.ReadWrite.All',
    handle: (request, [id = '']) => {
      const principal = updatable(find(request, id));
      const unknown = Object.keys(request.body).filter((key) => key !== 'accountEnabled');
      if (unknown.length)
        throw new ApiError(400, 'Request_BadRequest', `Property '${unknown[0]}' cannot be updated here.`);
      if (typeof request.body.accountEnabled !== 'boolean')
        throw new ApiError(
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'accountEnabled' of resource 'ServicePrincipal'.",
        );
      principal.accountEnabled = request.body.accountEnabled;
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: new RegExp(`${PRINCIPAL}/addPassword$`),
    operation: 'graph:Application.ReadWrite.All',
    handle: (request, [id = '']) => {
      const principal = updatable(find(request, id));
      const wanted = (request.body.passwordCredential ?? {}) as { displayName?: string; endDateTime?: unknown };
      const end = wanted.endDateTime;
      if (end !== undefined && (typeof end !== 'string' || !(Date.parse(end) > Date.now())))
        throw new ApiError(
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.",
        );
      const credential = request.state.addPassword(
        principal,
        wanted.displayName ?? null,
        end === undefined ? undefined : new Date(end).toISOString(),
      );
      // The only time the secret is ever returned.
      return {
        status: 200,
        body: {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential',
          ...credential,
          customKeyIdentifier: null,
        },
      };
    },
  },
  {
    method: 'POST',
    path: new RegExp(`${PRINCIPAL}/removePassword$`),
    operation: 'graph:Application.ReadWrite.All',
    handle: (request, [id = '']) => {
      const principal = updatable(find(request, id));
      const keyId = request.body.keyId;
      const index = principal.passwordCredentials.findIndex((credential) => credential.keyId === keyId);
      if (index < 0)
        throw new ApiError(400, 'Request_BadRequest', `No password credential found with keyId '${String(keyId)}'.`);
      principal.passwordCredentials.splice(index, 1);
      return { status: 204 };
    },
  },
];
