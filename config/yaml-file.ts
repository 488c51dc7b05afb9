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
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (document.errors.length) {
    return { problems: document.errors.map((error) => `${file}: line ${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`) };
  }
  const parsed = schema.safeParse(document.toJS());
  if (!parsed.success) return { problems: describeIssues(parsed.error.issues).map((problem) => `${file}: ${problem}`) };
  return { value: parsed.data, problems: [] };
}
