import { randomBytes, randomUUID } from 'node:crypto';

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string;
  startDateTime: string;
  endDateTime: string;
  /** Kept only to check what a client stored; never returned after addPassword. */
  secretText: string;
}

export interface ServicePrincipal {
  id: string;
  tenant: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  /** A managed identity's service principal: Azure's to manage, Graph refuses updates. */
  managed: boolean;
  passwordCredentials: PasswordCredential[];
}

export interface RoleAssignment {
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  condition?: string;
  conditionVersion?: string;
  createdOn: string;
  /** A time-bound assignment PIM made (an AdminAssign schedule request): it ends, and leaves, at this time. */
  endDateTime?: string;
  /** The schedule request that made it, if PIM did. */
  scheduleRequest?: string;
}

/** A PIM role assignment schedule request (api-version 2020-10-01), as ARM keeps it. */
export interface ScheduleRequest {
  name: string;
  scope: string;
  principalId: string;
  roleDefinitionId: string;
  requestType: string;
  status: string;
  justification?: string;
  startDateTime: string;
  expiration: { type: string; duration?: string; endDateTime?: string };
  createdOn: string;
}

export interface VaultSecret {
  name: string;
  versions: { version: string; value: string; created: number; tags: Record<string, string> }[];
  deletedOn?: number;
}

/** Built-in role definition GUIDs (the same in every subscription). */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'User Access Administrator': '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Reader': '21090545-7ca7-4776-b22c-e363652d74d2',
};

/** A seed's role: a built-in role's name, or a role definition GUID; anything else is a mistake in the seed. */
export function roleDefinitionGuid(role: string): string {
  const id = BUILT_IN_ROLES[role] ?? role;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
    throw new Error(
      `seed: unknown role "${role}" (a built-in name: ${Object.keys(BUILT_IN_ROLES).join(', ')}; or a GUID)`,
    );
  return id;
}

export const now = () => new Date().toISOString();

/** Everything the local Azure holds: Entra service principals, ARM role assignments, one Key Vault's secrets. */
export class AzureState {
  readonly principals = new Map<string, ServicePrincipal>();
  readonly assignments = new Map<string, RoleAssignment>();
  readonly scheduleRequests = new Map<string, ScheduleRequest>();
  /**
   * PIM's shortest active assignment (and how soon one may be removed): 5 minutes. The test switch lowers it
   * for one principal, so a test need not wait 5 minutes for an end.
   */
  readonly minimumActiveMs = new Map<string, number>();
  readonly secrets = new Map<string, VaultSecret>();
  /** Operations each caller (by bearer token) is made to lack: the failure switch. */
  readonly denied = new Map<string, Set<string>>();
  /** The tenant the vault's authentication challenge names. */
  vaultTenant = '00000000-0000-0000-0000-000000000000';

  addPrincipal(tenant: string, displayName: string, managed = false): ServicePrincipal {
    const principal: ServicePrincipal = {
      id: randomUUID(),
      tenant,
      appId: randomUUID(),
      displayName,
      accountEnabled: true,
      managed,
      passwordCredentials: [],
    };
    this.principals.set(principal.id, principal);
    return principal;
  }

  /** Time-bound assignments whose end has come are gone, as in ARM: nothing of them is served after their end. */
  expireAssignments(at = Date.now()): void {
    for (const [id, assignment] of this.assignments)
      if (assignment.endDateTime && Date.parse(assignment.endDateTime) <= at) this.assignments.delete(id);
  }

  minimumActive(principalId: string): number {
    return this.minimumActiveMs.get(principalId) ?? 5 * 60_000;
  }

  /** A new client secret; it expires when asked (`endDateTime`), else in two years, as Graph's default. */
  addPassword(principal: ServicePrincipal, displayName: string | null, endDateTime?: string): PasswordCredential {
    const secretText = randomBytes(30).toString('base64url');
    const credential: PasswordCredential = {
      keyId: randomUUID(),
      displayName,
      hint: secretText.slice(0, 3),
      startDateTime: now(),
      endDateTime: endDateTime ?? new Date(Date.now() + 2 * 365 * 86_400_000).toISOString(),
      secretText,
    };
    principal.passwordCredentials.push(credential);
    return credential;
  }
}
