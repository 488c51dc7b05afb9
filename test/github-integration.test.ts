import { describe, expect, it } from 'vitest';
import { waitFor } from '../infra/wait-for';
import { type Identity, incidentId } from '../model/identity';
import { ValidationError } from '../model/validation';
import {
  asApp,
  alertState,
  createOrg,
  github,
  IDRA_APP,
  integrationSignal,
  limitCaller,
  MANAGED_APP,
  OTHER_APP,
  orgState,
} from './support/github';
import { LOCAL_GITHUB_ENTERPRISE, LOCAL_GITHUB_OAUTH_APP, seedGithub, seedGithubOrg } from '../infra/github-emulator';
import { createUser, userState } from './support/aws';
import { decodedHistoryText } from './support/history-text';
import { leakSignal } from './support/signals';
import { analyst, useIdra, waitForState } from './support/temporal';

const reviewer = { analyst: 'bob@example.com', reason: 'revalidated the integration against policy with its owner' };

/** Whether an app's installation can still act: a fresh token of it reads the repository's deploy keys. */
async function installationWorks(org: string, slug: string, installationId: number, repo: string): Promise<number> {
  return asApp(slug, installationId)
    .rest.repos.listDeployKeys({ owner: org, repo })
    .then(
      (response) => response.status,
      (error: { status: number }) => error.status,
    );
}

