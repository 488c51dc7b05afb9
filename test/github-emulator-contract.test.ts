import { createRequire } from 'node:module';
import { SignJWT, importPKCS8 } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../emulators/github/server';
import { LOCAL_GITHUB_ENTERPRISE, seedGithub, sshPublicKey } from '../infra/github-emulator';
import {
  asApp,
  createOrg,
  github,
  type GithubOrg,
  IDRA_APP,
  MANAGED_APP,
  OTHER_APP,
  limitCaller,
} from './support/github';

// The local GitHub's behaviour, pinned by GitHub's REST API description (@octokit/openapi's
// api.github.com.json: paths, verbs, statuses and the examples of each response), through Octokit.

interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { $ref?: string }> }> }>;
}
interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: { examples: Record<string, { value: unknown }> };
}
const description = createRequire(__filename)('@octokit/openapi/generated/api.github.com.json') as Description;
/** GitHub Enterprise Cloud's description: what only an enterprise serves (its organizations' installations). */
const cloud = createRequire(__filename)('@octokit/openapi/generated/ghec.json') as Description;

/** The description's example of an operation's success response, by operation id. */
function example(operationId: string, from = description): unknown {
  for (const item of Object.values(from.paths))
    for (const operation of Object.values(item)) {
      if (operation.operationId !== operationId) continue;
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))?.[1];
      const ref = Object.values(success?.content?.['application/json']?.examples ?? {})[0]?.$ref ?? '';
      return from.components.examples[ref.split('/').pop() ?? '']?.value;
    }
  throw new Error(`no operation ${operationId} in the description`);
}

/** Every field of the example is in the answer, with the same JSON type (null stands for any); maps of permissions hold data, not fields. */
function missingFields(expected: unknown, actual: unknown, at = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at} is not a list`];
    // An empty list has no items to hold fields.
    return actual.length ? missingFields(expected[0], actual[0], `${at}[0]`) : [];
  }
  if (typeof expected !== 'object' || expected === null) return [];
  return Object.entries(expected).flatMap(([field, value]) => {
    const got = (actual as Record<string, unknown>)[field];
    if (!(field in (actual as object))) return [`${at}.${field} missing`];
    if (value !== null && got !== null && typeof value !== typeof got)
      return [`${at}.${field} is ${typeof got}, not ${typeof value}`];
    return typeof value === 'object' && value !== null && got !== null && field !== 'permissions'
      ? missingFields(value, got, `${at}.${field}`)
      : [];
  });
}

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await fetch(`${github().endpoint}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
  };
}

