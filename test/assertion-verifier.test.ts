import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { authConfigFromEnv } from '../auth/auth-config';
import { createAssertionVerifier } from '../auth/verify-assertion';
import { identityProvider } from './support/identity-provider';

const INCIDENT = 'idra-aws-123456789012-AKIAEXAMPLEEXAMPLE00';

/** Analyst tokens for the incident, as the identity provider signs them. */
async function analystTokens() {
  const idp = await identityProvider({ issuer: 'https://sso.example.com', audience: 'idra' });
  return {
    file: idp.file,
    sign: (alg: 'RS256' | 'ES256', subject: string, issuer?: string) =>
      idp.sign({ alg, subject, issuer, claims: { incident: INCIDENT } }),
  };
}

describe('analyst assertions from an SSO identity provider (JWKS, RS256 and ES256)', () => {
  it('accepts tokens the provider signed, for the analyst they name, and refuses the rest', async () => {
    const sso = await analystTokens();
    const verify = createAssertionVerifier(
      authConfigFromEnv({ IDRA_AUTH_JWKS: sso.file, IDRA_AUTH_ISSUER: 'https://sso.example.com' }),
    );
    const incident = INCIDENT;

    for (const alg of ['RS256', 'ES256'] as const) {
      expect(
        await verify({ assertion: await sso.sign(alg, 'alice@example.com'), analyst: 'alice@example.com', incident }),
      ).toMatchObject({ analyst: 'alice@example.com', tokenId: expect.any(String) as string });
    }
    await expect(
      verify({
        assertion: await sso.sign('ES256', 'alice@example.com', 'https://evil.example'),
        analyst: 'alice@example.com',
        incident,
      }),
    ).rejects.toThrow('invalid assertion: unexpected "iss" claim value');
    await expect(
      verify({ assertion: await sso.sign('RS256', 'bob@example.com'), analyst: 'alice@example.com', incident }),
    ).rejects.toThrow('the assertion is for bob@example.com, not alice@example.com');

    const stranger = await analystTokens();
    await expect(
      verify({ assertion: await stranger.sign('ES256', 'alice@example.com'), analyst: 'alice@example.com', incident }),
    ).rejects.toThrow('invalid assertion: ');
    // Without a local secret configured, HS256 tokens are not accepted at all.
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice@example.com')
      .setAudience('idra')
      .setExpirationTime('5m')
      .sign(new Uint8Array(32));
    await expect(verify({ assertion: hs256, analyst: 'alice@example.com', incident })).rejects.toThrow(
      'HS256 assertions are not accepted here',
    );
  });
});
