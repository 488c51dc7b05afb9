import { createGcpServer } from './server';

/** Runs the local GCP server on its own: GCP_EMULATOR_HOST (default loopback), GCP_EMULATOR_PORT (default 8085). */
const host = process.env.GCP_EMULATOR_HOST ?? '127.0.0.1';
const port = Number(process.env.GCP_EMULATOR_PORT ?? 8085);
const server = createGcpServer();
server.listen(port, host, () => console.log(`idra local GCP server on http://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
