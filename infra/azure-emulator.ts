import type https from 'node:https';
import type { AzureSeed, AzureSeeded } from '../emulators/azure/emulator-admin';
import { createAzureServer } from '../emulators/azure/server';
import type { LocalTls } from './local-tls';

export interface AzureEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the local Azure (emulators/azure) in this process, over HTTPS with a certificate from `tls`, on loopback. */
export async function startAzureEmulator(tls: LocalTls, port = 0): Promise<AzureEmulator> {
  const server: https.Server = createAzureServer(tls);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the local Azure has no address');
  return { endpoint: `https://127.0.0.1:${address.port}`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Creates service principals (with client secrets) and their role assignments in the local Azure. */
export async function seedAzure(endpoint: string, seed: AzureSeed): Promise<AzureSeeded> {
  const response = await fetch(`${endpoint}/emulator/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed) });
  if (!response.ok) throw new Error(`seeding the local Azure failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as AzureSeeded;
}
