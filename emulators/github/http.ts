import type { Account, App, GithubState, Installation, InstallationToken, OAuthApp, OAuthToken } from './state';

/**
 * Who is calling: an app (its JWT), an installation (its `ghs_` token), an OAuth app (Basic: its client id
 * and secret), a user through an OAuth app (its `gho_` token), or nobody.
 */
export type Caller =
  | { kind: 'app'; app: App }
  | { kind: 'installation'; installation: Installation; token: InstallationToken }
  | { kind: 'client'; oauthApp: OAuthApp }
  | { kind: 'user'; token: OAuthToken }
  | { kind: 'anonymous' };

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Where the caller reached this server, for the absolute URLs in bodies and `Link` headers. */
  baseUrl: string;
  state: GithubState;
  caller: Caller;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One REST operation: its verb and path, which credential it takes, and the permission an installation needs. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: RegExp;
  /** `app`: the app's own JWT only; `installation`: an installation token only; `client`: an OAuth app's Basic credentials; `user`: a user's OAuth token. */
  auth: 'app' | 'installation' | 'client' | 'user';
  /** The installation permission it needs, e.g. `administration=write` (GitHub's X-Accepted-GitHub-Permissions). */
  permission?: string;
  handle(request: Request, params: string[]): Reply | Promise<Reply>;
}

export const noContent = (): Reply => ({ status: 204 });
export const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** The account object GitHub embeds wherever it names a user, organization or bot. */
export function accountBody(account: Account, baseUrl: string): Record<string, unknown> {
  const kind = account.type === 'Organization' ? 'orgs' : 'users';
  const users = `${baseUrl}/users/${account.login}`;
  return {
    login: account.login,
    id: account.id,
    node_id: Buffer.from(`${account.type}${account.id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${account.id}?v=4`,
    gravatar_id: '',
    url: `${baseUrl}/${kind}/${account.login}`,
    html_url: `https://github.com/${account.login}`,
    followers_url: `${users}/followers`,
    following_url: `${users}/following{/other_user}`,
    gists_url: `${users}/gists{/gist_id}`,
    starred_url: `${users}/starred{/owner}{/repo}`,
    subscriptions_url: `${users}/subscriptions`,
    organizations_url: `${users}/orgs`,
    repos_url: `${baseUrl}/${kind}/${account.login}/repos`,
    events_url: `${users}/events{/privacy}`,
    received_events_url: `${users}/received_events`,
    type: account.type,
    site_admin: false,
  };
}
