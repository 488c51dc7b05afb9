import type { Action } from '../../../activities/action';
import { type GcpContext, gcpCall } from './gcp-context';
import type { ParamsOf } from '../../provider';
import { gcpServiceAccountDisable } from '../actions';

type AccountParams = ParamsOf<typeof gcpServiceAccountDisable>;

export const accountName = ({ project, email }: AccountParams) => `projects/${project}/serviceAccounts/${email}`;

/** Disables the service account: its existing tokens are rejected from then on. */
export function accountDisable(
  gcp: GcpContext,
): Action<ParamsOf<typeof gcpServiceAccountDisable>, { disabled: boolean }> {
  const accounts = gcp.iam.projects.serviceAccounts;
  return {
    spec: gcpServiceAccountDisable,
    read: async (params) => ({
      disabled:
        (await gcpCall(accounts.get({ name: accountName(params) }), `service account ${params.email}`)).data
          .disabled === true,
    }),
    desired: () => ({ disabled: true }),
    write: async (params, { disabled }) => {
      const request = { name: accountName(params), requestBody: {} };
      await gcpCall(disabled ? accounts.disable(request) : accounts.enable(request), `service account ${params.email}`);
    },
  };
}
