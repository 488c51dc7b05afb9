import fs from 'node:fs';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { z } from 'zod';
import { parseEnv } from '../../../config/parse-env';
import { classifyFault, type ProviderDialect, stepFailure } from '../../../activities/step-failure';
import { parseOrThrow } from '../../../model/validation';
import { githubAppSlug, githubClientId, githubLogin } from '../identity';

/** The REST API version idra is written against (GitHub keeps a version for at least 24 months after the next). */
const API_VERSION = '2022-11-28';

const positiveInteger = z.string().regex(/^[1-9]\d{0,15}$/, 'must be a GitHub App id (a positive integer)');

const githubEnvSchema = z.object({
  /** The REST API root: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  IDRA_GITHUB_API_URL: z.url({ protocol: /^https?$/ }).default('https://api.github.com'),
  /** idra's own GitHub App, installed on each organization it acts in. */
  IDRA_GITHUB_APP_ID: positiveInteger,
  IDRA_GITHUB_PRIVATE_KEY_FILE: z.string().min(1),
  /**
   * A JSON list of OAuth apps of yours whose users' grants idra may revoke: [{"clientId", "clientSecretFile",
   * "org"}], `org` the organization that owns the app (a leaked token of it is that organization's).
   */
  IDRA_GITHUB_OAUTH_APPS_FILE: z.string().min(1).optional(),
  /**
   * The enterprise (GitHub Enterprise Cloud) that owns the organizations, where idra's app is installed on it
   * too: what narrowing another app's repositories takes (GitHub offers it to enterprise-installed apps only).
   */
  IDRA_GITHUB_ENTERPRISE: githubLogin.optional(),
  /** A JSON list of apps whose installations idra may suspend: [{"slug", "appId", "privateKeyFile"}]. */
  IDRA_GITHUB_MANAGED_APPS_FILE: z.string().min(1).optional(),
});

const oauthAppsSchema = z
  .array(z.strictObject({ clientId: githubClientId, clientSecretFile: z.string().min(1), org: githubLogin }))
  .max(1000);

const managedAppsSchema = z
  .array(z.strictObject({ slug: githubAppSlug, appId: z.number().int().positive(), privateKeyFile: z.string().min(1) }))
  .max(1000);

/** GitHub as one worker reaches it: as idra's app's installation on an organization, or as a managed app itself. */
export interface GithubContext {
  /** A client acting as idra's app on this organization (installation tokens, made and renewed by @octokit/auth-app). */
  forOrg(org: string): Promise<Octokit>;
  /** A client acting as this app with its own JWT; an app idra holds no key of is refused. */
  asApp(slug: string): Octokit;
  /** A client acting as this OAuth app (Basic, its client id and secret); an app idra holds no secret of is refused. */
  asOAuthApp(clientId: string): Octokit;
  /** The OAuth apps idra holds the secret of, and the organization each belongs to. */
  oauthApps: readonly { clientId: string; org: string }[];
  /** A client acting as idra's app on the configured enterprise, and the enterprise's slug; refused when none is. */
  forEnterprise(): Promise<{ octokit: Octokit; enterprise: string }>;
}

// Octokit's own logger prints every 4xx as a warning: the step's failure already says it.
const QUIET = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A configured JSON list file (none: an empty list), refused whole with the variable's name when bad. */
function listFile<T>(file: string | undefined, variable: string, schema: z.ZodType<T[]>): T[] {
  if (!file) return [];
  let listed: unknown;
  try {
    listed = JSON.parse(readKey(file, `the file of ${variable}`));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new Error(`GitHub worker configuration: ${variable} is not JSON: ${error.message}`);
  }
  return parseOrThrow(schema, listed, variable);
}

