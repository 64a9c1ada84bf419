import type { SignInPorts } from '../../domain/accounts/sign-in.ts';
import { signIn } from '../../domain/accounts/sign-in.ts';
import { defineRoute, type Route } from '../route.ts';

export function authRoutes(deps: { signIn: SignInPorts }): Route[] {
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
        401: 'Wrong credentials or locked account',
        429: 'Too many attempts',
      },
      async handle({ body: { username, password } }) {
        const result = await signIn(deps.signIn, username, password);
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
  ];
}
