import type { AnyAction } from '../../activities/action';
import type { CreateProviderWorker } from '../provider-worker';
import { asGithub } from './identity';
import { deployKeyRemove } from './sdk/deploy-key-remove';
import { fineGrainedTokenRevoke } from './sdk/fine-grained-token-revoke';
import { createGithubContext, githubCall } from './sdk/github-context';
import { installationNarrowRepositories } from './sdk/installation-narrow-repositories';
import { installationSuspend } from './sdk/installation-suspend';
import { oauthGrantRevoke } from './sdk/oauth-grant-revoke';
import { orgSecretNarrowRepositories } from './sdk/org-secret-narrow-repositories';
import { secretScanningAlertResolve } from './sdk/secret-scanning-alert-resolve';

/**
 * The GitHub worker: the official clients (@octokit/rest with @octokit/auth-app), acting as idra's GitHub App
 * (IDRA_GITHUB_APP_ID, IDRA_GITHUB_PRIVATE_KEY_FILE) at IDRA_GITHUB_API_URL, and as each managed app
 * (IDRA_GITHUB_MANAGED_APPS_FILE) to suspend its installations, and as each OAuth app of yours
 * (IDRA_GITHUB_OAUTH_APPS_FILE) to revoke its users' grants.
 */
export const createProviderWorker: CreateProviderWorker = () => {
  const context = createGithubContext();
  return {
    actions: [
      installationSuspend(context),
      installationNarrowRepositories(context),
      deployKeyRemove(context),
      fineGrainedTokenRevoke(context),
      orgSecretNarrowRepositories(context),
      oauthGrantRevoke(context),
      secretScanningAlertResolve(context),
    ] as AnyAction[],
    // A deploy key's tags are its repository's custom properties (the organization's own labels; its
    // owners set them, not the key). Apps and tokens carry none.
    readFacts: async (identity) => {
      const target = asGithub(identity);
      if (target.kind !== 'deploy_key') return { tags: {} };
      const octokit = await context.forOrg(target.owner);
      const { data } = await githubCall(
        octokit.rest.repos.customPropertiesForReposGetRepositoryValues({ owner: target.owner, repo: target.repo }),
        `the custom properties of ${target.owner}/${target.repo}`,
      );
      return {
        tags: Object.fromEntries(
          data.flatMap(({ property_name, value }) => (typeof value === 'string' ? [[property_name, value]] : [])),
        ),
      };
    },
  };
};
