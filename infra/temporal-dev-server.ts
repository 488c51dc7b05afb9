import { Connection } from '@temporalio/client';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_KEYS } from '../model/search-attributes';
import { PROJECT_ROOT } from '../config/paths';
import { freePort } from './free-port';
import { type ServiceProcess, startService } from './service-process';

export interface TemporalDevServer extends ServiceProcess {
  address: string;
}

/** The Temporal CLI binary: $TEMPORAL_CLI, a project build, or one on PATH (scripts/ensure-temporal.sh decides). */
export function temporalCli(): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'ensure-temporal.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** The CLI's names for the search attribute types idra uses. */
const CLI_TYPE_NAMES: Partial<Record<string, string>> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
};

function searchAttributeFlags(): string[] {
  return SEARCH_ATTRIBUTE_KEYS.flatMap((key) => [
    '--search-attribute',
    `${key.name}=${CLI_TYPE_NAMES[key.type] ?? key.type}`,
  ]);
}

interface DevServerOptions {
  /** A fixed port, or `any`: a free one, picked again if another process takes it before the server binds it. */
  port: number | 'any';
  dbFile: string;
  logFile: string;
  extraArgs?: string[];
}

const PORT_ATTEMPTS = 3;

/** Starts `temporal server start-dev` with SQLite persistence and idra's search attributes registered. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<TemporalDevServer> {
  if (options.port !== 'any') return startOnPort(options, options.port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(options, await freePort());
    } catch (error) {
      // A port found free can be taken before the server binds it (services start side by side).
      if (attempt >= PORT_ATTEMPTS || !(error as Error).message.includes('address already in use')) throw error;
    }
  }
}

async function startOnPort(options: DevServerOptions, port: number): Promise<TemporalDevServer> {
  const address = `127.0.0.1:${port}`;
  const service = await startService({
    name: 'Temporal dev server',
    command: temporalCli(),
    args: [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--db-filename',
      options.dbFile,
      '--log-level',
      'warn',
      // The UI runs on its own (infra/temporal-ui.ts): only there can it send the codec session.
      '--headless',
      ...searchAttributeFlags(),
      ...(options.extraArgs ?? []),
    ],
    logFile: options.logFile,
    ready: async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return true;
      } finally {
        await connection.close();
      }
    },
  });
  return { ...service, address };
}
