import { BUILT_IN_ROLE as ROLE } from './built-in-roles';

/**
 * Drop write, keep read: each write role's read-only counterpart. Owner, Contributor and User Access
 * Administrator become Reader; data-plane roles become their reader roles. Reader roles are kept; any other
 * role is removed (the receipt's before/after shows which).
 */
export const READ_ONLY_ROLE: Readonly<Record<string, string>> = {
  [ROLE.owner]: ROLE.reader,
  [ROLE.contributor]: ROLE.reader,
  [ROLE.userAccessAdministrator]: ROLE.reader,
  [ROLE.storageBlobDataOwner]: ROLE.storageBlobDataReader,
  [ROLE.storageBlobDataContributor]: ROLE.storageBlobDataReader,
  [ROLE.keyVaultAdministrator]: ROLE.keyVaultReader,
  [ROLE.keyVaultSecretsOfficer]: ROLE.keyVaultReader,
  [ROLE.monitoringContributor]: ROLE.monitoringReader,
};

const READ_ONLY = new Set(Object.values(READ_ONLY_ROLE));

/** The read-only role definition GUID to hold instead of `role`, or null when it is to be removed. */
export function readOnlyRole(role: string): string | null {
  const id = role.toLowerCase();
  if (READ_ONLY.has(id)) return id;
  return READ_ONLY_ROLE[id] ?? null;
}
