import type { Action } from '../../../activities/action';
import { stepFailure } from '../../../activities/step-failure';
import { type GithubContext, githubCall } from './github-context';
import { alertName, readAlert } from './secret-scanning-alert';
import type { ParamsOf } from '../../provider';
import { githubOauthGrantRevoke } from '../actions';

/**
 * Revokes a user's grant of one of the organization's OAuth apps. GitHub revokes a grant only for the app
 * itself (its client secret) given one of the grant's tokens: the leaked token the secret-scanning alert
 * found stands for it. The token is read here and sent to GitHub, never returned, so no state, receipt or
 * error carries it. GitHub keeps no way back.
 */
export function oauthGrantRevoke(
  context: GithubContext,
): Action<ParamsOf<typeof githubOauthGrantRevoke>, { granted: boolean }> {
  const what = ({ clientId, login }: ParamsOf<typeof githubOauthGrantRevoke>) =>
    `${login}'s grant of OAuth app ${clientId}`;
  async function leakedToken({ alert }: ParamsOf<typeof githubOauthGrantRevoke>): Promise<string> {
    const { secret } = await readAlert(context, alert, true);
    if (!secret) throw stepFailure('NoSuchEntity', `${alertName(alert)} holds no secret`);
    return secret;
  }
  /** Whether the leaked token still stands for the user's grant (a revoked grant's tokens are gone: 404). */
  async function granted(params: ParamsOf<typeof githubOauthGrantRevoke>, token: string): Promise<boolean> {
    const app = context.asOAuthApp(params.clientId);
    const checked = await githubCall(
      app.rest.apps.checkToken({ client_id: params.clientId, access_token: token }),
      what(params),
    ).catch((error: { type?: string }) => {
      if (error.type === 'NoSuchEntity') return undefined;
      throw error;
    });
    if (!checked) return false;
    const owner = checked.data.user?.login;
    // The alert must have found a token of this very grant: another user's is not the one to revoke.
    if (owner?.toLowerCase() !== params.login.toLowerCase())
      throw stepFailure(
        'NoSuchEntity',
        `the token of the signal's alert is ${owner ?? 'nobody'}'s, not ${params.login}'s: ${what(params)} was not touched`,
      );
    return true;
  }
  return {
    spec: githubOauthGrantRevoke,
    read: async (params) => ({ granted: await granted(params, await leakedToken(params)) }),
    desired: () => ({ granted: false }),
    write: async (params, state) => {
      if (state.granted) return;
      const token = await leakedToken(params);
      if (!(await granted(params, token))) return;
      await githubCall(
        context.asOAuthApp(params.clientId).rest.apps.deleteAuthorization({
          client_id: params.clientId,
          access_token: token,
        }),
        what(params),
      );
    },
  };
}
