/** Built-in role definition GUIDs idra knows, by name (the same in every subscription). */
export const BUILT_IN_ROLE = {
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

/** The names a playbook may use for them: Azure's display names. */
const BY_NAME: Readonly<Record<string, string>> = {
  Owner: BUILT_IN_ROLE.owner,
  Contributor: BUILT_IN_ROLE.contributor,
  Reader: BUILT_IN_ROLE.reader,
  'User Access Administrator': BUILT_IN_ROLE.userAccessAdministrator,
  'Storage Blob Data Owner': BUILT_IN_ROLE.storageBlobDataOwner,
  'Storage Blob Data Contributor': BUILT_IN_ROLE.storageBlobDataContributor,
  'Storage Blob Data Reader': BUILT_IN_ROLE.storageBlobDataReader,
  'Key Vault Administrator': BUILT_IN_ROLE.keyVaultAdministrator,
  'Key Vault Secrets Officer': BUILT_IN_ROLE.keyVaultSecretsOfficer,
  'Key Vault Reader': BUILT_IN_ROLE.keyVaultReader,
  'Monitoring Contributor': BUILT_IN_ROLE.monitoringContributor,
  'Monitoring Reader': BUILT_IN_ROLE.monitoringReader,
};

export const BUILT_IN_ROLE_NAMES = Object.keys(BY_NAME);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A role's definition GUID from its built-in name or the GUID itself; undefined for anything else. */
export function roleDefinitionGuid(role: string): string | undefined {
  if (GUID.test(role)) return role.toLowerCase();
  return BY_NAME[role];
}
