/** Built-in role definition GUIDs idra knows, by name (the same in every subscription). */
const ROLE = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  keyVaultAdministrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultReader: '21090545-7ca7-4776-b22c-e363652d74d2',
  monitoringContributor: '749f88d5-cbae-40b8-bcfc-e573ddc772fa',
  monitoringReader: '43d0d8ad-25c7-4714-9337-8ba259a9fe05',
} as const;

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
