import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listenOnLoopback, type LocalServer } from './local-server';
import { createGithubServer } from '../emulators/github/server';
import type { Seed, Seeded } from '../emulators/github/emulator-admin';
import type { Permissions } from '../emulators/github/state';
import { providerDefinition, workerPermissions } from '../providers/catalog';

export type GithubEmulator = LocalServer;

/** Starts the local GitHub (emulators/github) in this process, on loopback. */
export function startGithubEmulator(port = 0): Promise<GithubEmulator> {
  return listenOnLoopback(createGithubServer(), 'the local GitHub', port);
}

/** Creates apps (their private keys come back once), installations, repositories and what they hold. */
export async function seedGithub(endpoint: string, seed: Seed): Promise<Seeded> {
  const response = await fetch(`${endpoint}/emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(seed),
  });
  if (!response.ok) throw new Error(`seeding the local GitHub failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Seeded;
}

/** A fresh SSH public key in OpenSSH format (ed25519), for deploy keys of tests and the demo. */
export function sshPublicKey(comment = 'idra-demo'): string {
  // An ed25519 key blob: its type name and 32 key bytes, each length-prefixed (RFC 4253, RFC 8709).
  const part = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  const blob = Buffer.concat([part(Buffer.from('ssh-ed25519')), part(randomBytes(32))]);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

/** The apps of a local GitHub idra works with: its own, one it may suspend (it holds its key), a bystander. */
export const LOCAL_GITHUB_APPS = { idra: 'idra-responder', managed: 'acme-deploy-bot', other: 'partner-ci' } as const;
/** The enterprise (GitHub Enterprise Cloud) that owns the seeded organizations, idra's app installed on it. */
export const LOCAL_GITHUB_ENTERPRISE = 'acme-corp';
/** An OAuth app of the organization acme, its client secret held by idra's worker. */
export const LOCAL_GITHUB_OAUTH_APP = 'acme-dashboard';
/** Their ids: fixed, so a deployment can name idra's app before the local GitHub runs (the compose demo). */
const LOCAL_GITHUB_APP_IDS = { idra: 101, managed: 102, other: 103 } as const;

export interface LocalGithubApps {
  apps: Seeded['apps'];
  /** The id of idra's app's installation on the local enterprise. */
  enterpriseInstallation: number;
  /** The client id of the local OAuth app idra holds the secret of. */
  oauthClientId: string;
  /** The GitHub worker's configuration for them: its own app and key file, the managed apps' file. */
  env: Record<string, string>;
}

/**
 * Seeds the local GitHub's apps and writes the keys idra's worker holds into `dir` (the others' keys stay
 * with the caller, as their owners would keep them): what tests and `npm start` give the GitHub worker.
 */
export async function seedLocalGithubApps(endpoint: string, dir: string): Promise<LocalGithubApps> {
  const { apps } = await seedGithub(endpoint, {
    apps: (Object.keys(LOCAL_GITHUB_APPS) as (keyof typeof LOCAL_GITHUB_APPS)[]).map((role) => ({
      slug: LOCAL_GITHUB_APPS[role],
      owner: 'acme',
      id: LOCAL_GITHUB_APP_IDS[role],
    })),
  });
  const app = (slug: string) => apps.find((candidate) => candidate.slug === slug)!;
  const keyFile = (slug: string) => {
    const file = path.join(dir, `${slug}.pem`);
    fs.writeFileSync(file, app(slug).privateKey, { mode: 0o600 });
    return file;
  };
  // idra's app on the enterprise too: what narrowing another app's repositories takes (seedGithubOrg's
  // organizations belong to it).
  // And an OAuth app of acme's own, whose users' grants idra may revoke (it holds the client secret).
  const { installations, oauthApps } = await seedGithub(endpoint, {
    enterprises: [{ slug: LOCAL_GITHUB_ENTERPRISE, organizations: [] }],
    installations: [
      { app: LOCAL_GITHUB_APPS.idra, enterprise: LOCAL_GITHUB_ENTERPRISE, permissions: idraAppPermissions() },
    ],
    oauthApps: [{ name: LOCAL_GITHUB_OAUTH_APP, owner: 'acme' }],
  });
  const oauthApp = oauthApps[0]!;
  const secretFile = path.join(dir, `${LOCAL_GITHUB_OAUTH_APP}.secret`);
  fs.writeFileSync(secretFile, oauthApp.clientSecret, { mode: 0o600 });
  const oauthAppsFile = path.join(dir, 'github-oauth-apps.json');
  fs.writeFileSync(
    oauthAppsFile,
    JSON.stringify([{ clientId: oauthApp.clientId, clientSecretFile: secretFile, org: 'acme' }]),
  );
  const managedFile = path.join(dir, 'github-managed-apps.json');
  const managed = app(LOCAL_GITHUB_APPS.managed);
  fs.writeFileSync(
    managedFile,
    JSON.stringify([{ slug: managed.slug, appId: managed.id, privateKeyFile: keyFile(managed.slug) }]),
  );
  return {
    apps,
    enterpriseInstallation: installations[0]!.id,
    oauthClientId: oauthApp.clientId,
    env: {
      IDRA_GITHUB_API_URL: endpoint,
      IDRA_GITHUB_APP_ID: String(app(LOCAL_GITHUB_APPS.idra).id),
      IDRA_GITHUB_PRIVATE_KEY_FILE: keyFile(LOCAL_GITHUB_APPS.idra),
      IDRA_GITHUB_MANAGED_APPS_FILE: managedFile,
      IDRA_GITHUB_ENTERPRISE: LOCAL_GITHUB_ENTERPRISE,
      IDRA_GITHUB_OAUTH_APPS_FILE: oauthAppsFile,
    },
  };
}

/** What idra's app is given on an organization: exactly what `idra permissions github` prints. */
export function idraAppPermissions(): Permissions {
  const policy = providerDefinition('github').workerPolicy(workerPermissions('github'));
  return (policy as { default_permissions: Permissions }).default_permissions;
}

export interface GithubOrg {
  org: string;
  repo: string;
  otherRepo: string;
  /** Installation ids by app slug. */
  installations: Record<string, number>;
  deployKeys: { id: number; key: string; title: string }[];
  otherRepoKeys: number[];
  tokens: { id: number; tokenId: number; owner: string }[];
}

/**
 * An organization as idra meets one: idra's app installed with what `idra permissions github` prints, the
 * managed app and a bystander app installed too; a repository `payments` with two deploy keys (`properties`:
 * its custom properties, a deploy key's tags), another with one, a public one; two fine-grained tokens with
 * access; three Actions secrets (private, selected for both private repositories, all). It belongs to the
 * local enterprise.
 */
export async function seedGithubOrg(
  endpoint: string,
  org: string,
  properties: Record<string, string> = {},
): Promise<GithubOrg> {
  const keys = [
    { title: 'ci deploy', key: sshPublicKey('deploy@ci'), readOnly: false },
    { title: 'docs mirror', key: sshPublicKey('deploy@docs'), readOnly: true },
  ];
  const seeded = await seedGithub(endpoint, {
    enterprises: [{ slug: LOCAL_GITHUB_ENTERPRISE, organizations: [org] }],
    repositories: [
      { owner: org, name: 'payments', properties, deployKeys: keys },
      { owner: org, name: 'website', deployKeys: [{ title: 'web deploy', key: sshPublicKey('web') }] },
      { owner: org, name: 'sdk', private: false },
    ],
    secrets: [
      { org, name: 'NPM_TOKEN', visibility: 'private' },
      { org, name: 'DEPLOY_TOKEN', visibility: 'selected', repositories: ['payments', 'website'] },
      { org, name: 'SLACK_WEBHOOK', visibility: 'all' },
    ],
    installations: [
      { app: LOCAL_GITHUB_APPS.idra, org, permissions: idraAppPermissions() },
      { app: LOCAL_GITHUB_APPS.managed, org, permissions: { contents: 'write', administration: 'read' } },
      { app: LOCAL_GITHUB_APPS.other, org, permissions: { contents: 'read', administration: 'read' } },
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
      key: keys[index]!.key,
      title: keys[index]!.title,
    })),
    otherRepoKeys: website?.deployKeyIds ?? [],
    tokens: seeded.patGrants.map(({ id, tokenId, owner }) => ({ id, tokenId, owner })),
  };
}

/** A detector's report of suspicious traffic from a GitHub integration (`identity` without its provider). */
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

/** The identity of the managed app's installation on a seeded organization. */
export function managedInstallation(org: GithubOrg): Record<string, string> {
  return {
    kind: 'app_installation',
    org: org.org,
    installationId: String(org.installations[LOCAL_GITHUB_APPS.managed]),
    appSlug: LOCAL_GITHUB_APPS.managed,
  };
}
