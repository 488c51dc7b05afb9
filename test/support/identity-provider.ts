import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TokenOptions {
  alg?: 'RS256' | 'ES256';
  subject: string;
  claims?: JWTPayload;
  issuer?: string;
  audience?: string;
  expiresIn?: string;
}

/** An SSO identity provider: its keys (RS256 and ES256) published as a JWKS file, and tokens it signs. */
export async function identityProvider(defaults: { issuer: string; audience: string }) {
  const keys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg) => ({ alg, kid: `sso-${alg}`, ...(await generateKeyPair(alg)) })),
  );
  const jwks = {
    keys: await Promise.all(
      keys.map(async ({ alg, kid, publicKey }) => ({ ...(await exportJWK(publicKey)), alg, kid, use: 'sig' })),
    ),
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-jwks-')), 'jwks.json');
  fs.writeFileSync(file, JSON.stringify(jwks));
  const sign = ({
    alg = 'RS256',
    subject,
    claims = {},
    issuer = defaults.issuer,
    audience = defaults.audience,
    expiresIn = '5m',
  }: TokenOptions) => {
    const key = keys.find((candidate) => candidate.alg === alg)!;
    return new SignJWT(claims)
      .setProtectedHeader({ alg, kid: key.kid })
      .setSubject(subject)
      .setAudience(audience)
      .setIssuer(issuer)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key.privateKey);
  };
  return { file, sign };
}
