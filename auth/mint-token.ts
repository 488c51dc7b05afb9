import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

/**
 * A local HS256 analyst token (`idra token`, the CLI with a development secret, tests): for one analyst
 * and one incident (the guard's id for pause, resume and limits), short-lived, with its own id (`jti`) so
 * it decides at most once.
 */
export function mintAnalystToken(
  secret: Uint8Array,
  options: { analyst: string; incident: string; audience?: string; ttl?: string },
): Promise<string> {
  return new SignJWT({ incident: options.incident })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.analyst)
    .setAudience(options.audience ?? 'idra')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '5m')
    .sign(secret);
}
