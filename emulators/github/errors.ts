const DOCS = 'https://docs.github.com/rest';

/** One entry of a 422's `errors[]`: which field of which resource, and GitHub's code for what is wrong. */
export interface FieldError {
  resource: string;
  field?: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

/** An error the local GitHub answers with, in GitHub's shape: `{message, documentation_url, status}` (422s add `errors[]`). */
export class GithubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; documentationUrl?: string } = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      documentation_url: this.extra.documentationUrl ?? DOCS,
      status: String(this.status),
    };
  }
}

/** GitHub answers 404 for what does not exist and for what the caller may not see alike. */
export const notFound = () => new GithubError(404, 'Not Found');

export const validationFailed = (errors: FieldError[]) => new GithubError(422, 'Validation Failed', { errors });

/** What an integration's token may not do: the header names the permission that would allow it. */
export const notAccessible = (accepted?: string) =>
  new GithubError(403, 'Resource not accessible by integration', {
    headers: accepted ? { 'x-accepted-github-permissions': accepted } : {},
  });
