import { jwtVerify } from 'jose';
import { z } from 'zod';
import { withoutEmpty } from '../config/parse-env';
import { readSecretFile } from '../auth/auth-config';
import { keySet, keySetSource } from '../auth/key-set';
import { createAssertionVerifier } from '../auth/verify-assertion';
import { durationMs } from '../model/duration';
import { durationSchema } from '../model/duration-schema';
import { parseOrThrow } from '../model/validation';
import {
  CODEC_LOGIN_AUDIENCE,
  CODEC_LOGIN_INCIDENT,
  type CodecAccessOptions,
  type VerifiedPerson,
} from './codec-access';
import { codecLoginSecretFile } from './codec-login-secret';

const codecAccessEnvSchema = z
  .object({
    /** Who may decode, comma-separated: user names (email or subject) and `group:<name>`. */
    IDRA_CODEC_ALLOWED_USERS: z.string().optional(),
    /** A shared bearer token for tools. */
    IDRA_CODEC_SERVER_TOKEN: z.string().min(16, 'IDRA_CODEC_SERVER_TOKEN must be at least 16 characters').optional(),
    /** The identity provider whose access tokens the Temporal UI forwards (JWKS file or https URL). */
    IDRA_CODEC_OIDC_JWKS: z.string().min(1).optional(),
    IDRA_CODEC_OIDC_ISSUER: z.string().min(1).optional(),
    IDRA_CODEC_OIDC_AUDIENCE: z.string().min(1).optional(),
    /** How long a browser session from a login link lasts. */
    IDRA_CODEC_SESSION_LIFETIME: durationSchema.default('8h'),
    /** The longest a login link lives. */
    IDRA_CODEC_LOGIN_LIFETIME: durationSchema.default('10m'),
  })
  .refine((env) => !env.IDRA_CODEC_OIDC_JWKS || (env.IDRA_CODEC_OIDC_ISSUER && env.IDRA_CODEC_OIDC_AUDIENCE), {
    error:
      'IDRA_CODEC_OIDC_JWKS needs IDRA_CODEC_OIDC_ISSUER and IDRA_CODEC_OIDC_AUDIENCE: a key set signs for other applications too',
  });

/**
 * The identity provider's access tokens, for this audience from this issuer only (a key set can sign for
 * other applications and tenants). The person is the email only when the provider verified it.
 */
function accessTokenVerifier(jwks: string, issuer: string, audience: string): (jwt: string) => Promise<VerifiedPerson> {
  const keys = keySet(keySetSource(jwks));
  return async (jwt) => {
    const { payload } = await jwtVerify(jwt, keys, {
      issuer,
      audience,
      algorithms: ['RS256', 'ES256'],
      requiredClaims: ['exp', 'sub'],
    });
    const groups = Array.isArray(payload.groups)
      ? payload.groups.filter((group): group is string => typeof group === 'string')
      : [];
    const email = payload.email_verified === true && typeof payload.email === 'string' ? payload.email : undefined;
    return { user: email ?? String(payload.sub), groups };
  };
}

/** Login links carry a token signed with the login-link secret, for the audience and incident `idra-codec`. */
function loginTokenVerifier(
  env: NodeJS.ProcessEnv,
  maxLifetimeSeconds: number,
): CodecAccessOptions['verifyLoginToken'] {
  const secretFile = codecLoginSecretFile(env);
  if (!secretFile) return undefined;
  const verify = createAssertionVerifier({
    hs256Secret: readSecretFile(secretFile),
    audience: CODEC_LOGIN_AUDIENCE,
    maxLifetimeSeconds,
  });
  return async (jwt) => {
    const verified = await verify({ assertion: jwt, incident: CODEC_LOGIN_INCIDENT });
    return { user: verified.analyst, tokenId: verified.tokenId, expiresAt: verified.expiresAt };
  };
}

/**
 * The codec server's access rules from its environment. It refuses to start when nobody could ever be let
 * in: a codec server that decrypts for everyone is never a default.
 */
export function codecAccessFromEnv(given: NodeJS.ProcessEnv = process.env): CodecAccessOptions {
  const env = withoutEmpty(given);
  const config = parseOrThrow(codecAccessEnvSchema, env, 'codec server configuration');
  const allowed = new Set(
    (config.IDRA_CODEC_ALLOWED_USERS ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
  if (allowed.size === 0 && !config.IDRA_CODEC_SERVER_TOKEN) {
    throw new Error(
      'the codec server would decrypt for nobody: set IDRA_CODEC_ALLOWED_USERS (people who may see payloads) or IDRA_CODEC_SERVER_TOKEN (tools)',
    );
  }
  return {
    allowed,
    token: config.IDRA_CODEC_SERVER_TOKEN,
    verifyAccessToken: config.IDRA_CODEC_OIDC_JWKS
      ? accessTokenVerifier(
          config.IDRA_CODEC_OIDC_JWKS,
          config.IDRA_CODEC_OIDC_ISSUER!,
          config.IDRA_CODEC_OIDC_AUDIENCE!,
        )
      : undefined,
    verifyLoginToken: loginTokenVerifier(env, Math.floor(durationMs(config.IDRA_CODEC_LOGIN_LIFETIME) / 1000)),
    sessionLifetimeMs: durationMs(config.IDRA_CODEC_SESSION_LIFETIME),
  };
}
