import { randomBytes } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { inject } from 'vitest';
import { LOCAL_GITHUB_APPS, seedGithub, sshPublicKey } from '../../infra/github-emulator';
import { providerDefinition, workerPermissions } from '../../providers/catalog';

/** The local GitHub of this test run and its apps (their private keys: test-only, made for this run). */
export const github = () => inject('github');

/** Apps seeded once per run (infra/github-emulator.ts). */
export const { idra: IDRA_APP, managed: MANAGED_APP, other: OTHER_APP } = LOCAL_GITHUB_APPS;

/** A client acting as an app (its JWT), or as its installation when given one: as the app itself would. */
export function asApp(slug: string, installationId?: number): Octokit {
  const app = github().apps.find((candidate) => candidate.slug === slug);
  if (!app) throw new Error(`no app ${slug} in this run`);
  return new Octokit({
    baseUrl: github().endpoint,
    authStrategy: createAppAuth,
    auth: { appId: app.id, privateKey: app.privateKey, ...(installationId ? { installationId } : {}) },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}

/** What idra's app is given on an organization: exactly what `idra permissions github` prints. */
export const idraPermissions = () =>
  (
    providerDefinition('github').workerPolicy(workerPermissions('github')) as {
      default_permissions: Record<string, 'read' | 'write'>;
    }
  ).default_permissions;

export interface GithubOrg {
  org: string;
  repo: string;
  otherRepo: string;
  installations: Record<string, number>;
  deployKeys: { id: number; key: string; title: string }[];
  otherRepoKeys: number[];
  tokens: { id: number; tokenId: number; owner: string }[];
}

/**
 * A fresh organization, so tests never share state: idra's app installed with its permissions, the managed
 * app and a bystander app installed too, a repository with two deploy keys, another with one, and two
 * fine-grained tokens with access. `properties`: the repository's custom properties (a deploy key's tags).
 */
export async function createOrg(properties: Record<string, string> = {}): Promise<GithubOrg> {
  const org = `acme-${randomBytes(4).toString('hex')}`;
  const keys = [sshPublicKey('deploy@ci'), sshPublicKey('deploy@docs')];
  const seeded = await seedGithub(github().endpoint, {
    repositories: [
      {
        owner: org,
        name: 'payments',
        properties,
        deployKeys: [
          { title: 'ci deploy', key: keys[0]!, readOnly: false },
          { title: 'docs mirror', key: keys[1]!, readOnly: true },
        ],
      },
      { owner: org, name: 'website', deployKeys: [{ title: 'web deploy', key: sshPublicKey('web') }] },
    ],
    installations: [
      { app: IDRA_APP, org, permissions: idraPermissions() },
      { app: MANAGED_APP, org, permissions: { contents: 'write', administration: 'read' } },
      { app: OTHER_APP, org, permissions: { contents: 'read', administration: 'read' } },
    ],
    patGrants: [
      { org, owner: 'dev-one', tokenName: 'release script' },
      { org, owner: 'dev-two', tokenName: 'laptop' },
    ],
  });
  const [payments, website] = seeded.repositories;
  return {
    org,
    repo: 'payments',
    otherRepo: 'website',
    installations: Object.fromEntries(seeded.installations.map(({ app, id }) => [app, id])),
    deployKeys: (payments?.deployKeyIds ?? []).map((id, index) => ({
      id,
      key: keys[index]!,
      title: index === 0 ? 'ci deploy' : 'docs mirror',
    })),
    otherRepoKeys: website?.deployKeyIds ?? [],
    tokens: seeded.patGrants.map(({ id, tokenId, owner }) => ({ id, tokenId, owner })),
  };
}

/** What GitHub holds for an organization, as its owners would see it: installations, deploy keys, token access. */
export async function orgState(target: GithubOrg) {
  const installation = async (slug: string) => {
    const { data } = await asApp(slug).rest.apps.getInstallation({ installation_id: target.installations[slug]! });
    return { suspended: data.suspended_at !== null };
  };
  const owner = asApp(IDRA_APP, target.installations[IDRA_APP]);
  const keys = async (repo: string) =>
    (await owner.rest.repos.listDeployKeys({ owner: target.org, repo })).data
      .map(({ key, title, read_only }) => ({ key, title, readOnly: read_only }))
      .sort((a, b) => a.title.localeCompare(b.title));
  const grants = (await owner.rest.orgs.listPatGrants({ org: target.org })).data.map((grant) => grant.token_id).sort();
  return {
    installations: { [MANAGED_APP]: await installation(MANAGED_APP), [OTHER_APP]: await installation(OTHER_APP) },
    deployKeys: { [target.repo]: await keys(target.repo), [target.otherRepo]: await keys(target.otherRepo) },
    tokenAccess: grants,
  };
}

/** A detector's report of suspicious traffic from an integration. */
export function integrationSignal(identity: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    source: 'github-audit-stream',
    type: 'integration.traffic.suspicious',
    severity: 'high',
    observedAt: '2026-12-02T10:00:00Z',
    identity: { provider: 'github', ...identity },
    evidence: { summary: 'cloned 140 repositories in 3 minutes from an unknown ASN' },
    ...overrides,
  };
}

/**
 * Sets the rate limits of one installation, or of an app's own JWT calls, in the local GitHub: a secondary
 * limit (the next `requests` calls are refused, to come back after `retryAfter` s) or the hourly budget.
 */
export async function limitCaller(
  caller: { installationId: number } | { app: string },
  limits: { secondary?: { requests: number; retryAfter: number; status: 403 | 429 }; limit?: number },
): Promise<void> {
  const who = 'app' in caller ? { appId: github().apps.find((app) => app.slug === caller.app)?.id } : caller;
  const response = await fetch(`${github().endpoint}/emulator/rate-limits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...who, ...limits }),
  });
  if (!response.ok) throw new Error(`setting the local GitHub's rate limits failed: ${response.status}`);
}
