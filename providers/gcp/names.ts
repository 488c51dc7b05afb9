import { fnv1a64 } from '../../model/content-digest';

/**
 * A short, stable name for a text: resource ids with tight limits (a deny policy id is at most 63 of
 * [a-z0-9-]) still carry their incident. Pure: it runs where bindings run.
 */
export function shortName(text: string): string {
  return fnv1a64(text);
}

/** How a deny policy names a service account. */
export function principalOf(email: string): string {
  return `principal://iam.googleapis.com/projects/-/serviceAccounts/${email}`;
}

/** How an IAM policy binding names a service account. */
export function memberOf(email: string): string {
  return `serviceAccount:${email}`;
}
