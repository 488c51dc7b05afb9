import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { CodecSessions } from './codec-sessions';

/** The incident and audience claims of a codec login token: minted for this purpose and no other. */
export const CODEC_LOGIN_INCIDENT = 'idra-codec';
export const CODEC_LOGIN_AUDIENCE = 'idra-codec';
export const SESSION_COOKIE = 'idra_codec_session';

/** Someone an identity provider vouched for: their name (email, else subject) and groups. */
export interface VerifiedPerson {
  user: string;
  groups?: readonly string[];
}

export interface CodecAccessOptions {
  /** Who may decode: user names, and `group:<name>` for everyone in a group of the access token. */
  allowed: ReadonlySet<string>;
  /** A shared bearer token for tools and scripts (compared in constant time). */
  token?: string;
  /** Verifies an OIDC access token the Temporal UI forwards (its "pass access token" codec setting). */
  verifyAccessToken?: (jwt: string) => Promise<VerifiedPerson>;
  /** Verifies a login link's token (its own secret, audience and incident `idra-codec`; single use). */
  verifyLoginToken?: (jwt: string) => Promise<VerifiedPerson & { tokenId: string; expiresAt: number }>;
  sessionLifetimeMs: number;
}

export type AccessVerdict = { user: string } | { status: 401 | 403; error: string };

/** Compares in constant time (of digests, so lengths do not leak either): a timing attack learns nothing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function cookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const UNAUTHENTICATED: AccessVerdict = {
  status: 401,
  error: 'authentication required: a session from a login link, or a valid bearer token',
};

/**
 * Who is asking the codec server, and whether they may see plaintext. Every request must be authenticated
 * (nothing is open by default): a browser session made by a login link, the person's own OIDC access token
 * (the production path: the UI forwards it), or a shared bearer token for tools. People must also be on
 * the allow-list.
 */
export function createCodecAccess(options: CodecAccessOptions) {
  const sessions = new CodecSessions(options.sessionLifetimeMs);
  /** Login token ids already used, until they expire: a login link works once. */
  const spentLogins = new Map<string, number>();
  const isAllowed = (person: VerifiedPerson) =>
    options.allowed.has(person.user) || (person.groups ?? []).some((group) => options.allowed.has(`group:${group}`));

  async function authenticate(request: http.IncomingMessage): Promise<AccessVerdict> {
    // A session counts only from the browser page it was made for (the server has checked the Origin is
    // the UI's): browsers send localhost cookies to every port, so another local app sees the cookie, and
    // replaying it without an Origin (curl) must not work.
    const session = request.headers.origin === undefined ? undefined : cookie(request, SESSION_COOKIE);
    const sessionUser = session ? sessions.userOf(session) : undefined;
    if (sessionUser) return { user: sessionUser };

    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return UNAUTHENTICATED;
    if (options.token && sameSecret(bearer, options.token)) return { user: 'bearer token' };
    if (!options.verifyAccessToken || !JWT_SHAPE.test(bearer)) return UNAUTHENTICATED;
    let person: VerifiedPerson;
    try {
      person = await options.verifyAccessToken(bearer);
    } catch {
      return UNAUTHENTICATED;
    }
    return isAllowed(person) ? { user: person.user } : { status: 403, error: `${person.user} may not decode payloads` };
  }

  /** Turns a login link's token into a session: the cookie to set, or why not. */
  async function login(
    token: string,
    now = Date.now(),
  ): Promise<{ setCookie: string } | { status: 401 | 403; error: string }> {
    if (!options.verifyLoginToken) return { status: 401, error: 'login links are not accepted here' };
    let verified;
    try {
      verified = await options.verifyLoginToken(token);
    } catch {
      return { status: 401, error: 'the login link is invalid or expired: ask for a new one (idra codec-login)' };
    }
    for (const [id, expiresAt] of spentLogins) if (expiresAt <= now) spentLogins.delete(id);
    if (spentLogins.has(verified.tokenId))
      return { status: 401, error: 'the login link was used already: ask for a new one (idra codec-login)' };
    spentLogins.set(verified.tokenId, verified.expiresAt);
    if (!isAllowed(verified)) return { status: 403, error: `${verified.user} may not decode payloads` };
    const { id, maxAgeSeconds } = sessions.open(verified.user, now);
    // HttpOnly: no page script reads it; SameSite=Strict: only pages of the same site send it; Secure:
    // browsers accept it over https, and over http from localhost only.
    return {
      setCookie: `${SESSION_COOKIE}=${id}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=Strict`,
    };
  }

  return { authenticate, login };
}

export type CodecAccess = ReturnType<typeof createCodecAccess>;
