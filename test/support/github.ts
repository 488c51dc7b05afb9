import { randomBytes } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { inject } from 'vitest';
import { type GithubOrg, integrationSignal, LOCAL_GITHUB_APPS, seedGithubOrg } from '../../infra/github-emulator';

/** The local GitHub of this test run and its apps (their private keys: test-only, made for this run). */
export const github = () => inject('github');

/** Apps seeded once per run (infra/github-emulator.ts). */
export const { idra: IDRA_APP, managed: MANAGED_APP, other: OTHER_APP } = LOCAL_GITHUB_APPS;
export type { GithubOrg };
export { integrationSignal };

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

/** A fresh organization (infra/github-emulator.ts `seedGithubOrg`), so tests never share state. */
export function createOrg(properties: Record<string, string> = {}): Promise<GithubOrg> {
  return seedGithubOrg(github().endpoint, `acme-${randomBytes(4).toString('hex')}`, properties);
}

/** The Actions secrets every seeded organization holds (infra/github-emulator.ts). */
export const ORG_SECRETS = ['NPM_TOKEN', 'DEPLOY_TOKEN', 'SLACK_WEBHOOK'] as const;

/** What GitHub holds for an organization, as its owners would see it: installations, deploy keys, token access, secrets. */
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
  const secret = async (name: string) => {
    const { visibility } = (await owner.rest.actions.getOrgSecret({ org: target.org, secret_name: name })).data;
    if (visibility !== 'selected') return { visibility };
    const listed = await owner.rest.actions.listSelectedReposForOrgSecret({ org: target.org, secret_name: name });
    return { visibility, repositories: listed.data.repositories.map((repository) => repository.name).sort() };
  };
  return {
    installations: { [MANAGED_APP]: await installation(MANAGED_APP), [OTHER_APP]: await installation(OTHER_APP) },
    deployKeys: { [target.repo]: await keys(target.repo), [target.otherRepo]: await keys(target.otherRepo) },
    tokenAccess: grants,
    secrets: Object.fromEntries(
      await Promise.all(ORG_SECRETS.map(async (name) => [name, await secret(name)] as const)),
    ),
  };
}

/** A secret-scanning alert as its repository's owners see it. */
export async function alertState(org: string, repo: string, number: string) {
  const owner = asApp(IDRA_APP, (await asApp(IDRA_APP).rest.apps.getOrgInstallation({ org })).data.id);
  const { data } = await owner.rest.secretScanning.getAlert({ owner: org, repo, alert_number: Number(number) });
  return { state: data.state, resolution: data.resolution ?? null, comment: data.resolution_comment ?? null };
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
