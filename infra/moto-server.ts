import fs from 'node:fs';
import { MOTO_SERVER_BIN } from './paths';
import { type ServiceProcess, startService } from './service-process';

export interface MotoServer extends ServiceProcess {
  endpoint: string;
}

/** Starts moto (the AWS emulator, installed in .venv by scripts/setup.sh) on loopback, with AWS's managed policies. */
export async function startMotoServer(options: {
  port: number;
  logFile: string;
  env?: NodeJS.ProcessEnv;
}): Promise<MotoServer> {
  if (!fs.existsSync(MOTO_SERVER_BIN)) throw new Error(`${MOTO_SERVER_BIN} is missing: run \`npm run setup\` first`);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const service = await startService({
    name: 'moto server',
    command: MOTO_SERVER_BIN,
    args: ['-H', '127.0.0.1', '-p', String(options.port)],
    logFile: options.logFile,
    // AWS managed policies (AdministratorAccess, ...) exist as in AWS: just-in-time grants read them.
    env: { ...(options.env ?? process.env), MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    ready: async () => (await fetch(`${endpoint}/moto-api/`)).ok,
  });
  return { ...service, endpoint };
}
