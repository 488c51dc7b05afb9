import { createGcpServer } from './server';

/** Runs the local GCP server on its own: GCP_EMULATOR_PORT (default 8085), on loopback. */
const port = Number(process.env.GCP_EMULATOR_PORT ?? 8085);
const server = createGcpServer();
server.listen(port, '127.0.0.1', () => console.log(`idra local GCP on http://127.0.0.1:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
