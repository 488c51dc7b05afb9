import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a presented secret is the expected one, in time that does not depend on where they differ (both
 * are hashed first, so their lengths do not show either).
 */
export function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