function readKey(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`GitHub worker configuration: cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/** How long an organization's installation of idra's app is taken as known before it is looked up again. */
const INSTALLATION_REUSE_MS = 10 * 60_000;

export function createGithubContext(env: NodeJS.ProcessEnv = process.env): GithubContext {
  const config = parseEnv(githubEnvSchema, env, 'GitHub worker configuration');
  const baseUrl = config.IDRA_GITHUB_API_URL.replace(/\/+$/, '');
  const client = (auth: Record<string, unknown>) =>
    new Octokit({
      baseUrl,
      authStrategy: createAppAuth,
      auth,
      headers: { 'x-github-api-version': API_VERSION },
      userAgent: 'idra',
      log: QUIET,
    });
  const own = {
    appId: Number(config.IDRA_GITHUB_APP_ID),
    privateKey: readKey(config.IDRA_GITHUB_PRIVATE_KEY_FILE, 'the private key file'),
  };
  const ownApp = client(own);
  const managed = new Map<string, Octokit>();
  for (const app of listFile(config.IDRA_GITHUB_MANAGED_APPS_FILE, 'IDRA_GITHUB_MANAGED_APPS_FILE', managedAppsSchema))
    managed.set(
      app.slug,
      client({ appId: app.appId, privateKey: readKey(app.privateKeyFile, `the private key of ${app.slug}`) }),
    );
  const oauthApps = new Map<string, Octokit>();
  const listedOAuthApps = listFile(config.IDRA_GITHUB_OAUTH_APPS_FILE, 'IDRA_GITHUB_OAUTH_APPS_FILE', oauthAppsSchema);
  for (const app of listedOAuthApps) {
    const secret = readKey(app.clientSecretFile, `the client secret of OAuth app ${app.clientId}`).trim();
    const basic = `basic ${Buffer.from(`${app.clientId}:${secret}`).toString('base64')}`;
    // The app's own endpoints take its client id and secret (Basic), never a token.
    const octokit = new Octokit({
      baseUrl,
      headers: { 'x-github-api-version': API_VERSION },
      userAgent: 'idra',
      log: QUIET,
    });
    octokit.hook.before('request', (options) => {
      options.headers.authorization = basic;
    });
    oauthApps.set(app.clientId, octokit);
  }
  const installations = new Map<string, { client: Promise<Octokit>; at: number }>();
  /** idra's app's installation on an account (`org:` or `enterprise:` its login), looked up once in a while. */
  const installedOn = (key: string, where: string, lookup: () => Promise<{ data: { id: number } }>) => {
    const cached = installations.get(key);
    // Looked up again now and then: an app uninstalled and installed again has a new installation id.
    let found = cached && Date.now() - cached.at < INSTALLATION_REUSE_MS ? cached.client : undefined;
    if (!found) {
      found = githubCall(lookup(), `idra's GitHub App on ${where}`).then(
        ({ data }) => client({ ...own, installationId: data.id }),
        (error: unknown) => {
          throw isMissing(error)
            ? stepFailure('WrongAccount', `idra's GitHub App (id ${own.appId}) is not installed on ${where}`)
            : error;
        },
      );
      // A failed lookup is tried again on the next step rather than kept.
      found.catch(() => installations.delete(key));
      installations.set(key, { client: found, at: Date.now() });
    }
    return found;
  };
  const enterprise = config.IDRA_GITHUB_ENTERPRISE;
  return {
    forOrg: (org) => installedOn(`org:${org.toLowerCase()}`, org, () => ownApp.rest.apps.getOrgInstallation({ org })),
    forEnterprise: async () => {
      if (!enterprise)
        throw stepFailure(
          'InvalidConfiguration',
          "GitHub lets only an app installed on the enterprise that owns the organization change another app's repositories (GitHub Enterprise Cloud): install idra's app there and set IDRA_GITHUB_ENTERPRISE",
        );
      const octokit = await installedOn(`enterprise:${enterprise.toLowerCase()}`, `enterprise ${enterprise}`, () =>
        ownApp.request('GET /enterprises/{enterprise}/installation', { enterprise }),
      );
      return { octokit, enterprise };
    },
    oauthApps: listedOAuthApps.map(({ clientId, org }) => ({ clientId, org })),
    asOAuthApp: (clientId) => {
      const app = oauthApps.get(clientId);
      if (!app)
        throw stepFailure(
          'InvalidConfiguration',
          `idra holds no client secret of OAuth app ${clientId}: only an app can revoke its users' grants (add it to IDRA_GITHUB_OAUTH_APPS_FILE)`,
        );
      return app;
    },
    asApp: (slug) => {
      const app = managed.get(slug);
      if (!app)
        throw stepFailure(
          'InvalidConfiguration',
          `idra holds no private key of GitHub App ${slug}: only an app can suspend its own installations (add it to IDRA_GITHUB_MANAGED_APPS_FILE)`,
        );
      return app;
    },
  };
}

const isMissing = (error: unknown) => (error as { type?: string }).type === 'NoSuchEntity';

/**
 * GitHub has no error codes, only statuses and words; it says "rate limit" on a 403 as on a 429. Its two
 * limits: the hour's budget (`x-ratelimit-remaining: 0`, until `x-ratelimit-reset`) and secondary limits
 * (`retry-after`). Either is throttling, retried when GitHub said, never a denied permission.
 */
const GITHUB: ProviderDialect = { name: 'GitHub', codes: { rate_limited: 'Throttled' } };

function githubFault(error: unknown): { status?: number; code?: string; message: string; retryAfterMs?: number } {
  const failure = error as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined>; data?: { message?: string } };
  };
  const headers = failure.response?.headers ?? {};
  const message = failure.response?.data?.message ?? failure.message ?? String(error);
  const retryAfter = Number(headers['retry-after']);
  const resetAt = Number(headers['x-ratelimit-reset']) * 1000;
  const spent = headers['x-ratelimit-remaining'] === '0';
  const limited =
    (failure.status === 403 || failure.status === 429) && (spent || retryAfter > 0 || /rate limit/i.test(message));
  const retryAfterMs =
    retryAfter > 0 ? retryAfter * 1000 : spent && resetAt > Date.now() ? resetAt - Date.now() : undefined;
  return {
    status: failure.status,
    ...(limited ? { code: 'rate_limited' } : {}),
    message,
    ...(limited && retryAfterMs ? { retryAfterMs } : {}),
  };
}

/** Awaits a GitHub call; a failure is sorted into the step vocabulary (activities/step-failure.ts). */
export async function githubCall<T>(call: Promise<T>, what: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw classifyFault(githubFault(error), what, GITHUB);
  }
}
