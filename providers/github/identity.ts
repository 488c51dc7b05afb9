import { z } from 'zod';
import type { Identity } from '../../model/identity';
import type { IdentityKind } from '../provider';

// GitHub's naming rules: a user or organization login is 1-39 letters, digits and single hyphens, neither
// first nor last; a repository name is 1-100 of letters, digits and ._- (not `.` or `..`); an app's slug is
// its name in lower case, 1-34 of letters, digits and hyphens.
export const githubLogin = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
    'must be a GitHub login (1-39 letters, digits or single hyphens, not first or last)',
  );
export const githubRepositoryName = z
  .string()
  .regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/, 'must be a repository name (1-100 of letters, digits and ._-)');
export const githubAppSlug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,32}[a-z0-9])?$/,
    'must be a GitHub App slug (1-34 lower-case letters, digits, hyphens)',
  );
/** Ids travel as digit strings, as every identity field does (JSON numbers lose digits beyond 2^53). */
const ID_RULE = 'must be a GitHub id: a positive integer, as a string';
export const githubId = z
  // A missing id keeps the usual "is required"; one of another type is told the rule.
  .string({ error: (issue) => (issue.input === undefined ? undefined : ID_RULE) })
  .regex(/^[1-9]\d{0,15}$/, ID_RULE);

export const githubInstallationIdentity = z.strictObject({
  provider: z.literal('github'),
  kind: z.literal('app_installation'),
  /** The organization the app is installed on. */
  org: githubLogin,
  installationId: githubId,
  appSlug: githubAppSlug,
});
export const githubDeployKeyIdentity = z.strictObject({
  provider: z.literal('github'),
  kind: z.literal('deploy_key'),
  owner: githubLogin,
  repo: githubRepositoryName,
  keyId: githubId,
});
export const githubFineGrainedTokenIdentity = z.strictObject({
  provider: z.literal('github'),
  kind: z.literal('fine_grained_token'),
  org: githubLogin,
  /** The token's id (`token_id` in GitHub's audit log and token list), not its value. */
  tokenId: githubId,
});
/** An OAuth app's client id (`Ov23li…`, `Iv1.…`, or 20 hex digits of an older app). */
export const githubClientId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9.]{7,39}$/, 'must be an OAuth app client id (8-40 letters, digits and dots)');
export const githubOAuthGrantIdentity = z.strictObject({
  provider: z.literal('github'),
  kind: z.literal('oauth_grant'),
  /** The organization that owns the OAuth app (whose client secret idra holds). */
  org: githubLogin,
  clientId: githubClientId,
  /** The user whose authorization of the app (its grant) this is. */
  login: githubLogin,
});
/** A GitHub secret-scanning alert a signal came from: its repository and number (never the secret it found). */
export const githubAlert = z.strictObject({
  provider: z.literal('github'),
  owner: githubLogin,
  repo: githubRepositoryName,
  number: githubId,
});
export type GithubAlert = z.infer<typeof githubAlert>;

export type GithubInstallationIdentity = z.infer<typeof githubInstallationIdentity>;
export type GithubDeployKeyIdentity = z.infer<typeof githubDeployKeyIdentity>;
export type GithubFineGrainedTokenIdentity = z.infer<typeof githubFineGrainedTokenIdentity>;
export type GithubOAuthGrantIdentity = z.infer<typeof githubOAuthGrantIdentity>;
export type GithubIdentity =
  GithubInstallationIdentity | GithubDeployKeyIdentity | GithubFineGrainedTokenIdentity | GithubOAuthGrantIdentity;

/** Identities reach provider code validated by the signal schema, so the cast only restores the type. */
export const asGithub = (identity: Identity) => identity as GithubIdentity;

/** The organization an identity belongs to: the blast radius is counted per organization. */
export function orgOf(identity: Identity): string {
  const github = asGithub(identity);
  return (github.kind === 'deploy_key' ? github.owner : github.org).toLowerCase();
}

