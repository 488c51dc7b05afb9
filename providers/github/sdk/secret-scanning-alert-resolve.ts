import type { Action } from '../../../activities/action';
import { type GithubContext, githubCall } from './github-context';
import { alertName, readAlert } from './secret-scanning-alert';
import type { ParamsOf } from '../../provider';
import { githubSecretScanningAlertResolve } from '../actions';

/** An alert as a response sees it: open, or resolved with which resolution and comment. */
export interface AlertState {
  state: 'open' | 'resolved';
  resolution: string | null;
  comment: string | null;
}

/** Closes the alert as revoked; one someone already resolved stays as they resolved it. */
export function secretScanningAlertResolve(
  context: GithubContext,
): Action<ParamsOf<typeof githubSecretScanningAlertResolve>, AlertState> {
  return {
    spec: githubSecretScanningAlertResolve,
    read: async (params) => {
      const data = await readAlert(context, params);
      return {
        state: data.state === 'resolved' ? 'resolved' : 'open',
        resolution: data.resolution ?? null,
        comment: data.resolution_comment ?? null,
      };
    },
    desired: (params, before) =>
      before.state === 'resolved' ? before : { state: 'resolved', resolution: 'revoked', comment: params.comment },
    write: async (params, state) => {
      const octokit = await context.forOrg(params.owner);
      const { owner, repo } = params;
      const alert_number = Number(params.number);
      const call =
        state.state === 'resolved'
          ? octokit.rest.secretScanning.updateAlert({
              owner,
              repo,
              alert_number,
              state: 'resolved',
              resolution: state.resolution as 'revoked',
              resolution_comment: state.comment ?? undefined,
            })
          : octokit.rest.secretScanning.updateAlert({ owner, repo, alert_number, state: 'open' });
      await githubCall(call, alertName(params));
    },
  };
}
