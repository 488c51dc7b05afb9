import type http from 'node:http';
import { createGcpServer } from '../emulators/gcp/server';
import type { Seed, Seeded } from '../emulators/gcp/emulator-admin';

export interface GcpEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the local GCP server (emulators/gcp) in this process, on loopback. */
export async function startGcpEmulator(port = 0): Promise<GcpEmulator> {
  const server: http.Server = createGcpServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the local GCP server has no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
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
