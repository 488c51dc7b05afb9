import { createGithubServer } from './server';

/** Runs the local GitHub on its own: GITHUB_EMULATOR_HOST (default loopback), GITHUB_EMULATOR_PORT (default 8086). */
const host = process.env.GITHUB_EMULATOR_HOST ?? '127.0.0.1';
const port = Number(process.env.GITHUB_EMULATOR_PORT ?? 8086);
const server = createGithubServer();
server.listen(port, host, () => console.log(`idra local GitHub on http://${host}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());
