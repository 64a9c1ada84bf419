import type { SignInPorts } from '../../domain/accounts/sign-in.ts';
import { signIn } from '../../domain/accounts/sign-in.ts';
import type { Route } from '../route.ts';
import type { Validate } from '../validate.ts';

interface TokenRequest {
  username: string;
  password: string;
}

export function authRoutes(deps: { signIn: SignInPorts; validate: Validate }): Route[] {
  return [
    {
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
      async handle({ body }) {
        const { username, password } = deps.validate<TokenRequest>('auth-token', body);
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
    },
  ];
}
