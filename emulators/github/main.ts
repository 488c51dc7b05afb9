import { createGithubServer } from './server';

/**
 * Runs the local GitHub on its own: GITHUB_EMULATOR_HOST (default loopback), GITHUB_EMULATOR_PORT (default
 * 8086). With GITHUB_EMULATOR_DEMO_DIR (the compose demo), it seeds its apps and the organization acme once
 * listening, and writes the keys idra's worker holds into that folder.
 */
const host = process.env.GITHUB_EMULATOR_HOST ?? '127.0.0.1';
const port = Number(process.env.GITHUB_EMULATOR_PORT ?? 8086);
const demoDir = process.env.GITHUB_EMULATOR_DEMO_DIR;
const server = createGithubServer();
server.listen(port, host, () => {
  console.log(`idra local GitHub on http://${host}:${port}`);
  if (demoDir)
    seedDemo(`http://127.0.0.1:${port}`, demoDir).catch((error: unknown) => {
      console.error(`idra local GitHub: seeding the demo failed: ${String(error)}`);
      process.exit(1);
    });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close());

async function seedDemo(endpoint: string, dir: string): Promise<void> {
  const { seedGithubOrg, seedLocalGithubApps } = await import('../../infra/github-emulator');
  await seedLocalGithubApps(endpoint, dir);
  const org = await seedGithubOrg(endpoint, 'acme');
  console.log(`seeded: organization acme, installations ${JSON.stringify(org.installations)}; keys in ${dir}`);
}
