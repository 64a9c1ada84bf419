import type { TokenStore } from '../../domain/accounts/account.ts';
import { signOut } from '../../domain/accounts/account-administration.ts';
import type { SignInPorts } from '../../domain/accounts/sign-in.ts';
import { signIn } from '../../domain/accounts/sign-in.ts';
import type { AuditLog } from '../../domain/audit/audit-event.ts';
import type { Clock } from '../../domain/ports.ts';
import { bearerToken, defineRoute, type Route } from '../route.ts';

export function authRoutes(deps: {
  signIn: SignInPorts;
  signOut: { tokens: TokenStore; audit: Pick<AuditLog, 'record'>; clock: Clock };
}): Route[] {
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/token',
      summary: 'Sign in with a username and password; returns a short-lived bearer token',
      tag: 'auth',
      access: 'public',
      body: 'auth-token',
      responses: {
        200: 'A bearer token',
        400: 'Invalid body',
        401: 'Wrong credentials, or a disabled or locked account',
        429: 'Too many attempts',
      },
      async handle({ req, body: { username, password } }) {
        // req.ip honours TRUST_PROXY: behind the configured proxies it is the client's address.
        const result = await signIn(deps.signIn, username, password, req.ip ?? req.socket.remoteAddress ?? '');
        return {
          status: 200,
          body: {
            accessToken: result.token,
            tokenType: 'Bearer',
            expiresIn: result.expiresInSeconds,
            role: result.role,
          },
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/auth/sign-out',
      summary: 'Sign out: the bearer token of this request stops working at once',
      tag: 'auth',
      access: ['admin', 'midwife', 'issuer', 'police', 'agency', 'auditor', 'statistician', 'citizen'],
      responses: { 204: 'Signed out', 401: 'No valid bearer token' },
      handle({ req, principal }) {
        signOut(deps.signOut, principal, bearerToken(req)!);
        return { status: 204, body: null };
      },
    }),
  ];
}
