import fs from 'node:fs';
import https from 'node:https';
import type { AzureSeed, AzureSeeded } from '../emulators/azure/emulator-admin';
import { listenOnLoopback, type LocalServer } from './local-server';
import { createAzureServer } from '../emulators/azure/server';
import type { LocalTls } from './local-tls';

export type AzureEmulator = LocalServer;

/** Starts the local Azure (emulators/azure) in this process, over HTTPS with a certificate from `tls`, on loopback. */
export function startAzureEmulator(tls: LocalTls, port = 0): Promise<AzureEmulator> {
  return listenOnLoopback(createAzureServer(tls), 'the local Azure', port);
}

/**
 * Creates service principals (with client secrets) and their role assignments in the local Azure, trusting
 * the run's CA explicitly (this process may have started before the CA existed).
 */
export function seedAzure(endpoint: string, caFile: string, seed: AzureSeed): Promise<AzureSeeded> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${endpoint}/emulator/seed`,
      { method: 'POST', ca: fs.readFileSync(caFile), headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200)
            reject(new Error(`seeding the local Azure failed: ${response.statusCode ?? '?'} ${text}`));
          else resolve(JSON.parse(text) as AzureSeeded);
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(seed));
  });
}
