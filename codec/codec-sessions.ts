import { randomBytes } from 'node:crypto';

interface Session {
  user: string;
  expiresAt: number;
}

/** Sessions kept at once: the oldest is forgotten first (its browser signs in again). */
const MAX_SESSIONS = 1_000;

/**
 * Browser sessions of the codec server, made by a login link and held in memory: a restarted codec server
 * forgets them, and people sign in again. Ids are 256 random bits, so they cannot be guessed.
 */
export class CodecSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly lifetimeMs: number) {}

  open(user: string, now = Date.now()): { id: string; maxAgeSeconds: number } {
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { user, expiresAt: now + this.lifetimeMs });
    return { id, maxAgeSeconds: Math.floor(this.lifetimeMs / 1000) };
  }

  /** The user a live session belongs to, if `id` is one. */
  userOf(id: string, now = Date.now()): string | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt > now) return session.user;
    this.sessions.delete(id);
    return undefined;
  }
}
