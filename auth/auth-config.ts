import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config/paths';
import { durationMs } from '../model/duration';
import { durationSchema } from '../model/duration-schema';
import { parseOrThrow } from '../model/validation';
import { type KeySetSource, keySetSource } from './key-set';

/** Where `npm start` keeps the development signing secret for analyst tokens (`idra token` mints with it). */
export const DEV_AUTH_SECRET_FILE = path.join(PROJECT_ROOT, '.data', 'analyst-token-secret');

const authEnvSchema = z.object({
  /** A file holding a base64 HS256 secret: local use and the demo. */
  IDRA_AUTH_HS256_SECRET_FILE: z.string().min(1).optional(),
  /** A JWKS (file path or https URL) of the identity provider: RS256 / ES256 tokens from SSO. */
  IDRA_AUTH_JWKS: z.string().min(1).optional(),
  IDRA_AUTH_AUDIENCE: z.string().min(1).default('idra'),
  IDRA_AUTH_ISSUER: z.string().min(1).optional(),
  /** The longest an analyst token may live (exp - iat): a captured token is soon worthless. */
  IDRA_AUTH_MAX_TOKEN_LIFETIME: durationSchema.default('10m'),
});

export interface AuthConfig {
  hs256Secret?: Uint8Array;
  jwks?: KeySetSource;
  audience: string;
  issuer?: string;
  maxLifetimeSeconds: number;
}

export function readSecretFile(file: string): Uint8Array {
  const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new Error(`${file}: the HS256 secret must be at least 32 bytes, base64-encoded`);
  return secret;
}

/**
 * How analyst assertions are verified. Without IDRA_AUTH_HS256_SECRET_FILE or IDRA_AUTH_JWKS, the
 * development secret under .data/ is used if it exists; with none at all the worker refuses to start,
 * because decisions would have no verifiable author.
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const config = parseOrThrow(authEnvSchema, env, 'analyst authentication configuration');
  // A key set configured alone means no shared secret, not the development one.
  const secretFile =
    config.IDRA_AUTH_JWKS && !config.IDRA_AUTH_HS256_SECRET_FILE
      ? undefined
      : configuredOrDevelopmentFile(config.IDRA_AUTH_HS256_SECRET_FILE, DEV_AUTH_SECRET_FILE);
  if (!secretFile && !config.IDRA_AUTH_JWKS) {
    throw new Error(
      'no way to verify analysts: set IDRA_AUTH_HS256_SECRET_FILE or IDRA_AUTH_JWKS (`npm start` creates a development secret)',
    );
  }
  const jwks = config.IDRA_AUTH_JWKS;
  return {
    hs256Secret: secretFile ? readSecretFile(secretFile) : undefined,
    jwks: jwks ? keySetSource(jwks) : undefined,
    audience: config.IDRA_AUTH_AUDIENCE,
    issuer: config.IDRA_AUTH_ISSUER,
    maxLifetimeSeconds: Math.floor(durationMs(config.IDRA_AUTH_MAX_TOKEN_LIFETIME) / 1000),
  };
}

/** Writes a fresh random HS256 secret (readable by the owner only), unless the file exists. */
export function ensureSecretFile(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

/** The local signing secret, if this machine has one (configured, or the development one). */
export function localSigningSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  const file = configuredOrDevelopmentFile(env.IDRA_AUTH_HS256_SECRET_FILE, DEV_AUTH_SECRET_FILE);
  return file ? readSecretFile(file) : undefined;
}

/**
 * A secret's file: the configured one (it must then be readable: a wrong path is an error, not "none"),
 * else the development one if `npm start` made it.
 */
export function configuredOrDevelopmentFile(configured: string | undefined, development: string): string | undefined {
  if (configured) return configured;
  return fs.existsSync(development) ? development : undefined;
}
