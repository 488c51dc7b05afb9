import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from '../config/paths';
import { type ServiceProcess, startService } from './service-process';

export interface TemporalUi extends ServiceProcess {
  url: string;
}

interface TemporalUiOptions {
  port: number;
  temporalAddress: string;
  /** The codec server the browser calls; the UI sends it the browser's cookies (the codec session). */
  codecEndpoint: string;
  /** Where its configuration is written (`<configDir>/base.yaml`). */
  configDir: string;
  logFile: string;
}

/** The Temporal UI server binary (scripts/ensure-temporal-ui.sh finds or builds it). */
function temporalUiServer(): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ensure-temporal-ui.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * Starts the Temporal UI on loopback, configured to decode payloads through idra's codec server with the
 * browser's credentials (the session cookie a login link sets): the dev server's embedded UI cannot be told
 * to send them, and a codec server that needs no credentials would decrypt for anyone.
 */
export async function startTemporalUi(options: TemporalUiOptions): Promise<TemporalUi> {
  fs.mkdirSync(options.configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    enableUi: true,
    defaultNamespace: 'default',
    hideLogs: true,
    // Its CSRF cookie over plain http on loopback, as the dev server's embedded UI does.
    cors: { cookieInsecure: true },
    codec: { endpoint: options.codecEndpoint, includeCredentials: true },
  };
  fs.writeFileSync(path.join(options.configDir, 'base.yaml'), stringify(config));
  const url = `http://localhost:${options.port}`;
  const service = await startService({
    name: 'Temporal UI',
    command: temporalUiServer(),
    args: ['--root', options.configDir, '--config', '.', '--env', 'idra', 'start'],
    logFile: options.logFile,
    ready: async () => (await fetch(`http://127.0.0.1:${options.port}/api/v1/settings`)).ok,
  });
  return { ...service, url };
}
