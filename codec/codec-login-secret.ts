import path from 'node:path';
import { configuredOrDevelopmentFile, readSecretFile } from '../auth/auth-config';
import { PROJECT_ROOT } from '../config/paths';

/**
 * Login links are signed with a secret of their own, never the analysts' decision-token secret: the codec
 * server (reachable by browsers, parsing untrusted input) must not hold what could sign a decision.
 * `npm start` makes the development one under .data/.
 */
export const DEV_CODEC_LOGIN_SECRET_FILE = path.join(PROJECT_ROOT, '.data', 'codec-login-secret');

/** The configured login-link secret file, else the development one if `npm start` made it. */
export function codecLoginSecretFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return configuredOrDevelopmentFile(env.IDRA_CODEC_LOGIN_SECRET_FILE, DEV_CODEC_LOGIN_SECRET_FILE);
}

/** The login-link secret, if this machine has one (configured, or the development one). */
export function codecLoginSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  const file = codecLoginSecretFile(env);
  return file ? readSecretFile(file) : undefined;
}
