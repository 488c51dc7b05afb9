import { SignJWT } from 'jose';

/** A local HS256 analyst token (`idra token`, the CLI with a development secret, tests). */
export function mintAnalystToken(secret: Uint8Array, options: { analyst: string; incident?: string; audience?: string; ttl?: string }): Promise<string> {
  return new SignJWT(options.incident ? { incident: options.incident } : {})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.analyst)
    .setAudience(options.audience ?? 'idra')
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '15m')
    .sign(secret);
}
