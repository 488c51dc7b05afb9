import type { LeakedCredentialOwner } from '../../provider';
import type { GithubOAuthGrantIdentity } from '../identity';
import { type GithubContext, githubCall } from './github-context';

/**
 * Whose grant a leaked OAuth token stands for: each OAuth app idra holds the secret of asks GitHub whether
 * the token is one of its own (`POST /applications/{client_id}/token`: 404 when not); the first that knows it
 * names the user. A token of no such app is not idra's to act on. The token is sent to GitHub only.
 */
export async function ownerOfLeakedOAuthToken(
  context: GithubContext,
  token: string,
): Promise<LeakedCredentialOwner<GithubOAuthGrantIdentity>> {
  for (const { clientId, org } of context.oauthApps) {
    const checked = await githubCall(
      context.asOAuthApp(clientId).rest.apps.checkToken({ client_id: clientId, access_token: token }),
      `OAuth app ${clientId}`,
    ).catch((error: { type?: string }) => {
      if (error.type === 'NoSuchEntity') return undefined;
      throw error;
    });
    const login = checked?.data.user?.login;
    if (login) return { identity: { provider: 'github', kind: 'oauth_grant', org, clientId, login } };
  }
  return {
    skipped:
      'an OAuth token of no app idra holds the client secret of (IDRA_GITHUB_OAUTH_APPS_FILE): only its app can revoke it',
  };
}
