import fs from 'node:fs';
import path from 'node:path';
import { playbookProblems } from '../policy/check-playbook';
import { type Playbook, playbookSchema } from '../policy/playbook';
import { ConfigError, readYamlFile } from './yaml-file';

/**
 * Loads every playbook (*.yaml, *.yml) of a folder. All or nothing: one bad playbook refuses the set,
 * with every problem named by file and field, so a worker never starts on a half-valid policy.
 */
export function loadPlaybooks(dir: string): Playbook[] {
  let files: string[];
  try {
    files = fs
      .readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort();
  } catch (error) {
    throw new ConfigError([`${dir}: cannot read the playbook folder: ${(error as Error).message}`]);
  }
  if (files.length === 0) throw new ConfigError([`${dir}: no playbooks (*.yaml) found`]);
  const problems: string[] = [];
  const playbooks: Playbook[] = [];
  const owners = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    const { value, problems: fileProblems } = readYamlFile(file, playbookSchema);
    problems.push(...fileProblems);
    if (!value) continue;
    problems.push(...playbookProblems(value).map((problem) => `${file}: ${problem}`));
    const owner = owners.get(value.id);
    if (owner) problems.push(`${file}: id: "${value.id}" is already used by ${owner}`);
    owners.set(value.id, file);
    playbooks.push(value);
  }
  if (problems.length) throw new ConfigError(problems);
  return playbooks;
}
