import { type JWTPayload, jwtVerify } from 'jose';
import type { AuthConfig } from './auth-config';
import { keySet } from './key-set';

export interface VerifiedAnalyst {
  analyst: string;
  /** The token's own id: a response (or the guard) accepts each at most once. */
  tokenId: string;
  /** When the token expires (ms since the epoch): after that it needs no remembering. */
  expiresAt: number;
}

/** A refused assertion, with the reason recorded in the response. */
export class AssertionRefused extends Error {
  override name = 'AssertionRefused';
}

/**
 * Verifies an analyst's signed assertion (JWT): signature (HS256 secret, or the identity provider's JWKS
 * for RS256/ES256), audience, issuer, the incident it was issued for (required: a token is good for one
 * response, or for the guard), its id (`jti`, so it can be refused a second time), and a short life: `exp`
 * and `iat` required, at most the configured lifetime apart, and issued no longer ago than that. The analyst
 * is the token's subject; a self-declared name, when given, must match it.
 */
export function createAssertionVerifier(
  config: AuthConfig,
): (input: { assertion?: string; analyst?: string; incident: string }) => Promise<VerifiedAnalyst> {
  const jwks = config.jwks && keySet(config.jwks);
  const options = {
    audience: config.audience,
    issuer: config.issuer,
    requiredClaims: ['exp', 'iat', 'sub', 'jti', 'incident'],
    maxTokenAge: config.maxLifetimeSeconds,
  };

  const verify = async (token: string): Promise<JWTPayload> => {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8') || '{}') as {
      alg?: string;
    };
    if (header.alg === 'HS256') {
      if (!config.hs256Secret) throw new AssertionRefused('HS256 assertions are not accepted here');
      return (await jwtVerify(token, config.hs256Secret, { ...options, algorithms: ['HS256'] })).payload;
    }
    if (!jwks) throw new AssertionRefused(`${header.alg ?? 'unsigned'} assertions are not accepted here`);
    return (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256'] })).payload;
  };

  return async ({ assertion, analyst, incident }) => {
    if (!assertion) throw new AssertionRefused("no signed assertion: decisions must carry the analyst's token");
    let claims: JWTPayload;
    try {
      claims = await verify(assertion);
    } catch (error) {
      if (error instanceof AssertionRefused) throw error;
      throw new AssertionRefused(`invalid assertion: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (claims.incident !== incident)
      throw new AssertionRefused(`the assertion is for incident ${JSON.stringify(claims.incident)}, not ${incident}`);
    if (analyst !== undefined && claims.sub !== analyst)
      throw new AssertionRefused(`the assertion is for ${claims.sub ?? 'nobody'}, not ${analyst}`);
    const lifetime = (claims.exp ?? 0) - (claims.iat ?? 0);
    if (lifetime > config.maxLifetimeSeconds) {
      throw new AssertionRefused(
        `the assertion is valid for ${lifetime} s: at most ${config.maxLifetimeSeconds} s are accepted`,
      );
    }
    return { analyst: String(claims.sub), tokenId: String(claims.jti), expiresAt: (claims.exp ?? 0) * 1000 };
  };
}
