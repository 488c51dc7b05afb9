/**
 * A short, stable name for a text (FNV-1a, 64 bits, hex): resource ids with tight limits (a deny policy id
 * is at most 63 of [a-z0-9-]) still carry their incident. Pure: it runs where bindings run.
 */
export function shortName(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** How a deny policy names a service account. */
export function principalOf(email: string): string {
  return `principal://iam.googleapis.com/projects/-/serviceAccounts/${email}`;
}

/** How an IAM policy binding names a service account. */
export function memberOf(email: string): string {
  return `serviceAccount:${email}`;
}
