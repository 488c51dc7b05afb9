import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ACTION_CATALOG } from '../providers/catalog';
import { PLAYBOOKS_DOC, withGeneratedActions } from '../scripts/docs';

const run = promisify(execFile);
const cli = path.join(__dirname, '..', 'bin', 'idra.js');

describe('the self-describing catalog: what users read first', () => {
  it('idra actions --json describes every action, its parameters as JSON Schema', async () => {
    const { stdout } = await run(process.execPath, [cli, 'actions', '--json']);
    const actions = JSON.parse(stdout) as {
      name: string;
      params: { type?: string; properties?: Record<string, unknown> };
    }[];
    expect(actions.map((action) => action.name)).toEqual([...ACTION_CATALOG.keys()]);
    for (const action of actions)
      expect([action.name, action.params.type, Object.keys(action.params.properties ?? {}).length > 0]).toEqual([
        action.name,
        'object',
        true,
      ]);
  });

  it('idra actions prints every action for people', async () => {
    const { stdout } = await run(process.execPath, [cli, 'actions']);
    for (const [name, spec] of ACTION_CATALOG)
      expect(stdout).toContain(`${name}${spec.reversible ? '' : '  (irreversible)'}\n  ${spec.summary}`);
  });

  it('docs/playbooks.md carries the actions table as the catalog makes it (npm run docs)', () => {
    const doc = fs.readFileSync(PLAYBOOKS_DOC, 'utf8');
    expect(withGeneratedActions(doc)).toBe(doc);
  });

  it("the README's configuration table names every IDRA_* variable the code reads, each spelt out", () => {
    const root = path.join(__dirname, '..');
    const folders = [
      'activities',
      'api',
      'auth',
      'bin',
      'clients',
      'codec',
      'config',
      'ingest',
      'infra',
      'model',
    ].concat(['policy', 'providers', 'scripts', 'workers', 'workflows']);
    const read = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|js|sh)$/.test(entry.name))
          // Read from the environment: `env.X`, `env['X']`, a schema's `X:` key, a shell's `$X`/`${X`.
          for (const [, name] of fs
            .readFileSync(file, 'utf8')
            .matchAll(/(?:env\.|env\[['"]|^\s+|\$\{?)(IDRA_[A-Z0-9_]+)(?=[\s:'"}.)?]|$)/gm))
            read.add(name!);
      }
    };
    for (const folder of folders) walk(path.join(root, folder));
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Deployment beyond one machine'));
    expect(read.size).toBeGreaterThan(40);
    expect([...read].filter((name) => !table.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
