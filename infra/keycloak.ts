import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';
import { freePort } from './free-port';
import { type ServiceProcess, startService } from './service-process';

export interface KeycloakServer extends ServiceProcess {
  /** Where clients reach it, e.g. http://127.0.0.1:18080 (realms under /realms/<name>). */
  url: string;
  /** The bootstrap administrator of the master realm: only the local harness uses it, to seed realms. */
  admin: { username: string; password: string };
}

/** A project script's one line of output (its path or JAVA_HOME); it builds what is missing first. */
function scriptOutput(script: string): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** How often a start is tried again on other ports: a port found free can be taken before Keycloak binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts the real Keycloak (fetched from Maven Central and built once by scripts/ensure-keycloak.sh) in
 * development mode on loopback: its H2 database under `dataDir`, a bootstrap administrator made up here.
 * Boots in 20-40 s on 2 cores; services started beside it may take the free ports it picked meanwhile, so
 * a start that finds its port bound is tried again on others (unless the caller fixed the port).
 */
export async function startKeycloak(options: {
  dataDir: string;
  logFile: string;
  port?: number;
}): Promise<KeycloakServer> {
  // The same administrator on every attempt: a start that failed to bind may already have made it.
  const admin = { username: 'idra-bootstrap', password: randomBytes(18).toString('base64url') };
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPorts(options, admin, options.port ?? (await freePort()), await freePort());
    } catch (error) {
      const portTaken = /Port already bound|Address already in use/.test((error as Error).message);
      if (options.port !== undefined || !portTaken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnPorts(
  options: { dataDir: string; logFile: string },
  admin: KeycloakServer['admin'],
  port: number,
  managementPort: number,
): Promise<KeycloakServer> {
  const home = scriptOutput('ensure-keycloak.sh');
  const javaHome = scriptOutput('keycloak-java.sh');
  const url = `http://127.0.0.1:${port}`;
  const service = await startService({
    name: 'Keycloak',
    command: path.join(home, 'bin', 'kc.sh'),
    args: [
      'start-dev',
      '--http-host',
      '127.0.0.1',
      '--http-port',
      String(port),
      '--http-management-port',
      String(managementPort),
    ],
    env: {
      ...process.env,
      JAVA_HOME: javaHome,
      KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
      KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      KC_DB: 'dev-file',
      KC_DB_URL: `jdbc:h2:file:${path.join(options.dataDir, 'keycloak')};NON_KEYWORDS=VALUE`,
      KC_LOG_LEVEL: 'warn',
    },
    logFile: options.logFile,
    readyTimeoutMs: 180_000,
    ready: async () => (await fetch(`${url}/realms/master/.well-known/openid-configuration`)).ok,
  });
  return { ...service, url, admin };
}
