import { quoted } from './quoted';

/**
 * Checks of plain data for code that must not load a validation library (workflow code: the sandbox runs
 * every module of the bundle again for each workflow, and zod alone cost ~32 ms and ~2.5 MB per workflow).
 * Problems read as the schemas' do elsewhere: "field: what is wrong", "(root): unknown field(s) ...".
 */
export type FieldCheck = (value: unknown) => string | undefined;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problems of an object with exactly these fields (each check says what is wrong with its value). */
export function objectProblems(value: unknown, fields: Record<string, FieldCheck>, at = '(root)'): string[] {
  if (!isPlainObject(value)) return [`${at}: must be an object`];
  const unknown = Object.keys(value).filter((key) => !Object.hasOwn(fields, key));
  const problems = Object.entries(fields).flatMap(([field, check]) => {
    const problem = check(value[field]);
    return problem ? [`${at === '(root)' ? field : `${at}.${field}`}: ${problem}`] : [];
  });
  if (unknown.length) {
    const named = unknown.slice(0, 5).map(quoted).join(', ');
    problems.push(`${at}: unknown field(s) ${named}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
  }
  return problems;
}

/** A required text, trimmed, within a length. */
export function text(options: { max: number; empty: string; trim?: boolean }): FieldCheck {
  return (value) => {
    if (value === undefined) return 'is required';
    if (typeof value !== 'string') return 'must be text';
    const length = (options.trim === false ? value : value.trim()).length;
    if (length === 0) return options.empty;
    if (value.length > options.max) return `must be at most ${options.max} characters`;
    return undefined;
  };
}

export function optional(check: FieldCheck): FieldCheck {
  return (value) => (value === undefined ? undefined : check(value));
}

/** A whole number within bounds. */
export function wholeNumber(min: number, max: number, words: { below?: string; above?: string } = {}): FieldCheck {
  return (value) => {
    if (value === undefined) return 'is required';
    if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be a whole number';
    if (value < min) return words.below ?? 'must be a positive whole number';
    if (value > max) return words.above ?? `must be at most ${max}`;
    return undefined;
  };
}
