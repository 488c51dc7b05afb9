import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authConfigFromEnv } from '../auth/auth-config';
import { createAssertionVerifier } from '../auth/verify-assertion';

const INCIDENT = 'idra-aws-123456789012-AKIAEXAMPLEEXAMPLE00';

/** An identity provider's keys, published as a JWKS file, and tokens it signs (RS256 and ES256). */
async function identityProvider() {
  const keys = await Promise.all((['RS256', 'ES256'] as const).map(async (alg) => ({ alg, kid: `sso-${alg}`, ...(await generateKeyPair(alg)) })));
  const jwks = { keys: await Promise.all(keys.map(async ({ alg, kid, publicKey }) => ({ ...(await exportJWK(publicKey)), alg, kid, use: 'sig' }))) };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'idra-jwks-')), 'jwks.json');
  fs.writeFileSync(file, JSON.stringify(jwks));
  const sign = (alg: 'RS256' | 'ES256', subject: string, issuer = 'https://sso.example.com') => {
    const key = keys.find((candidate) => candidate.alg === alg)!;
    return new SignJWT({ incident: INCIDENT }).setProtectedHeader({ alg, kid: key.kid }).setSubject(subject).setAudience('idra').setIssuer(issuer).setJti(randomUUID()).setIssuedAt().setExpirationTime('5m').sign(key.privateKey);
  };
  return { file, sign };
}

describe('analyst assertions from an SSO identity provider (JWKS, RS256 and ES256)', () => {
  it('accepts tokens the provider signed, for the analyst they name, and refuses the rest', async () => {
    const sso = await identityProvider();
    const verify = createAssertionVerifier(authConfigFromEnv({ IDRA_AUTH_JWKS: sso.file, IDRA_AUTH_ISSUER: 'https://sso.example.com' }));
    const incident = INCIDENT;

    for (const alg of ['RS256', 'ES256'] as const) {
      expect(await verify({ assertion: await sso.sign(alg, 'alice@example.com'), analyst: 'alice@example.com', incident })).toMatchObject({ analyst: 'alice@example.com', tokenId: expect.any(String) as string });
    }
    await expect(verify({ assertion: await sso.sign('ES256', 'alice@example.com', 'https://evil.example'), analyst: 'alice@example.com', incident })).rejects.toThrow('invalid assertion: unexpected "iss" claim value');
    await expect(verify({ assertion: await sso.sign('RS256', 'bob@example.com'), analyst: 'alice@example.com', incident })).rejects.toThrow('the assertion is for bob@example.com, not alice@example.com');

    const stranger = await identityProvider();
    await expect(verify({ assertion: await stranger.sign('ES256', 'alice@example.com'), analyst: 'alice@example.com', incident })).rejects.toThrow('invalid assertion: ');
    // Without a local secret configured, HS256 tokens are not accepted at all.
    const hs256 = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice@example.com').setAudience('idra').setExpirationTime('5m').sign(new Uint8Array(32));
    await expect(verify({ assertion: hs256, analyst: 'alice@example.com', incident })).rejects.toThrow('HS256 assertions are not accepted here');
  });

});