describe('third-party integrations on GitHub: quarantined until their trust is revalidated', () => {
  const env = useIdra();

  it('suspends exactly that installation (its tokens stop working), and approval lifts it exactly', async () => {
    const target = await createOrg();
    const id = target.installations[MANAGED_APP]!;
    const before = await orgState(target);
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: MANAGED_APP };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    expect(incident).toBe(`idra-restrict-github-${target.org}-installation-${id}`);
    await waitForState(env.idra, incident, 'restricted');

    const restricted = await orgState(target);
    expect(restricted.installations[MANAGED_APP]).toEqual({ suspended: true });
    // Everything else of the organization is as it was: the other app, the deploy keys, the tokens' access.
    expect({
      ...restricted,
      installations: { ...restricted.installations, [MANAGED_APP]: { suspended: false } },
    }).toEqual(before);
    expect(await installationWorks(target.org, MANAGED_APP, id, target.repo)).toBe(403);
    expect(await installationWorks(target.org, OTHER_APP, target.installations[OTHER_APP]!, target.repo)).toBe(200);

    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
    expect(await orgState(target)).toEqual(before);
    expect(await installationWorks(target.org, MANAGED_APP, id, target.repo)).toBe(200);
  });

  it('an owner unsuspends it meanwhile (no watch): drift at the approval, left as they set it, for review', async () => {
    const target = await createOrg();
    const id = target.installations[MANAGED_APP]!;
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: MANAGED_APP };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    await waitForState(env.idra, incident, 'restricted');
    await asApp(MANAGED_APP).rest.apps.unsuspendInstallation({ installation_id: id });

    const review = await env.idra.approve(incident, reviewer);
    expect(review.state).toBe('needs_review');
    expect(review.changes.find((receipt) => receipt.operation === 'compensate')?.drift?.note).toBe(
      'already restored by someone else',
    );
    expect((await orgState(target)).installations[MANAGED_APP]).toEqual({ suspended: false });
  });

  it('an app whose key idra does not hold cannot be suspended: the step fails at once, saying why, and nothing changed', async () => {
    const target = await createOrg();
    const id = target.installations[OTHER_APP]!;
    const before = await orgState(target);
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: OTHER_APP };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    const failed = await waitForState(env.idra, incident, 'restriction_failed');
    expect(failed.failures).toEqual([expect.stringContaining(`idra holds no private key of GitHub App ${OTHER_APP}`)]);
    expect(await orgState(target)).toEqual(before);
    await env.idra.rollback(incident, analyst);
  });

  it('removes exactly that deploy key; re-adding it meanwhile is tampering, removed again; approval puts it back as it was', async () => {
    const target = await createOrg();
    const [key, sibling] = target.deployKeys;
    const before = await orgState(target);
    const identity = { kind: 'deploy_key', owner: target.org, repo: target.repo, keyId: String(key!.id) };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    await waitForState(env.idra, incident, 'restricted');
    const restricted = await orgState(target);
    expect(restricted.deployKeys[target.repo]).toEqual(
      before.deployKeys[target.repo]!.filter((entry) => entry.key === sibling!.key),
    );
    expect(restricted.deployKeys[target.otherRepo]).toEqual(before.deployKeys[target.otherRepo]);

    // Someone adds the same public key back (GitHub gives it a new id): the watch sees the key, not an id.
    const owner = asApp(IDRA_APP, target.installations[IDRA_APP]);
    await owner.rest.repos.createDeployKey({
      owner: target.org,
      repo: target.repo,
      key: key!.key,
      title: 'sneaked back',
    });
    const seen = await waitForState(env.idra, incident, 'restricted', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({ action: 'github.deployKey.remove', response: 'reapplied' });
    await waitFor('the key to be gone again', async () =>
      (await orgState(target)).deployKeys[target.repo]!.every((entry) => entry.key !== key!.key),
    );

    const restored = await env.idra.approve(incident, reviewer);
    expect(restored.state).toBe('restored');
    expect(await orgState(target)).toEqual(before);
    // Back under a new id: the undo's receipt maps the id the signal named to it.
    const keys = await owner.rest.repos.listDeployKeys({ owner: target.org, repo: target.repo });
    const backAs = keys.data.find((entry) => entry.key === key!.key)!.id;
    expect(backAs).not.toBe(key!.id);
    const undo = restored.changes.find(
      (receipt) => receipt.operation === 'compensate' && receipt.action === 'github.deployKey.remove',
    );
    expect(undo?.reference).toEqual({ keyId: String(key!.id), restoredKeyId: String(backAs) });
  });

  it("a third-party app idra cannot suspend: the organization's secrets it reads are narrowed, never widened; re-sharing is tampering; approval restores each", async () => {
    // The inventory gives this app on this organization tier ci, which test-github-ci-secrets answers.
    const target = await seedGithubOrg(github().endpoint, 'ci-partners');
    const before = await orgState(target);
    const id = target.installations[OTHER_APP]!;
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: OTHER_APP };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    const restricted = await waitForState(env.idra, incident, 'restricted');
    expect(restricted.plan?.stages.flat().map((step) => step.target)).toEqual([
      'repositories of Actions secrets NPM_TOKEN, DEPLOY_TOKEN of ci-partners',
    ]);
    // The private secret never reaches the public sdk repository, though the playbook keeps it.
    expect((await orgState(target)).secrets).toEqual({
      NPM_TOKEN: { visibility: 'selected', repositories: ['payments'] },
      DEPLOY_TOKEN: { visibility: 'selected', repositories: ['payments'] },
      SLACK_WEBHOOK: before.secrets.SLACK_WEBHOOK,
    });
    expect({ ...(await orgState(target)), secrets: before.secrets }).toEqual(before);

    const owner = asApp(IDRA_APP, target.installations[IDRA_APP]);
    const website = (await owner.rest.repos.get({ owner: target.org, repo: target.otherRepo })).data.id;
    await owner.rest.actions.addSelectedRepoToOrgSecret({
      org: target.org,
      secret_name: 'DEPLOY_TOKEN',
      repository_id: website,
    });
    const seen = await waitForState(env.idra, incident, 'restricted', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({ action: 'github.orgSecret.narrowRepositories', response: 'reapplied' });
    await waitFor('the secret to be narrowed again', async () => {
      const { secrets } = await orgState(target);
      return (
        JSON.stringify(secrets.DEPLOY_TOKEN) === JSON.stringify({ visibility: 'selected', repositories: ['payments'] })
      );
    });

    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
    expect(await orgState(target)).toEqual(before);
  });

  it("a third-party app on an enterprise's organization: narrowed to the playbook's repositories it reached; widening it back is tampering; approval gives it all again", async () => {
    // The inventory gives this app on this organization tier ci-narrow, which test-github-ci-narrow answers.
    const target = await seedGithubOrg(github().endpoint, 'enterprise-partners');
    const before = await orgState(target);
    const id = target.installations[OTHER_APP]!;
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: OTHER_APP };
    const reaches = async (repo: string) => (await installationWorks(target.org, OTHER_APP, id, repo)) === 200;
    expect([await reaches('payments'), await reaches('website'), await reaches('sdk')]).toEqual([true, true, true]);
    const { incident } = await env.idra.respond(integrationSignal(identity));
    await waitForState(env.idra, incident, 'restricted');
    // The playbook keeps Payments, sdk and a repository that does not exist: the app keeps the two it reached.
    expect([await reaches('payments'), await reaches('website'), await reaches('sdk')]).toEqual([true, false, true]);
    expect(await orgState(target)).toEqual(before);

    const enterprise = asApp(IDRA_APP, github().enterpriseInstallation);
    await enterprise.request(
      'PATCH /enterprises/{enterprise}/apps/organizations/{org}/installations/{installation_id}/repositories/add',
      { enterprise: LOCAL_GITHUB_ENTERPRISE, org: target.org, installation_id: id, repositories: ['website'] },
    );
    const seen = await waitForState(env.idra, incident, 'restricted', 30_000, (view) => view.tampering.length > 0);
    expect(seen.tampering[0]).toMatchObject({
      action: 'github.installation.narrowRepositories',
      response: 'reapplied',
    });
    await waitFor('the installation to be narrowed again', async () => !(await reaches('website')));

    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
    expect([await reaches('payments'), await reaches('website'), await reaches('sdk')]).toEqual([true, true, true]);
    const { data } = await asApp(OTHER_APP).rest.apps.getInstallation({ installation_id: id });
    expect(data.repository_selection).toBe('all');
  });

  it('a leaked fine-grained token: nothing changes until approval, then exactly its access is revoked, for good', async () => {
    const target = await createOrg();
    const [leaked, other] = target.tokens;
    const before = await orgState(target);
    const identity = { kind: 'fine_grained_token', org: target.org, tokenId: String(leaked!.tokenId) };
    const { incident } = await env.idra.respond({
      ...integrationSignal(identity),
      type: 'credential.leaked',
      evidence: { summary: 'github_pat_ token in a public gist' },
    });
    const waiting = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(waiting.plan?.afterApproval.map((step) => step.action)).toEqual(['github.fineGrainedToken.revoke']);
    expect(await orgState(target)).toEqual(before);

    expect((await env.idra.approve(incident, reviewer)).state).toBe('confirmed');
    expect((await orgState(target)).tokenAccess).toEqual([other!.tokenId]);
    // Confirmed is final: there is no undo to ask for.
    await expect(env.idra.rollback(incident, analyst)).rejects.toThrow(/already completed/);
  });

  it('a leaked AWS key GitHub reported: deleted on approval, and its secret-scanning alert closed as revoked', async () => {
    const target = await createOrg();
    const [repository] = (
      await seedGithub(github().endpoint, {
        repositories: [
          {
            owner: target.org,
            name: target.repo,
            alerts: [{ secretType: 'aws_access_key_id', secret: 'AKIA-example' }],
          },
        ],
      })
    ).repositories;
    const number = String(repository!.alertNumbers[0]);
    const user = await createUser('reported', { tags: { 'test:playbook': 'leak-alert' } });
    const alert = { provider: 'github', owner: target.org, repo: target.repo, number };
    const { incident } = await env.idra.respond(leakSignal(user, 0, { alert }));
    const waiting = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(waiting.plan?.afterApproval.map((step) => [step.action, step.target])).toEqual([
      ['aws.accessKey.delete', expect.any(String)],
      ['github.secretScanningAlert.resolve', `secret-scanning alert ${number} of ${target.org}/${target.repo}`],
    ]);
    expect(await alertState(target.org, target.repo, number)).toEqual({
      state: 'open',
      resolution: null,
      comment: null,
    });

    expect((await env.idra.approve(incident, analyst)).state).toBe('confirmed');
    expect((await userState(user.userName)).keys).toEqual({});
    expect(await alertState(target.org, target.repo, number)).toEqual({
      state: 'resolved',
      resolution: 'revoked',
      comment: `revoked by idra: ${incident}`,
    });
  });

  it("a leaked OAuth token of the organization's own app: on approval its user's grant is revoked (every token of it), no one else's, and the alert closed", async () => {
    const target = await createOrg();
    const [leaky, other] = [`${target.org}-dev`, `${target.org}-ops`];
    const { oauthTokens } = await seedGithub(github().endpoint, {
      oauthTokens: [
        { app: LOCAL_GITHUB_OAUTH_APP, login: leaky },
        { app: LOCAL_GITHUB_OAUTH_APP, login: leaky },
        { app: LOCAL_GITHUB_OAUTH_APP, login: other },
      ],
    });
    const [leaked, second, bystander] = oauthTokens.map(({ token }) => token);
    const { repositories } = await seedGithub(github().endpoint, {
      repositories: [
        {
          owner: target.org,
          name: target.repo,
          alerts: [{ secretType: 'github_oauth_access_token', secret: leaked! }],
        },
      ],
    });
    const number = String(repositories[0]!.alertNumbers[0]);
    const works = async (token: string) =>
      (await fetch(`${github().endpoint}/user`, { headers: { authorization: `token ${token}` } })).status;
    const identity = { kind: 'oauth_grant', org: 'acme', clientId: github().oauthClientId, login: leaky };
    const { incident } = await env.idra.respond(
      integrationSignal(identity, {
        type: 'credential.leaked',
        alert: { provider: 'github', owner: target.org, repo: target.repo, number },
      }),
    );
    const waiting = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(waiting.plan?.afterApproval.map((step) => [step.action, step.target])).toEqual([
      ['github.oauthGrant.revoke', `${leaky}'s grant of OAuth app ${github().oauthClientId}`],
      ['github.secretScanningAlert.resolve', `secret-scanning alert ${number} of ${target.org}/${target.repo}`],
    ]);
    expect([await works(leaked!), await works(second!), await works(bystander!)]).toEqual([200, 200, 200]);

    expect((await env.idra.approve(incident, reviewer)).state).toBe('confirmed');
    expect([await works(leaked!), await works(second!), await works(bystander!)]).toEqual([401, 401, 200]);
    expect((await alertState(target.org, target.repo, number)).resolution).toBe('revoked');
    // The worker read the token to revoke the grant by it; no trace of it is recorded.
    expect(await decodedHistoryText(env.idra.client, incident)).not.toContain(leaked!);
  });

  it('a leaked key no GitHub alert reported: nothing to resolve, and the plan says so', async () => {
    const user = await createUser('unreported', { tags: { 'test:playbook': 'leak-alert' } });
    const { incident } = await env.idra.respond(leakSignal(user, 0));
    const waiting = await waitForState(env.idra, incident, 'awaiting_decision');
    expect(waiting.plan?.afterApproval.map((step) => step.action)).toEqual(['aws.accessKey.delete']);
    expect(waiting.plan?.notes).toContain(
      'github.secretScanningAlert.resolve left out: the signal gives it nothing to act on',
    );
    await env.idra.rollback(incident, analyst);
  });

  it('GitHub rate-limits the worker (secondary limit, retry-after): the step waits as told, then suspends', async () => {
    const target = await createOrg();
    const id = target.installations[MANAGED_APP]!;
    await limitCaller({ app: MANAGED_APP }, { secondary: { requests: 2, retryAfter: 2, status: 403 } });
    const identity = { kind: 'app_installation', org: target.org, installationId: String(id), appSlug: MANAGED_APP };
    const { incident } = await env.idra.respond(integrationSignal(identity));
    await waitForState(env.idra, incident, 'restricted', 60_000);
    expect((await orgState(target)).installations[MANAGED_APP]).toEqual({ suspended: true });
    // The throttled attempts are in the history as throttling, retried after GitHub's retry-after.
    const history = await decodedHistoryText(env.idra.client, incident);
    expect(history).toMatch(
      /GitHub throttled the call on installation \d+ of GitHub App acme-deploy-bot \(retry after 2000 ms\)/,
    );
    expect((await env.idra.approve(incident, reviewer)).state).toBe('restored');
  });
});

