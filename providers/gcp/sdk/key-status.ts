import { stepFailure } from '../../../activities/step-failure';
import type { Action } from '../../../activities/action';
import { type GcpContext, gcpCall, gcpFind } from './gcp-context';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountKeyDelete, gcpServiceAccountKeyDisable } from '../actions';

type KeyParams = ParamsOf<typeof gcpServiceAccountKeyDisable>;

export const keyName = ({ project, email, keyId }: KeyParams) =>
  `projects/${project}/serviceAccounts/${email}/keys/${keyId}`;

/** Whether the key is disabled, or null when the account has no such key (a key of another account included). */
async function readKey(gcp: GcpContext, params: KeyParams): Promise<{ disabled: boolean } | null> {
  const found = await gcpFind(
    gcp.iam.projects.serviceAccounts.keys.get({ name: keyName(params) }),
    `key ${params.keyId} of ${params.email}`,
  );
  return found ? { disabled: found.data.disabled === true } : null;
}

/** Disables exactly one key; the account's other keys are never touched. */
export function keyDisable(
  gcp: GcpContext,
): Action<ParamsOf<typeof gcpServiceAccountKeyDisable>, { disabled: boolean }> {
  return {
    spec: gcpServiceAccountKeyDisable,
    read: async (params) => {
      const state = await readKey(gcp, params);
      if (!state)
        throw stepFailure('NoSuchEntity', `key ${params.keyId} does not belong to service account ${params.email}`);
      return state;
    },
    desired: () => ({ disabled: true }),
    write: async (params, { disabled }) => {
      const keys = gcp.iam.projects.serviceAccounts.keys;
      const request = { name: keyName(params), requestBody: {} };
      await gcpCall(disabled ? keys.disable(request) : keys.enable(request), `key ${params.keyId}`);
    },
  };
}

/** Deletes exactly one key. Irreversible, so plans run it only after an approval. */
export function keyDelete(gcp: GcpContext): Action<ParamsOf<typeof gcpServiceAccountKeyDelete>, { exists: boolean }> {
  return {
    spec: gcpServiceAccountKeyDelete,
    read: async (params) => ({ exists: (await readKey(gcp, params)) !== null }),
    desired: () => ({ exists: false }),
    write: async (params, { exists }) => {
      if (exists) throw stepFailure('Irreversible', 'a deleted key cannot be brought back');
      await gcpCall(gcp.iam.projects.serviceAccounts.keys.delete({ name: keyName(params) }), `key ${params.keyId}`);
    },
  };
}
