import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { StaffPrincipal, TokenStore } from '../domain/accounts/account.ts';
import type { Clock } from '../domain/ports.ts';
import { readCookie } from './locale.ts';

export const SESSION_COOKIE = 'console_session';

export interface SessionPolicy {
  /** Absolute lifetime: the staff token's TTL; the token store forgets it afterwards. */
  lifetimeSeconds: number;
  /** A session not used for this long is over (kept here, in the service's memory). */
  idleSeconds: number;
}

export const defaultSessionPolicy: SessionPolicy = { lifetimeSeconds: 8 * 3600, idleSeconds: 30 * 60 };

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Console sessions. A session is a staff token of the token store, kept server-side in the sense
 * that the browser only ever holds it in an HttpOnly, SameSite=Strict cookie scoped to /console.
 * Reusing the token store gives the console exactly the API's containment: a password change, a
 * reset or a disabled account revokes every token of the account (account-administration.ts),
 * so every console session of that person ends at once, and the token's TTL is the absolute
 * lifetime. The idle timeout is the one thing the token store does not know: the last use of each
 * session is kept here, in memory. A session not in that map (e.g. after a restart) counts as
 * idle, so a restart signs staff out rather than in.
 *
 * CSRF: every form carries HMAC(process secret, session token), checked on every POST together
 * with the Origin (or Sec-Fetch-Site) header.
 */
export function createConsoleSessions(deps: { tokens: TokenStore; clock: Clock; policy?: SessionPolicy }) {
  const policy = deps.policy ?? defaultSessionPolicy;
  const lastSeen = new Map<string, number>();
  const csrfKey = randomBytes(32);

  const sweep = (now: number) => {
    for (const [key, seen] of lastSeen) if (now - seen > policy.idleSeconds * 1000) lastSeen.delete(key);
  };

  return {
    policy,
    /** Starts a session for a freshly issued staff token. */
    begin(req: Request, res: Response, token: string) {
      const now = deps.clock.now().getTime();
      sweep(now);
      lastSeen.set(hash(token), now);
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
      const seen = lastSeen.get(key);
      if (seen === undefined || now.getTime() - seen > policy.idleSeconds * 1000) {
        lastSeen.delete(key);
        return null;
      }
      const principal = deps.tokens.resolve(token, now);
      if (!principal || principal.role === 'citizen') {
        lastSeen.delete(key);
        return null;
      }
      lastSeen.set(key, now.getTime());
      return { principal, token };
    },
    /** Whether the request carried a session cookie at all (to say "signed out" rather than nothing). */
    hadCookie: (req: Request) => readCookie(req, SESSION_COOKIE) !== undefined,
    end(res: Response, token: string | undefined) {
      if (token) {
        lastSeen.delete(hash(token));
        deps.tokens.revoke(token);
      }
      res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict`);
    },
    csrfOf: (token: string) => createHmac('sha256', csrfKey).update(token).digest('base64url'),
    checkCsrf(token: string, sent: unknown): boolean {
      if (typeof sent !== 'string') return false;
      const expected = Buffer.from(createHmac('sha256', csrfKey).update(token).digest('base64url'));
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
