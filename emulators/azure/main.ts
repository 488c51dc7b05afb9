import fs from 'node:fs';
import { createAzureServer } from './server';

/**
 * Runs the local Azure on its own: AZURE_EMULATOR_HOST (default loopback), AZURE_EMULATOR_PORT (default
 * 8443), AZURE_EMULATOR_TLS_KEY and AZURE_EMULATOR_TLS_CERT (PEM files; clients trust their CA).
 */
const host = process.env.AZURE_EMULATOR_HOST ?? '127.0.0.1';
const port = Number(process.env.AZURE_EMULATOR_PORT ?? 8443);
const read = (name: string) => fs.readFileSync(process.env[name] ?? '', 'utf8');
const server = createAzureServer({ key: read('AZURE_EMULATOR_TLS_KEY'), cert: read('AZURE_EMULATOR_TLS_CERT') });
server.listen(port, host, () => console.log(`idra local Azure on https://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
