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
});