const githubKind = {
  account: orgOf,
  describe: (identity: Identity) => {
    const github = asGithub(identity);
    if (github.kind === 'app_installation')
      return `GitHub App ${github.appSlug}, installation ${github.installationId} on ${github.org}`;
    if (github.kind === 'deploy_key') return `deploy key ${github.keyId} of ${github.owner}/${github.repo}`;
    if (github.kind === 'oauth_grant')
      return `${github.login}'s grant of OAuth app ${github.clientId} (owned by ${github.org})`;
    return `fine-grained personal access token ${github.tokenId} with access to ${github.org}`;
  },
};

export const GITHUB_IDENTITY_KINDS: IdentityKind[] = [
  {
    kind: 'app_installation',
    schema: githubInstallationIdentity,
    ...githubKind,
    key: (identity) => {
      const { installationId } = identity as GithubInstallationIdentity;
      return `github-${orgOf(identity)}-installation-${installationId}`;
    },
    inventoryKey: (identity) => ({ org: orgOf(identity), appSlug: (identity as GithubInstallationIdentity).appSlug }),
    ocsfUser: (identity) => {
      const { appSlug, installationId } = identity as GithubInstallationIdentity;
      return { name: appSlug, uid: `github:installation/${installationId}`, type: 'GitHub App Installation' };
    },
  },
  {
    kind: 'deploy_key',
    schema: githubDeployKeyIdentity,
    ...githubKind,
    key: (identity) => {
      const { repo, keyId } = identity as GithubDeployKeyIdentity;
      return `github-${orgOf(identity)}-${repo.toLowerCase()}-deploykey-${keyId}`;
    },
    // GitHub's names are case-insensitive: an entry for `payments` covers a signal naming `Payments`.
    inventoryKey: (identity) => ({
      org: orgOf(identity),
      repo: (identity as GithubDeployKeyIdentity).repo.toLowerCase(),
    }),
    ocsfUser: (identity) => {
      const { owner, repo, keyId } = identity as GithubDeployKeyIdentity;
      return {
        name: `${owner}/${repo} deploy key ${keyId}`,
        uid: `github:${owner}/${repo}/keys/${keyId}`,
        type: 'Deploy Key',
      };
    },
  },
  {
    kind: 'fine_grained_token',
    schema: githubFineGrainedTokenIdentity,
    ...githubKind,
    key: (identity) => `github-${orgOf(identity)}-token-${(identity as GithubFineGrainedTokenIdentity).tokenId}`,
    inventoryKey: (identity) => ({ org: orgOf(identity) }),
    ocsfUser: (identity) => {
      const { tokenId } = identity as GithubFineGrainedTokenIdentity;
      return {
        name: `token ${tokenId}`,
        uid: `github:personal-access-token/${tokenId}`,
        type: 'Fine-grained Personal Access Token',
      };
    },
  },
  {
    kind: 'oauth_grant',
    schema: githubOAuthGrantIdentity,
    ...githubKind,
    key: (identity) => {
      const { clientId, login } = identity as GithubOAuthGrantIdentity;
      return `github-${orgOf(identity)}-oauth-${clientId.toLowerCase()}-${login.toLowerCase()}`;
    },
    inventoryKey: (identity) => ({ org: orgOf(identity) }),
    ocsfUser: (identity) => {
      const { clientId, login } = identity as GithubOAuthGrantIdentity;
      return { name: `${login} via ${clientId}`, uid: `github:oauth-grant/${clientId}/${login}`, type: 'OAuth Grant' };
    },
  },
];

/** An inventory entry names an organization, and within it an app or a repository (its deploy keys). */
export const githubInventoryMatch = z
  .strictObject({
    provider: z.literal('github'),
    org: githubLogin.transform((login) => login.toLowerCase()),
    appSlug: githubAppSlug.optional(),
    repo: githubRepositoryName.transform((name) => name.toLowerCase()).optional(),
  })
  .refine((match) => !(match.appSlug && match.repo), {
    error: 'names an app or a repository, not both',
  }) as unknown as z.ZodType<Record<string, string>>;
