import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type ServiceProcess, startService } from './service-process';

const run = promisify(execFile);

/** The role Temporal connects as: the cluster's superuser, so it creates its own databases. */
export const POSTGRES_USER = 'temporal';

export interface Postgres extends ServiceProcess {
  host: string;
  port: number;
}

/**
 * The binaries of the newest PostgreSQL installed from Debian's packages (scripts/ensure-postgres.sh installs
 * them); Debian keeps them out of PATH, one folder per major version.
 */
export function postgresBinDir(root = '/usr/lib/postgresql'): string {
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((version) => fs.existsSync(path.join(root, version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`no PostgreSQL under ${root}: run npm run setup (scripts/ensure-postgres.sh)`);
  return path.join(root, versions[0], 'bin');
}

/**
 * PostgreSQL refuses to run as root. When we are root (CI is), the cluster belongs to the `postgres` account
 * Debian's package made, and its processes run as that account; otherwise as whoever runs this.
 */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' })));
  return { uid: uid!, gid: gid! };
}

/**
 * A PostgreSQL cluster of its own in `dataDir` (made on first use: superuser `temporal`, trust on loopback
 * only, no Unix socket), listening on 127.0.0.1:`port`. Stopping sends SIGINT: PostgreSQL's fast shutdown.
 */
export async function startPostgres(options: { dataDir: string; port: number; logFile: string }): Promise<Postgres> {
  const bin = postgresBinDir();
  const owner = clusterOwner();
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    fs.rmSync(options.dataDir, { recursive: true, force: true });
    // Only the data folder is private: the account PostgreSQL runs as must reach it through its parents.
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    fs.mkdirSync(options.dataDir, { mode: 0o700 });
    if (owner) fs.chownSync(options.dataDir, owner.uid, owner.gid);
    await run(
      path.join(bin, 'initdb'),
      ['-D', options.dataDir, '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--no-instructions'],
      { ...owner },
    );
  }
  const host = '127.0.0.1';
  const service = await startService({
    name: 'PostgreSQL',
    command: path.join(bin, 'postgres'),
    args: [
      '-D',
      options.dataDir,
      '-h',
      host,
      '-p',
      String(options.port),
      '-c',
      'unix_socket_directories=',
      // Four Temporal services, each with a pool per store, and the schema tool.
      '-c',
      'max_connections=200',
    ],
    logFile: options.logFile,
    spawnAs: owner,
    stopSignal: 'SIGINT',
    ready: async () => {
      await run(path.join(bin, 'pg_isready'), ['-q', '-h', host, '-p', String(options.port)]);
      return true;
    },
  });
  return { ...service, host, port: options.port };
}
