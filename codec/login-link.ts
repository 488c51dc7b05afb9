import { mintAnalystToken } from '../auth/mint-token';
import { CODEC_LOGIN_INCIDENT } from './codec-access';

/**
 * A single-use link that signs a browser in to the codec server as `user` (then sends it to the Temporal UI),
 * signed with this machine's analyst-token secret. With SSO, the identity provider's token for the incident
 * `idra-codec` does the same.
 */
export async function codecLoginLink(codecUrl: string, secret: Uint8Array, user: string, ttl = '5m'): Promise<string> {
  const token = await mintAnalystToken(secret, { analyst: user, incident: CODEC_LOGIN_INCIDENT, ttl });
  return `${codecUrl.replace(/\/$/, '')}/login?token=${token}`;
}
