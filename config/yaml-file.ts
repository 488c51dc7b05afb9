import fs from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { describeIssues } from '../model/validation';

/** Configuration that cannot be used, with every problem named by file and field. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a YAML file and validates it, returning either the value or the problems, each prefixed with the
 * file (and for YAML syntax errors, the line).
 */
export function readYamlFile<T>(file: string, schema: z.ZodType<T>): { value?: T; problems: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { problems: [`${file}: cannot read: ${(error as Error).message}`] };
  }
  return parseYaml(text, schema, file);
}

/**
 * Parses and validates YAML text from `source`. Hostile text gets problems, never an exception: duplicate
 * keys are refused, an alias bomb (one alias expanding to millions of nodes) or nesting too deep to walk
 * is named as such.
 */
export function parseYaml<T>(text: string, schema: z.ZodType<T>, source: string): { value?: T; problems: string[] } {
  const lineCounter = new LineCounter();
  let value: unknown;
  try {
    const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
    if (document.errors.length) {
      return {
        problems: document.errors.map(
          (error) => `${source}: line ${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`,
        ),
      };
    }
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof RangeError ? 'nested too deeply' : (error as Error).message.split('\n')[0];
    return { problems: [`${source}: cannot be read as YAML: ${reason}`] };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    return { problems: describeIssues(parsed.error.issues).map((problem) => `${source}: ${problem}`) };
  return { value: parsed.data, problems: [] };
}
