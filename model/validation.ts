import { z } from 'zod';
import { QUOTED_CHARS, quoted } from './quoted';

// One wording for a missing field everywhere (signals, playbooks, configuration, decisions).
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

/** Bad input, with one line per problem naming the field: "identity.accessKeyId: must be ...". */
export class ValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`invalid ${subject}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ValidationError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  const text = path.length === 0 ? '(root)' : path.map(String).join('.');
  return text.length <= QUOTED_CHARS ? text : `${text.slice(0, QUOTED_CHARS)}…`;
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.slice(0, 5).map(quoted).join(', ');
      return `${fieldPath(issue.path)}: unknown field(s) ${keys}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
    }
    return `${fieldPath(issue.path)}: ${issue.message}`;
  });
}

/** Parses input with a schema, or throws a ValidationError that names every bad field. */
export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, subject: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(subject, describeIssues(result.error.issues));
  return result.data;
}
