import { mintAnalystToken } from '../auth/mint-token';
import { CODEC_LOGIN_AUDIENCE, CODEC_LOGIN_INCIDENT } from './codec-access';

/**
 * A single-use link that signs a browser in to the codec server as `user` (then sends it to the Temporal UI),
 * signed with the login-link secret (codec-login-secret.ts). With SSO, the UI forwards people's own access
 * tokens instead.
 */
export async function codecLoginLink(codecUrl: string, secret: Uint8Array, user: string, ttl = '5m'): Promise<string> {
  const token = await mintAnalystToken(secret, {
    analyst: user,
    incident: CODEC_LOGIN_INCIDENT,
    audience: CODEC_LOGIN_AUDIENCE,
    ttl,
  });
  return `${codecUrl.replace(/\/$/, '')}/login?token=${token}`;
}
