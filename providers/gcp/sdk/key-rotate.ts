import { stepFailure } from '../../../activities/step-failure';
import type { Action } from '../../../activities/action';
import { accountName } from './account-status';
import { type GcpContext, gcpCall, gcpFind } from './gcp-context';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountKeyRotate } from '../actions';

type RotateParams = ParamsOf<typeof gcpServiceAccountKeyRotate>;
/** Whether the replacement key exists and sits in its secret; ids and key material are not part of the state. */
type RotationState = { rotated: boolean };

/** Annotations on the secret: the key inside it, its version, and the account's keys before the rotation made one. */
const NEW_KEY = 'idra-new-key-id';
const VERSION = 'idra-secret-version';
const KEYS_BEFORE = 'idra-keys-before';

/**
 * Rotates a leaked key's account onto a new key without the key material leaving this activity: the new
 * key goes straight into a Secret Manager secret named for the leaked key, and only the secret's resource
 * name, version and the new key id are returned. The leaked key is left to the other steps.
 */
export function keyRotate(gcp: GcpContext): Action<ParamsOf<typeof gcpServiceAccountKeyRotate>, RotationState> {
  const secretName = ({ project, secretId }: RotateParams) => `projects/${project}/secrets/${secretId}`;
  const secret = async (params: RotateParams) =>
    (await gcpFind(gcp.secrets.getSecret({ name: secretName(params) }), `secret ${params.secretId}`))?.[0];
  const keyIds = async (params: RotateParams) =>
    (
      (
        await gcpCall(
          gcp.iam.projects.serviceAccounts.keys.list({ name: accountName(params), keyTypes: ['USER_MANAGED'] }),
          `keys of ${params.email}`,
        )
      ).data.keys ?? []
    ).map((key) => key.name?.split('/').pop() ?? '');
  /** The replacement key the secret names, if that key still exists. */
  const newKeyId = async (params: RotateParams, annotations?: Record<string, string> | null) => {
    const id = annotations?.[NEW_KEY];
    return id && (await keyIds(params)).includes(id) ? id : undefined;
  };
  const deleteKey = (params: RotateParams, id: string) =>
    gcpCall(gcp.iam.projects.serviceAccounts.keys.delete({ name: `${accountName(params)}/keys/${id}` }), `key ${id}`);

  return {
    spec: gcpServiceAccountKeyRotate,
    read: async (params) => ({ rotated: (await newKeyId(params, (await secret(params))?.annotations)) !== undefined }),
    desired: () => ({ rotated: true }),
    async write(params, { rotated }) {
      const existing = await secret(params);
      /** Removes a replacement key and its secret. */
      const discard = async (id: string | undefined) => {
        if (id) await deleteKey(params, id);
        if (await secret(params))
          await gcpCall(gcp.secrets.deleteSecret({ name: secretName(params) }), `secret ${params.secretId}`);
      };
      if (!rotated) return discard(await newKeyId(params, existing?.annotations));
      // The secret first, annotated with the account's keys as they were before any key was made: a key made
      // by an attempt that died before storing it is then recognisable (not in that list) and removed.
      const current = await keyIds(params);
      const made =
        existing ??
        (
          await gcpCall(
            gcp.secrets.createSecret({
              parent: `projects/${params.project}`,
              secretId: params.secretId,
              secret: {
                replication: { automatic: {} },
                labels: { 'idra-replaces': params.keyId },
                annotations: { [KEYS_BEFORE]: current.join(' ') },
              },
            }),
            `secret ${params.secretId}`,
          )
        )[0];
      const before = (made.annotations?.[KEYS_BEFORE] ?? current.join(' ')).split(' ');
      for (const orphan of current.filter((id) => !before.includes(id))) await deleteKey(params, orphan);
      const { data: key } = await gcpCall(
        gcp.iam.projects.serviceAccounts.keys.create({ name: accountName(params), requestBody: {} }),
        `service account ${params.email}`,
      );
      const id = key.name?.split('/').pop();
      if (!id || !key.privateKeyData) throw stepFailure('ProviderFault', 'keys.create returned no key');
      try {
        const [version] = await gcpCall(
          gcp.secrets.addSecretVersion({
            parent: secretName(params),
            payload: { data: Buffer.from(key.privateKeyData, 'base64') },
          }),
          `secret ${params.secretId}`,
        );
        await gcpCall(
          gcp.secrets.updateSecret({
            secret: {
              name: secretName(params),
              annotations: { ...made.annotations, [NEW_KEY]: id, [VERSION]: version.name ?? '' },
            },
            updateMask: { paths: ['annotations'] },
          }),
          `secret ${params.secretId}`,
        );
      } catch (error) {
        // Not stored, not kept: a key nobody can fetch must not stay valid (a crash here is mended by the next attempt).
        await discard(id);
        throw error;
      }
    },
    async reference(params) {
      const annotations = (await secret(params))?.annotations;
      return {
        secretName: secretName(params),
        secretVersion: annotations?.[VERSION],
        newKeyId: annotations?.[NEW_KEY],
      };
    },
  };
}