describe('bad GitHub signals are refused with a precise error and change nothing', () => {
  const env = useIdra();
  const installation = { kind: 'app_installation', org: 'acme', installationId: '42', appSlug: 'ci-bot' };
  const loginRule = 'must be a GitHub login (1-39 letters, digits or single hyphens, not first or last)';
  const idRule = 'must be a GitHub id: a positive integer, as a string';
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing org', { ...installation, org: undefined }, 'identity.org: is required'],
    ['org with a leading hyphen', { ...installation, org: '-acme' }, `identity.org: ${loginRule}`],
    ['org with a double hyphen', { ...installation, org: 'ac--me' }, `identity.org: ${loginRule}`],
    ['org of 40 characters', { ...installation, org: 'a'.repeat(40) }, `identity.org: ${loginRule}`],
    ['installation id as a number', { ...installation, installationId: 42 }, `identity.installationId: ${idRule}`],
    ['installation id of zero', { ...installation, installationId: '0' }, `identity.installationId: ${idRule}`],
    [
      'app slug in capitals',
      { ...installation, appSlug: 'CI-Bot' },
      'identity.appSlug: must be a GitHub App slug (1-34 lower-case letters, digits, hyphens)',
    ],
    [
      'repository named ..',
      { kind: 'deploy_key', owner: 'acme', repo: '..', keyId: '7' },
      'identity.repo: must be a repository name (1-100 of letters, digits and ._-)',
    ],
    [
      'repository with a slash',
      { kind: 'deploy_key', owner: 'acme', repo: 'a/b', keyId: '7' },
      'identity.repo: must be a repository name (1-100 of letters, digits and ._-)',
    ],
    [
      'deploy key without its id',
      { kind: 'deploy_key', owner: 'acme', repo: 'payments' },
      'identity.keyId: is required',
    ],
    [
      'token id with letters',
      { kind: 'fine_grained_token', org: 'acme', tokenId: '12a' },
      `identity.tokenId: ${idRule}`,
    ],
    [
      'unknown kind',
      { kind: 'oauth_app', org: 'acme' },
      'identity.kind: unknown identity kind "oauth_app" (one of: app_installation, deploy_key, fine_grained_token, oauth_grant)',
    ],
    [
      'OAuth client id not one',
      { kind: 'oauth_grant', org: 'acme', clientId: 'Ov23/../x', login: 'dev' },
      'identity.clientId: must be an OAuth app client id (8-40 letters, digits and dots)',
    ],
    ['fields of another kind', { ...installation, repo: 'payments' }, 'identity: unknown field(s) "repo"'],
  ];

  it.each(cases)('%s', async (_name, identity, problem) => {
    const error = await env.idra.respond(integrationSignal(identity)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([problem]);
  });

  it('started nothing', async () => {
    const identity = integrationSignal(installation).identity as unknown as Identity;
    await expect(
      env.idra.client.workflow.getHandle(incidentId(identity, 'restrict_until_approved')).describe(),
    ).rejects.toThrow();
  });
});