describe('local GitHub: the REST contract of the calls idra makes', () => {
  let target: GithubOrg;
  const installation = () => asApp(IDRA_APP, target.installations[IDRA_APP]);
  const tokenOf = async (slug: string) =>
    (await asApp(slug).rest.apps.createInstallationAccessToken({ installation_id: target.installations[slug]! })).data
      .token;
  beforeAll(async () => {
    target = await createOrg();
  });

  it('serves each operation at the path and verb the description gives it', () => {
    for (const route of ROUTES) {
      const served = [...Object.entries(description.paths), ...Object.entries(cloud.paths)].some(
        ([path, item]) =>
          route.method.toLowerCase() in item &&
          route.path.test(path.replace(/\{[^}]+\}/g, (name) => (/_id|number\}/.test(name) ? '17' : 'x'))),
      );
      expect(served, `${route.method} ${route.path}`).toBe(true);
    }
  });

  it("answers with the fields of the description's examples: installation, token, deploy key, alert, token access", async () => {
    const app = asApp(MANAGED_APP);
    const { data: got } = await app.rest.apps.getInstallation({ installation_id: target.installations[MANAGED_APP]! });
    expect(missingFields(example('apps/get-installation'), got)).toEqual([]);
    const token = await app.rest.apps.createInstallationAccessToken({
      installation_id: target.installations[MANAGED_APP]!,
    });
    expect(token.status).toBe(201);
    expect(token.data.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    // The example's token was made for chosen repositories; idra's are made for the installation's own.
    const tokenExample = Object.fromEntries(
      Object.entries(example('apps/create-installation-access-token') as object).filter(
        ([field]) => field !== 'repositories',
      ),
    );
    expect(missingFields(tokenExample, token.data)).toEqual([]);
    const keys = await installation().rest.repos.listDeployKeys({ owner: target.org, repo: target.repo });
    expect(missingFields(example('repos/list-deploy-keys'), keys.data)).toEqual([]);
    const grants = await installation().rest.orgs.listPatGrants({ org: target.org });
    expect(missingFields(example('orgs/list-pat-grants'), grants.data)).toEqual([]);
    const org = `${target.org}-leaks`;
    const seeded = await seedGithub(github().endpoint, {
      repositories: [
        { owner: org, name: 'leaky', alerts: [{ secretType: 'aws_access_key_id', secret: 'AKIAEXAMPLE' }] },
      ],
      installations: [{ app: OTHER_APP, org, permissions: { secret_scanning_alerts: 'read' } }],
    });
    const alert = await asApp(OTHER_APP, seeded.installations[0]!.id).rest.secretScanning.getAlert({
      owner: org,
      repo: 'leaky',
      alert_number: seeded.repositories[0]!.alertNumbers[0]!,
    });
    expect(missingFields(example('secret-scanning/get-alert'), alert.data)).toEqual([]);
  });

  it('suspend and unsuspend are 204 (the app JWT only); a suspended installation gets no token and its tokens stop working', async () => {
    const app = asApp(OTHER_APP);
    const id = target.installations[OTHER_APP]!;
    const token = await tokenOf(OTHER_APP);
    expect((await app.rest.apps.suspendInstallation({ installation_id: id })).status).toBe(204);
    expect((await app.rest.apps.getInstallation({ installation_id: id })).data.suspended_at).toEqual(
      expect.any(String),
    );
    expect(
      await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `token ${token}` }),
    ).toMatchObject({
      status: 403,
      json: { message: 'This installation has been suspended' },
    });
    expect(
      (
        await call('POST', `/app/installations/${id}/access_tokens`, {
          authorization: `Bearer ${await appJwt(OTHER_APP)}`,
        })
      ).status,
    ).toBe(403);
    expect((await app.rest.apps.unsuspendInstallation({ installation_id: id })).status).toBe(204);
    expect((await app.rest.apps.getInstallation({ installation_id: id })).data.suspended_at).toBeNull();
    // Another app's installation is as good as absent.
    expect(
      await call('PUT', `/app/installations/${id}/suspended`, { authorization: `Bearer ${await appJwt(MANAGED_APP)}` }),
    ).toMatchObject({
      status: 404,
      json: { message: 'Not Found', status: '404' },
    });
  });

  it('each endpoint takes its kind of credential only, and an installation only what it was granted', async () => {
    const token = await tokenOf(MANAGED_APP);
    const jwt = await appJwt(MANAGED_APP);
    const id = target.installations[MANAGED_APP]!;
    expect(await call('GET', `/app/installations/${id}`, { authorization: `token ${token}` })).toMatchObject({
      status: 401,
      json: { message: 'A JSON web token could not be decoded' },
    });
    expect(
      await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `Bearer ${jwt}` }),
    ).toMatchObject({
      status: 403,
      json: { message: 'Resource not accessible by integration' },
    });
    // The managed app holds administration=read: it may list deploy keys, not delete one.
    expect(
      (await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `token ${token}` })).status,
    ).toBe(200);
    const refused = await call('DELETE', `/repos/${target.org}/${target.repo}/keys/${target.deployKeys[0]!.id}`, {
      authorization: `token ${token}`,
    });
    expect(refused).toMatchObject({ status: 403, json: { message: 'Resource not accessible by integration' } });
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('administration=write');
    expect(await call('GET', `/repos/${target.org}/${target.repo}/keys`)).toMatchObject({
      status: 401,
      json: { message: 'Requires authentication' },
    });
    expect(
      await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: 'token ghs_unknown' }),
    ).toMatchObject({
      status: 401,
      json: { message: 'Bad credentials' },
    });
    expect(
      await call('GET', `/app/installations/${id}`, { authorization: `Bearer ${await appJwt(MANAGED_APP, 660)}` }),
    ).toMatchObject({
      status: 401,
      json: { message: "'Expiration time' claim ('exp') is too far in the future." },
    });
    // A repository of an organization the installation is not on is 404, as if it did not exist.
    expect((await call('GET', '/repos/octo-elsewhere/payments/keys', { authorization: `token ${token}` })).status).toBe(
      404,
    );
  });

  it('deploy keys: create is 201 with Location, a key in use is 422 with errors[], delete is 204, a deleted key is 404', async () => {
    const octokit = installation();
    const key = sshPublicKey('contract');
    const created = await octokit.rest.repos.createDeployKey({
      owner: target.org,
      repo: target.repo,
      key,
      title: 'contract',
      read_only: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(
      `${github().endpoint}/repos/${target.org}/${target.repo}/keys/${created.data.id}`,
    );
    const again = await octokit.rest.repos
      .createDeployKey({ owner: target.org, repo: target.otherRepo, key: key.replace('contract', 'other comment') })
      .catch((error: { status: number; response: { data: unknown } }) => error);
    expect(again).toMatchObject({
      status: 422,
      response: {
        data: {
          message: 'Validation Failed',
          errors: [{ resource: 'PublicKey', code: 'custom', field: 'key', message: 'key is already in use' }],
        },
      },
    });
    const bad = await octokit.rest.repos
      .createDeployKey({ owner: target.org, repo: target.repo, key: 'not a key' })
      .catch((error: { status: number }) => error);
    expect(bad).toMatchObject({ status: 422 });
    expect(
      (await octokit.rest.repos.deleteDeployKey({ owner: target.org, repo: target.repo, key_id: created.data.id }))
        .status,
    ).toBe(204);
    const gone = await octokit.rest.repos
      .getDeployKey({ owner: target.org, repo: target.repo, key_id: created.data.id })
      .catch((error: { status: number }) => error);
    expect(gone).toMatchObject({ status: 404 });
  });

  it("organization secrets: the example's fields; create 201, update 204 (visibility alone: the value stays sealed); repositories of a secret not selected are 409", async () => {
    const octokit = installation();
    const org = target.org;
    const { data: secret } = await octokit.rest.actions.getOrgSecret({ org, secret_name: 'DEPLOY_TOKEN' });
    expect(missingFields(example('actions/get-org-secret'), secret)).toEqual([]);
    const listed = await octokit.rest.actions.listSelectedReposForOrgSecret({ org, secret_name: 'DEPLOY_TOKEN' });
    expect(missingFields(example('actions/list-selected-repos-for-org-secret'), listed.data)).toEqual([]);
    expect(listed.data.repositories.map((repository) => repository.name).sort()).toEqual(['payments', 'website']);
    const repos = await octokit.rest.repos.listForOrg({ org, type: 'private' });
    expect(repos.data.map((repository) => repository.name).sort()).toEqual(['payments', 'website']);

    const sealed = Buffer.from('sealed by libsodium').toString('base64');
    const created = await octokit.rest.actions.createOrUpdateOrgSecret({
      org,
      secret_name: 'CONTRACT',
      visibility: 'all',
      encrypted_value: sealed,
      key_id: '012345678912345678',
    });
    expect(created.status).toBe(201);
    const notSelected = await octokit.rest.actions
      .setSelectedReposForOrgSecret({ org, secret_name: 'CONTRACT', selected_repository_ids: [] })
      .catch((error: { status: number }) => error);
    expect(notSelected).toMatchObject({ status: 409 });
    const payments = repos.data.find((repository) => repository.name === 'payments')!.id;
    const updated = await octokit.rest.actions.createOrUpdateOrgSecret({
      org,
      secret_name: 'contract',
      visibility: 'selected',
      selected_repository_ids: [payments],
    });
    expect(updated.status).toBe(204);
    expect((await octokit.rest.actions.getOrgSecret({ org, secret_name: 'CONTRACT' })).data.visibility).toBe(
      'selected',
    );
    // A new secret needs its value; a list only goes with `selected`; ids must be the organization's repositories.
    const refusals = await Promise.all(
      [
        { secret_name: 'NEW_ONE', visibility: 'all' as const },
        { secret_name: 'CONTRACT', visibility: 'all' as const, selected_repository_ids: [payments] },
        { secret_name: 'CONTRACT', visibility: 'selected' as const, selected_repository_ids: [1] },
        { secret_name: 'GITHUB_X', visibility: 'all' as const, encrypted_value: sealed, key_id: '1' },
      ].map((body) =>
        octokit.rest.actions
          .createOrUpdateOrgSecret({ org, ...body })
          .catch((error: { status: number; response: { data: { errors: { field: string }[] } } }) => error),
      ),
    );
    expect(
      refusals.map((refusal) => {
        const failure = refusal as { status: number; response: { data: { errors: { field: string }[] } } };
        return [failure.status, failure.response.data.errors[0]?.field];
      }),
    ).toEqual([
      [422, 'encrypted_value'],
      [422, 'selected_repository_ids'],
      [422, 'selected_repository_ids'],
      [422, 'name'],
    ]);
    const missing = await octokit.rest.actions
      .getOrgSecret({ org, secret_name: 'NO_SUCH' })
      .catch((error: { status: number }) => error);
    expect(missing).toMatchObject({ status: 404 });
    // Without the Secrets permission, an installation is refused, told which permission would do.
    const refused = await call('GET', `/orgs/${org}/actions/secrets/DEPLOY_TOKEN`, {
      authorization: `token ${await tokenOf(MANAGED_APP)}`,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('organization_secrets=read');
  });

  it("an enterprise's organization installations (GitHub Enterprise Cloud): the examples' fields, only for the enterprise's own app; a selection keeps at least one repository", async () => {
    const enterprise = asApp(IDRA_APP, github().enterpriseInstallation);
    const route = { enterprise: LOCAL_GITHUB_ENTERPRISE, org: target.org };
    const base = '/enterprises/{enterprise}/apps/organizations/{org}/installations';
    const found = await asApp(IDRA_APP).request('GET /enterprises/{enterprise}/installation', {
      enterprise: LOCAL_GITHUB_ENTERPRISE,
    });
    expect((found.data as { id: number }).id).toBe(github().enterpriseInstallation);
    const installed = await enterprise.request(`GET ${base}`, route);
    expect(missingFields(example('enterprise-apps/organization-installations', cloud), installed.data)).toEqual([]);
    const id = target.installations[OTHER_APP]!;
    const one = { ...route, installation_id: id };
    const reached = await enterprise.request(`GET ${base}/{installation_id}/repositories`, one);
    expect(
      missingFields(example('enterprise-apps/organization-installation-repositories', cloud), reached.data),
    ).toEqual([]);
    const refusal = (request: Promise<unknown>) =>
      request.then(
        () => undefined,
        (error: { status: number; response: { data: { message: string } } }) => [
          error.status,
          error.response.data.message,
        ],
      );
    expect(
      await refusal(
        enterprise.request(`PATCH ${base}/{installation_id}/repositories/remove`, { ...one, repositories: ['sdk'] }),
      ),
    ).toEqual([422, 'Cannot remove repositories of an installation that has access to all repositories.']);
    expect(
      await refusal(
        enterprise.request(`PATCH ${base}/{installation_id}/repositories`, {
          ...one,
          repository_selection: 'selected',
          repositories: [],
        }),
      ),
    ).toEqual([422, "You must provide at least one repository when changing the access to 'selected'."]);
    const narrowed = await enterprise.request(`PATCH ${base}/{installation_id}/repositories`, {
      ...one,
      repository_selection: 'selected',
      repositories: ['sdk'],
    });
    expect(narrowed.data).toMatchObject({ id, repository_selection: 'selected' });
    expect(
      await refusal(
        enterprise.request(`PATCH ${base}/{installation_id}/repositories/remove`, { ...one, repositories: ['sdk'] }),
      ),
    ).toEqual([422, 'Cannot remove the last repository from this installation. Uninstall this application instead.']);
    const added = await enterprise.request(`PATCH ${base}/{installation_id}/repositories/add`, {
      ...one,
      repositories: ['website', 'sdk'],
    });
    expect((added.data as { name: string }[]).map((repository) => repository.name)).toEqual(['website']);
    await enterprise.request(`PATCH ${base}/{installation_id}/repositories`, { ...one, repository_selection: 'all' });
    // The organization's own installation of idra's app is not on the enterprise: to it, these routes are absent.
    expect(await refusal(installation().request(`GET ${base}`, route))).toEqual([404, 'Not Found']);
  });

  it("an OAuth app's own endpoints (Basic with its client id and secret): check a token (the example's fields), revoke the grant (204), after which its tokens are gone", async () => {
    const login = `${target.org}-user`;
    const { oauthApps, oauthTokens } = await seedGithub(github().endpoint, {
      oauthApps: [{ name: `${target.org}-app`, owner: target.org }],
      oauthTokens: [{ app: `${target.org}-app`, login }],
    });
    const { clientId, clientSecret } = oauthApps[0]!;
    const token = oauthTokens[0]!.token;
    expect(token).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    const basic = (secret: string) => ({
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/json',
    });
    const body = JSON.stringify({ access_token: token });
    const checked = await call('POST', `/applications/${clientId}/token`, basic(clientSecret), body);
    expect(checked.status).toBe(200);
    expect(missingFields(example('apps/check-token'), checked.json)).toEqual([]);
    expect(checked.json).toMatchObject({ user: { login }, app: { client_id: clientId } });
    expect((await call('POST', `/applications/${clientId}/token`, basic('wrong'), body)).status).toBe(401);
    // Another app's path, or a token instead of the app's credentials: as good as absent.
    expect((await call('POST', `/applications/Ov23lielsewhere000/token`, basic(clientSecret), body)).status).toBe(404);
    expect(
      (await call('POST', `/applications/${clientId}/token`, { authorization: `token ${token}` }, body)).status,
    ).toBe(404);
    expect((await call('GET', '/user', { authorization: `token ${token}` })).json).toMatchObject({ login });
    expect((await call('DELETE', `/applications/${clientId}/grant`, basic(clientSecret), '{}')).status).toBe(422);
    expect((await call('DELETE', `/applications/${clientId}/grant`, basic(clientSecret), body)).status).toBe(204);
    expect((await call('POST', `/applications/${clientId}/token`, basic(clientSecret), body)).status).toBe(404);
    expect((await call('GET', '/user', { authorization: `token ${token}` })).status).toBe(401);
  });

  it('lists page by Link headers (30 by default, per_page up to 100), and Octokit follows them', async () => {
    const many = Array.from({ length: 35 }, (_, index) => ({ title: `key ${index}`, key: sshPublicKey(`k${index}`) }));
    await seedGithub(github().endpoint, { repositories: [{ owner: target.org, name: 'many-keys', deployKeys: many }] });
    const first = await installation().rest.repos.listDeployKeys({ owner: target.org, repo: 'many-keys' });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=2');
    const all = await installation().paginate(installation().rest.repos.listDeployKeys, {
      owner: target.org,
      repo: 'many-keys',
      per_page: 10,
    });
    expect(all.map((key) => key.title)).toEqual(many.map((key) => key.title));
  });

  it('rate limits: x-ratelimit-* on each answer; a secondary limit is 403 (or 429) with retry-after; a spent hour is 403 with remaining 0', async () => {
    const token = await tokenOf(MANAGED_APP);
    const fine = await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `token ${token}` });
    expect(Number(fine.headers.get('x-ratelimit-limit'))).toBe(5000);
    expect(Number(fine.headers.get('x-ratelimit-remaining'))).toBe(5000 - Number(fine.headers.get('x-ratelimit-used')));
    expect(fine.headers.get('x-ratelimit-resource')).toBe('core');
    await limitCaller(
      { installationId: target.installations[MANAGED_APP]! },
      {
        secondary: { requests: 1, retryAfter: 7, status: 429 },
      },
    );
    const secondary = await call('GET', `/repos/${target.org}/${target.repo}/keys`, {
      authorization: `token ${token}`,
    });
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get('retry-after')).toBe('7');
    expect(secondary.json.message).toMatch(/secondary rate limit/);
    expect(
      (await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `token ${token}` })).status,
    ).toBe(200);
    await limitCaller({ installationId: target.installations[MANAGED_APP]! }, { limit: 1 });
    const spent = await call('GET', `/repos/${target.org}/${target.repo}/keys`, { authorization: `token ${token}` });
    await limitCaller({ installationId: target.installations[MANAGED_APP]! }, { limit: 5000 });
    expect(spent.status).toBe(403);
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(spent.json.message).toMatch(/^API rate limit exceeded for installation ID \d+\.$/);
  });

  it('refuses an unknown X-GitHub-Api-Version, a body beyond its limit and a body that is not JSON', async () => {
    const auth = { authorization: `token ${await tokenOf(IDRA_APP)}` };
    const path = `/repos/${target.org}/${target.repo}/keys`;
    expect(await call('GET', path, { ...auth, 'x-github-api-version': '2020-01-01' })).toMatchObject({ status: 400 });
    expect(
      (await call('GET', path, { ...auth, 'x-github-api-version': '2022-11-28' })).headers.get(
        'x-github-api-version-selected',
      ),
    ).toBe('2022-11-28');
    expect(await call('POST', path, auth, '{"key": ')).toMatchObject({
      status: 400,
      json: { message: 'Problems parsing JSON' },
    });
    expect((await call('POST', path, auth, JSON.stringify({ key: 'x'.repeat(2 * 1024 * 1024) }))).status).toBe(413);
  });
});

/** An app JWT as GitHub's docs describe it (RS256, iss the app id), living `lifetime` seconds. */
async function appJwt(slug: string, lifetime = 540): Promise<string> {
  const app = github().apps.find((candidate) => candidate.slug === slug)!;
  const now = Math.floor(Date.now() / 1000) - 30;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(String(app.id))
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(await importPKCS8(app.privateKey, 'RS256'));
}
