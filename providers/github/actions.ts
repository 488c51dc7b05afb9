import { z } from 'zod';
import { defineAction, type ActionSpec } from '../provider';
import {
  githubAppSlug,
  githubId,
  githubLogin,
  githubRepositoryName,
  type GithubDeployKeyIdentity,
  type GithubFineGrainedTokenIdentity,
  type GithubOAuthGrantIdentity,
  githubClientId,
  type GithubInstallationIdentity,
} from './identity';

export const installationParams = z.strictObject({
  org: githubLogin,
  installationId: githubId,
  appSlug: githubAppSlug,
});
export const deployKeyParams = z.strictObject({ owner: githubLogin, repo: githubRepositoryName, keyId: githubId });
export const tokenParams = z.strictObject({ org: githubLogin, tokenId: githubId });
/** An OAuth grant, and the secret-scanning alert whose token stands for it (GitHub revokes a grant only given a token of it). */
export const oauthGrantParams = z.strictObject({
  org: githubLogin,
  clientId: githubClientId,
  login: githubLogin,
  alert: z.strictObject({ owner: githubLogin, repo: githubRepositoryName, number: githubId }),
});
export const alertParams = z.strictObject({
  owner: githubLogin,
  repo: githubRepositoryName,
  number: githubId,
  /** What the alert's resolution comment says: the incident that revoked the credential (GitHub takes 280 characters). */
  comment: z.string().min(1).max(280),
});
/** GitHub's rule for Actions secret names: letters, digits and underscores, not first a digit, not GITHUB_. */
const githubSecretName = z
  .string()
  .regex(
    /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]{0,199}$/i,
    'must be an Actions secret name (letters, digits and underscores, not starting with a digit or GITHUB_)',
  );
/** What a playbook keeps an integration's reach to: repository names of the organization (lower-cased: GitHub's are case-insensitive). */
const keptRepositories = z.array(githubRepositoryName.transform((name) => name.toLowerCase())).max(100);
export const orgSecretOptions = z.strictObject({
  /** The organization's Actions secrets the integration reads through its workflows. */
  secrets: z
    .array(githubSecretName.transform((name) => name.toUpperCase()))
    .min(1)
    .max(20),
  /** The repositories that keep each secret (those it is shared with now, at most); none: shared with none. */
  repositories: keptRepositories,
});
export const installationNarrowOptions = z.strictObject({
  /** The repositories the installation keeps (those it reaches now, at most); GitHub keeps at least one. */
  repositories: keptRepositories.min(1, 'must keep at least one repository (to cut an app off, suspend it)'),
});
export const installationNarrowParams = z.strictObject({
  ...installationParams.shape,
  ...installationNarrowOptions.shape,
});
export const orgSecretParams = z.strictObject({ org: githubLogin, ...orgSecretOptions.shape });

/** A playbook's options of an action, parsed by the action's own schema (checked when playbooks load). */
const optionsOf = <T>(schema: z.ZodType<T>, action: string, options: Record<string, Record<string, unknown>> = {}) =>
  schema.parse(options[action] ?? {});

/**
 * What a GitHub action needs, as GitHub App permissions (`name=level`, as GitHub's X-Accepted-GitHub-Permissions
 * header says them) of idra's own app, or `app-jwt`: the private key of the app whose installation it acts on
 * (GitHub lets only an app itself suspend its installations).
 */
export const APP_JWT = 'app-jwt';
/** The client secret of the OAuth app whose grant an action revokes (GitHub lets only the app itself). */
export const OAUTH_APP_SECRET = 'oauth-app-secret';

export const githubInstallationSuspend = defineAction({
  name: 'github.installation.suspend',
  provider: 'github',
  summary:
    "Suspend the GitHub App's installation on the organization: its installation tokens stop working at once and no new ones are issued, on every repository it reaches; undo unsuspends it, if it was not suspended before",
  reversible: true,
  ocsfActivity: { apply: 5, compensate: 2 },
  permissions: [APP_JWT],
  appliesTo: ['app_installation'],
  params: installationParams,
  bind: (identity) => {
    const { org, installationId, appSlug } = identity as GithubInstallationIdentity;
    return { target: `installation of GitHub App ${appSlug} on ${org}`, params: { org, installationId, appSlug } };
  },
});

export const githubDeployKeyRemove = defineAction({
  name: 'github.deployKey.remove',
  provider: 'github',
  summary:
    'Remove the deploy key from its repository (GitHub cannot disable one), its title, public key and access kept in the snapshot; undo adds the same public key back under its title unless someone already did (GitHub gives it a new id: the receipt of the undo names both)',
  reversible: true,
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: ['administration=write'],
  appliesTo: ['deploy_key'],
  params: deployKeyParams,
  bind: (identity) => {
    const { owner, repo, keyId } = identity as GithubDeployKeyIdentity;
    return { target: `deploy key ${keyId} of ${owner}/${repo}`, params: { owner, repo, keyId } };
  },
});

