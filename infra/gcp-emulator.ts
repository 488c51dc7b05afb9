import { listenOnLoopback, type LocalServer } from './local-server';
import { createGcpServer } from '../emulators/gcp/server';
import type { Seed, Seeded } from '../emulators/gcp/emulator-admin';

export type GcpEmulator = LocalServer;

/** Starts the local GCP server (emulators/gcp) in this process, on loopback. */
export function startGcpEmulator(port = 0): Promise<GcpEmulator> {
  return listenOnLoopback(createGcpServer(), 'the local GCP server', port);
}

/** Creates projects, service accounts (with keys) and project IAM bindings in the local GCP server. */
export async function seedGcp(endpoint: string, projects: Seed[]): Promise<Seeded[]> {
  const response = await fetch(`${endpoint}/emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ projects }),
  });
  if (!response.ok) throw new Error(`seeding the local GCP server failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { projects: Seeded[] }).projects;
}
