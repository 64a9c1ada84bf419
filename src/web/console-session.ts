import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { StaffPrincipal, TokenStore } from '../domain/accounts/account.ts';
import type { ConsoleSessionStore, SharedSecrets } from '../domain/accounts/console-session-store.ts';
import type { Clock } from '../domain/ports.ts';
import { readCookie } from './locale.ts';

export const SESSION_COOKIE = 'console_session';

export interface SessionPolicy {
  /** Absolute lifetime: the staff token's TTL; the token store forgets it afterwards. */
  lifetimeSeconds: number;
  /** A session not used for this long is over (its last use is kept in the database). */
  idleSeconds: number;
}

/**
 * A session's last use is written at most this often: a console page costs a read, not a write,
 * and a session may end up to this much before its idle timeout.
 */
export const TOUCH_INTERVAL_MS = 60_000;

export const defaultSessionPolicy: SessionPolicy = { lifetimeSeconds: 8 * 3600, idleSeconds: 30 * 60 };

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Console sessions. A session is a staff token of the token store, kept server-side in the sense
 * that the browser only ever holds it in an HttpOnly, SameSite=Strict cookie scoped to /console.
 * Reusing the token store gives the console exactly the API's containment: a password change, a
 * reset or a disabled account revokes every token of the account (account-administration.ts),
 * so every console session of that person ends at once, and the token's TTL is the absolute
 * lifetime. The idle timeout is the one thing the token store does not know: the last use of each
 * session is kept in the session store (the database, by the token's SHA-256), so every node of
 * a deployment sees the same sessions. A session without a row there counts as idle.
 *
 * CSRF: every form carries HMAC(shared secret, session token), checked on every POST together
 * with the Origin (or Sec-Fetch-Site) header. The secret is made once (by the first node to need
 * it) and kept in the database, so a form one node served posts to any other.
 */
export function createConsoleSessions(deps: {
  tokens: TokenStore;
  clock: Clock;
  store: ConsoleSessionStore;
  secrets: SharedSecrets;
  policy?: SessionPolicy;
}) {
  const policy = deps.policy ?? defaultSessionPolicy;
  const { store } = deps;
  let csrfKey: Uint8Array | null = null;
  const csrfOf = (token: string) => {
    csrfKey ??= deps.secrets.secret('console-csrf', () => randomBytes(32));
    return createHmac('sha256', csrfKey).update(token).digest('base64url');
  };

  return {
    policy,
    /** Starts a session for a freshly issued staff token. */
    begin(req: Request, res: Response, token: string) {
      const now = deps.clock.now().getTime();
      store.sweep(now - policy.idleSeconds * 1000);
      store.touch(hash(token), now);
      const secure = req.secure ? '; Secure' : '';
      res.append(
        'Set-Cookie',
        `${SESSION_COOKIE}=${token}; Path=/console; Max-Age=${policy.lifetimeSeconds}; HttpOnly; SameSite=Strict${secure}`,
      );
    },
    /** The staff member of a live session, touching its idle clock; null when there is none. */
    current(req: Request): { principal: StaffPrincipal; token: string } | null {
      const token = readCookie(req, SESSION_COOKIE);
      if (!token) return null;
      const key = hash(token);
      const now = deps.clock.now();
      const seen = store.lastSeen(key);
      if (seen === null || now.getTime() - seen > policy.idleSeconds * 1000) {
        if (seen !== null) store.forget(key);
        return null;
      }
      const principal = deps.tokens.resolve(token, now);
      if (!principal || principal.role === 'citizen') {
        store.forget(key);
        return null;
      }
      if (now.getTime() - seen >= TOUCH_INTERVAL_MS) store.touch(key, now.getTime());
      return { principal, token };
    },
    /** Whether the request carried a session cookie at all (to say "signed out" rather than nothing). */
    hadCookie: (req: Request) => readCookie(req, SESSION_COOKIE) !== undefined,
    end(res: Response, token: string | undefined) {
      if (token) {
        store.forget(hash(token));
        deps.tokens.revoke(token);
      }
      res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict`);
    },
    csrfOf,
    checkCsrf(token: string, sent: unknown): boolean {
      if (typeof sent !== 'string') return false;
      const expected = Buffer.from(csrfOf(token));
      const given = Buffer.from(sent);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;

/**
 * A form post from another site: its Origin is not ours, or the fetch metadata says it came from
 * elsewhere. Under the service's `Referrer-Policy: no-referrer` Chromium sends `Origin: null` on
 * form posts, so a null Origin is judged by Sec-Fetch-Site (it must then say same-origin). A
 * request with neither header (curl, old browsers) passes this test and still needs the CSRF token.
 */
export function crossOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  const site = req.headers['sec-fetch-site'];
  if (typeof origin === 'string' && origin !== 'null') {
    return origin !== `${req.protocol}://${req.get('host') ?? ''}`;
  }
  if (origin === 'null') return site !== 'same-origin';
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}
