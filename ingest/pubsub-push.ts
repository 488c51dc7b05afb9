import { type JWTVerifyGetKey, jwtVerify } from 'jose';
import { z } from 'zod';
import { bearerToken, problemsOf } from './route-kit';

/** Google's keys for the OIDC tokens Pub/Sub signs push requests with. */
export const GOOGLE_OIDC_KEYS = 'https://www.googleapis.com/oauth2/v3/certs';
/** Google writes its issuer either way. */
const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** Who may push: the subscription's push service account, with the audience the subscription was given. */
export interface PubsubPushAuth {
  audience: string;
  serviceAccount: string;
  keys: JWTVerifyGetKey;
}

/**
 * Whether a push request carries Pub/Sub's OIDC token for this subscription: signed by Google (RS256), not
 * expired, for this audience, and of the configured push service account with its email verified.
 */
export async function pushAuthentic(auth: PubsubPushAuth, authorization: string | undefined): Promise<boolean> {
  const token = bearerToken(authorization);
  if (!token) return false;
  try {
    const { payload } = await jwtVerify(token, auth.keys, {
      issuer: GOOGLE_ISSUERS,
      audience: auth.audience,
      algorithms: ['RS256'],
    });
    return payload.email === auth.serviceAccount && payload.email_verified === true;
  } catch {
    return false;
  }
}

/** A push request's body: the message (its data base64) and the subscription it came through. */
const pushEnvelope = z.object({
  message: z.object({
    data: z.base64().max(200_000),
    messageId: z.string().max(100),
    publishTime: z.iso.datetime({ offset: true }).optional(),
    attributes: z.record(z.string(), z.string()).optional(),
  }),
  subscription: z.string().max(300),
});

/** The message a push delivers, as JSON (SCC publishes its notifications as JSON). */
export function pushedMessage(body: unknown): { data: unknown } | { problems: string[] } {
  const parsed = pushEnvelope.safeParse(body);
  if (!parsed.success) return { problems: problemsOf(parsed.error) };
  try {
    return {
      data: JSON.parse(Buffer.from(parsed.data.message.data, 'base64').toString('utf8')),
    };
  } catch {
    return { problems: ['message.data: must be base64 of a JSON document'] };
  }
}
