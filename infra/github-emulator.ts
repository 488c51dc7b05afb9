import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { listenOnLoopback, type LocalServer } from './local-server';
import { createGithubServer } from '../emulators/github/server';
import type { Seed, Seeded } from '../emulators/github/emulator-admin';

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

export interface LocalGithubApps {
  apps: Seeded['apps'];
  /** The GitHub worker's configuration for them: its own app and key file, the managed apps' file. */
  env: Record<string, string>;
}

/**
 * Seeds the local GitHub's apps and writes the keys idra's worker holds into `dir` (the others' keys stay
 * with the caller, as their owners would keep them): what tests and `npm start` give the GitHub worker.
 */
export async function seedLocalGithubApps(endpoint: string, dir: string): Promise<LocalGithubApps> {
  const { apps } = await seedGithub(endpoint, {
    apps: Object.values(LOCAL_GITHUB_APPS).map((slug) => ({ slug, owner: 'acme' })),
  });
  const app = (slug: string) => apps.find((candidate) => candidate.slug === slug)!;
  const keyFile = (slug: string) => {
    const file = path.join(dir, `${slug}.pem`);
    fs.writeFileSync(file, app(slug).privateKey, { mode: 0o600 });
    return file;
  };
  const managedFile = path.join(dir, 'github-managed-apps.json');
  const managed = app(LOCAL_GITHUB_APPS.managed);
  fs.writeFileSync(
    managedFile,
    JSON.stringify([{ slug: managed.slug, appId: managed.id, privateKeyFile: keyFile(managed.slug) }]),
  );
  return {
    apps,
    env: {
      IDRA_GITHUB_API_URL: endpoint,
      IDRA_GITHUB_APP_ID: String(app(LOCAL_GITHUB_APPS.idra).id),
      IDRA_GITHUB_PRIVATE_KEY_FILE: keyFile(LOCAL_GITHUB_APPS.idra),
      IDRA_GITHUB_MANAGED_APPS_FILE: managedFile,
    },
  };
}
