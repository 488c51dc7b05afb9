import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { type GithubContext, githubCall } from './github-context';
import type { ParamsOf } from '../../provider';
import { githubInstallationSuspend } from '../actions';

/** Suspends the installation with its app's own key: every token of it stops working, none is issued. */
export function installationSuspend(
  context: GithubContext,
): Action<ParamsOf<typeof githubInstallationSuspend>, { suspended: boolean }> {
  return {
    spec: githubInstallationSuspend,
    read: async ({ org, installationId, appSlug }) => {
      const { data } = await githubCall(
        context.asApp(appSlug).rest.apps.getInstallation({ installation_id: Number(installationId) }),
        `installation ${installationId} of GitHub App ${appSlug}`,
      );
      // The signal named the installation by id: one of another organization is not the one to act on.
      const account = data.account && 'login' in data.account ? data.account.login : undefined;
      if (account?.toLowerCase() !== org.toLowerCase())
        throw stepFailure(
          'NoSuchEntity',
          `installation ${installationId} of GitHub App ${appSlug} is on ${account ?? 'no organization'}, not ${org}`,
        );
      return { suspended: data.suspended_at !== null && data.suspended_at !== undefined };
    },
    desired: () => ({ suspended: true }),
    write: async ({ installationId, appSlug }, state) => {
      const apps = context.asApp(appSlug).rest.apps;
      const call = state.suspended
        ? apps.suspendInstallation({ installation_id: Number(installationId) })
        : apps.unsuspendInstallation({ installation_id: Number(installationId) });
      await githubCall(call, `installation ${installationId} of GitHub App ${appSlug}`);
    },
  };
}