export const githubInstallationNarrowRepositories = defineAction({
  name: 'github.installation.narrowRepositories',
  provider: 'github',
  summary:
    "Narrow the repositories the GitHub App's installation reaches to the playbook's (`with`), never more than it reached; its other access stays. GitHub Enterprise Cloud only: idra's app acts through its installation on the enterprise. Undo restores the selection (all, or its exact list)",
  reversible: true,
  ocsfActivity: { apply: 99, compensate: 99 },
  permissions: [
    'enterprise_organization_installations=read',
    'enterprise_organization_installation_repositories=write',
  ],
  appliesTo: ['app_installation'],
  params: installationNarrowParams,
  options: installationNarrowOptions,
  bind: (identity, { options }) => {
    const { org, installationId, appSlug } = identity as GithubInstallationIdentity;
    const { repositories } = optionsOf(installationNarrowOptions, 'github.installation.narrowRepositories', options);
    return {
      target: `repositories of GitHub App ${appSlug}'s installation on ${org}`,
      params: { org, installationId, appSlug, repositories },
    };
  },
});

export const githubOrgSecretNarrowRepositories = defineAction({
  name: 'github.orgSecret.narrowRepositories',
  provider: 'github',
  summary:
    "Narrow who may use the organization's Actions secrets the integration reads (the playbook's `with` names them) to the playbook's repositories, never more than had them; undo restores each secret's visibility and repository list (the values are never read or written)",
  reversible: true,
  ocsfActivity: { apply: 99, compensate: 99 },
  permissions: ['organization_secrets=write'],
  appliesTo: ['app_installation'],
  params: orgSecretParams,
  options: orgSecretOptions,
  bind: (identity, { options }) => {
    const { org } = identity as GithubInstallationIdentity;
    const { secrets, repositories } = optionsOf(orgSecretOptions, 'github.orgSecret.narrowRepositories', options);
    return {
      target: `repositories of Actions secret${secrets.length > 1 ? 's' : ''} ${secrets.join(', ')} of ${org}`,
      params: { org, secrets, repositories },
    };
  },
});

export const githubFineGrainedTokenRevoke = defineAction({
  name: 'github.fineGrainedToken.revoke',
  provider: 'github',
  summary:
    "Revoke the fine-grained personal access token's access to the organization (its owner must ask for a new token and approval); irreversible, so playbooks run it after approval",
  reversible: false,
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: ['organization_personal_access_tokens=write'],
  appliesTo: ['fine_grained_token'],
  params: tokenParams,
  bind: (identity) => {
    const { org, tokenId } = identity as GithubFineGrainedTokenIdentity;
    return { target: `access of fine-grained token ${tokenId} to ${org}`, params: { org, tokenId } };
  },
});

export const githubOauthGrantRevoke = defineAction({
  name: 'github.oauthGrant.revoke',
  provider: 'github',
  summary:
    "Revoke the user's grant of the organization's OAuth app (every token the app holds for that user stops working), with the app's own client secret and the leaked token the signal's secret-scanning alert found (read by the worker, never recorded; without an alert there is nothing to revoke it by); irreversible, so playbooks run it after approval",
  reversible: false,
  ocsfActivity: { apply: 6, compensate: 99 },
  permissions: [OAUTH_APP_SECRET, 'secret_scanning_alerts=read'],
  appliesTo: ['oauth_grant'],
  params: oauthGrantParams,
  bind: (identity, { alert }) => {
    const { org, clientId, login } = identity as GithubOAuthGrantIdentity;
    return (
      alert && {
        target: `${login}'s grant of OAuth app ${clientId}`,
        params: { org, clientId, login, alert: { owner: alert.owner, repo: alert.repo, number: alert.number } },
      }
    );
  },
});

export const githubSecretScanningAlertResolve = defineAction({
  name: 'github.secretScanningAlert.resolve',
  provider: 'github',
  summary:
    'Close the GitHub secret-scanning alert the signal came from as revoked, its comment naming the incident (only when the signal names one, and only if nobody resolved it already); undo reopens it',
  reversible: true,
  ocsfActivity: { apply: 99, compensate: 99 },
  permissions: ['secret_scanning_alerts=write'],
  // The credentials secret scanning finds, of every provider: the alert lives on GitHub whatever leaked.
  appliesTo: [
    'access_key',
    'service_account_key',
    'service_principal_secret',
    'agent_client',
    'deploy_key',
    'fine_grained_token',
    'oauth_grant',
  ],
  params: alertParams,
  bind: (_identity, { alert, incident }) =>
    alert && {
      target: `secret-scanning alert ${alert.number} of ${alert.owner}/${alert.repo}`,
      params: {
        owner: alert.owner,
        repo: alert.repo,
        number: alert.number,
        // GitHub takes 280 characters; an incident id may be longer (a Keycloak client id is up to 255).
        comment: `revoked by idra: ${incident}`.slice(0, 280),
      },
    },
});

export const GITHUB_ACTIONS: ActionSpec[] = [
  githubInstallationSuspend,
  githubDeployKeyRemove,
  githubInstallationNarrowRepositories,
  githubOrgSecretNarrowRepositories,
  githubFineGrainedTokenRevoke,
  githubOauthGrantRevoke,
  githubSecretScanningAlertResolve,
];
