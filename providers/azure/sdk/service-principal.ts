import { stepFailure } from '../../../activities/step-failure';
import type { SecretProperties } from '@azure/keyvault-secrets';
import type { Action } from '../../../activities/action';
import { rotationMarker } from '../names';
import { type AzureContext, azureCall, azureFind } from './azure-context';
import type { ParamsOf } from '../../provider';
import {
  azureServicePrincipalDisable,
  azureServicePrincipalRemovePassword,
  azureServicePrincipalRotatePassword,
} from '../actions';

type RotateParams = ParamsOf<typeof azureServicePrincipalRotatePassword>;

interface GraphPrincipal {
  accountEnabled?: boolean;
  passwordCredentials?: { keyId: string; displayName?: string | null }[];
}

const principal = (azure: AzureContext, id: string) =>
  azureCall(
    azure.graph
      .api(`/servicePrincipals/${id}`)
      .select(['id', 'accountEnabled', 'passwordCredentials'])
      .get() as Promise<GraphPrincipal>,
    `service principal ${id}`,
  );

/** Disables the service principal: no new tokens are issued for it. */
export function servicePrincipalDisable(
  azure: AzureContext,
): Action<ParamsOf<typeof azureServicePrincipalDisable>, { enabled: boolean }> {
  return {
    spec: azureServicePrincipalDisable,
    read: async ({ principalId }) => ({ enabled: (await principal(azure, principalId)).accountEnabled !== false }),
    desired: () => ({ enabled: false }),
    write: async ({ principalId }, { enabled }) => {
      await azureCall(
        azure.graph.api(`/servicePrincipals/${principalId}`).patch({ accountEnabled: enabled }) as Promise<unknown>,
        `service principal ${principalId}`,
      );
    },
  };
}

const removePassword = (azure: AzureContext, objectId: string, keyId: string) =>
  azureCall(
    azure.graph.api(`/servicePrincipals/${objectId}/removePassword`).post({ keyId }) as Promise<unknown>,
    `client secret ${keyId}`,
  );

/** Removes exactly one client secret. Irreversible, so plans run it only after an approval. */
export function servicePrincipalRemovePassword(
  azure: AzureContext,
): Action<ParamsOf<typeof azureServicePrincipalRemovePassword>, { exists: boolean }> {
  return {
    spec: azureServicePrincipalRemovePassword,
    read: async ({ objectId, keyId }) => ({
      exists: ((await principal(azure, objectId)).passwordCredentials ?? []).some(
        (credential) => credential.keyId === keyId,
      ),
    }),
    desired: () => ({ exists: false }),
    write: async ({ objectId, keyId }, { exists }) => {
      if (exists) throw stepFailure('Irreversible', 'a removed client secret cannot be brought back');
      await removePassword(azure, objectId, keyId);
    },
  };
}

/** The tag on the vault secret that names the credential inside it. */
const NEW_KEY = 'idra-new-key-id';

/**
 * Rotates a leaked client secret's principal onto a new one without the secret leaving this activity: it
 * goes straight into a Key Vault secret named for the leaked one, and only the vault secret's id and the new
 * credential's key id are returned. Its display name marks the credential as idra's, so one made by an
 * attempt that died before storing it is found and removed; no other credential is ever touched.
 */
export function servicePrincipalRotatePassword(
  azure: AzureContext,
): Action<ParamsOf<typeof azureServicePrincipalRotatePassword>, { rotated: boolean }> {
  /** The vault secret's newest version, metadata only: the credential itself is never read back. */
  const stored = async ({ secretName }: RotateParams) =>
    azureFind(
      (async () => {
        let newest: SecretProperties | undefined;
        for await (const version of azure.vault().listPropertiesOfSecretVersions(secretName))
          if (!newest || (version.createdOn ?? 0) >= (newest.createdOn ?? 0)) newest = version;
        return newest;
      })(),
      `vault secret ${secretName}`,
    );
  const ours = async (params: RotateParams) =>
    ((await principal(azure, params.objectId)).passwordCredentials ?? []).filter(
      (credential) => credential.displayName === rotationMarker(params.secretName),
    );
  const current = async (params: RotateParams) => {
    const id = (await stored(params))?.tags?.[NEW_KEY];
    return id && (await ours(params)).some((credential) => credential.keyId === id) ? id : undefined;
  };
  return {
    spec: azureServicePrincipalRotatePassword,
    read: async (params) => ({ rotated: (await current(params)) !== undefined }),
    desired: () => ({ rotated: true }),
    async write(params, { rotated }) {
      const keep = rotated ? await current(params) : undefined;
      for (const credential of await ours(params))
        if (credential.keyId !== keep) await removePassword(azure, params.objectId, credential.keyId);
      if (!rotated) {
        if (await stored(params)) {
          const deletion = await azureCall(
            azure.vault().beginDeleteSecret(params.secretName),
            `vault secret ${params.secretName}`,
          );
          await azureCall(deletion.pollUntilDone(), `vault secret ${params.secretName}`);
          // Purged, so no copy of the credential lingers in the vault's recycle bin.
          await azureCall(azure.vault().purgeDeletedSecret(params.secretName), `vault secret ${params.secretName}`);
        }
        return;
      }
      if (keep) return;
      const created = await azureCall(
        azure.graph
          .api(`/servicePrincipals/${params.objectId}/addPassword`)
          .post({ passwordCredential: { displayName: rotationMarker(params.secretName) } }) as Promise<{
          keyId?: string;
          secretText?: string;
        }>,
        `service principal ${params.objectId}`,
      );
      if (!created.keyId || !created.secretText)
        throw stepFailure('ProviderFault', 'addPassword returned no credential');
      try {
        await azureCall(
          azure.vault().setSecret(params.secretName, created.secretText, {
            tags: { [NEW_KEY]: created.keyId, 'idra-replaces': params.keyId },
          }),
          `vault secret ${params.secretName}`,
        );
      } catch (error) {
        // Not stored, not kept: a credential nobody can fetch must not stay valid (a crash here is mended by the next attempt).
        await removePassword(azure, params.objectId, created.keyId);
        throw error;
      }
    },
    async reference(params) {
      const properties = await stored(params);
      return { vaultSecretId: properties?.id, newKeyId: properties?.tags?.[NEW_KEY] };
    },
  };
}
