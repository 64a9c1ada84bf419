import {
  type AccountAdministration,
  clearLocks,
  disableAccount,
  enableAccount,
  listAccounts,
  listLocks,
  resetPassword,
  revokeTokens,
  setPoliceUnit,
} from '../../domain/accounts/account-administration.ts';
import { defineRoute, type Route } from '../route.ts';

const noStore = { 'Cache-Control': 'no-store' };

/** Administrators contain a compromised account: see and clear locks, revoke, disable, reset. */
export function accountRoutes(deps: { accounts: AccountAdministration }): Route[] {
  const ports = deps.accounts;
  const username = (params: Record<string, string>) => params.username ?? '';
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/accounts',
      summary: 'Staff accounts with their state and the sign-in locks in force (no password hashes)',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'AccountList',
      responses: { 200: '{accounts: [...]}' },
      handle: () => ({ status: 200, body: { accounts: listAccounts(ports) }, headers: noStore }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/accounts/locks',
      summary: 'Sign-in locks in force: per account and source (a fingerprint, never the address), or account-wide',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'SignInLocks',
      responses: { 200: '{locks: [...]}' },
      handle: () => ({ status: 200, body: { locks: listLocks(ports) }, headers: noStore }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/unlock',
      summary: "Clear the account's sign-in failures and locks, from every source",
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'LocksCleared',
      responses: { 200: '{cleared}', 404: 'Unknown account' },
      handle: ({ principal, params }) => ({ status: 200, body: clearLocks(ports, principal, username(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/revoke-tokens',
      summary: 'Revoke every bearer token of the account (it can sign in again)',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'TokensRevoked',
      responses: { 200: '{revokedTokens}', 404: 'Unknown account' },
      handle: ({ principal, params }) => ({ status: 200, body: revokeTokens(ports, principal, username(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/disable',
      summary: 'Disable the account: it cannot sign in and all its tokens are revoked',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'AccountDisabled',
      responses: { 200: '{disabled, revokedTokens}', 404: 'Unknown account', 409: 'The caller’s own account' },
      handle: ({ principal, params }) => ({ status: 200, body: disableAccount(ports, principal, username(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/enable',
      summary: 'Enable a disabled account again',
      tag: 'accounts',
      access: ['admin'],
      responseSchema: 'AccountEnabled',
      responses: { 200: '{disabled}', 404: 'Unknown account' },
      handle: ({ principal, params }) => ({ status: 200, body: enableAccount(ports, principal, username(params)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/accounts/:username/password',
      summary: 'Reset the password: the policy applies; all tokens are revoked and sign-in locks cleared',
      tag: 'accounts',
      access: ['admin'],
      body: 'password-reset',
      responseSchema: 'TokensRevoked',
      responses: { 200: '{revokedTokens}', 400: 'Invalid body or WEAK_PASSWORD', 404: 'Unknown account' },
      async handle({ principal, params, body: { password } }) {
        return { status: 200, body: await resetPassword(ports, principal, username(params), password) };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/accounts/:username/police-unit',
      summary: "Set or change a police account's unit, whose archives its officers share (audited)",
      tag: 'accounts',
      access: ['admin'],
      body: 'police-unit',
      responseSchema: 'PoliceUnitSet',
      responses: {
        200: '{username, policeUnit}',
        400: 'Invalid body, or not a police account (names policeUnit)',
        404: 'Unknown account',
      },
      handle: ({ principal, params, body }) => ({
        status: 200,
        body: setPoliceUnit(ports, principal, username(params), body.policeUnit),
      }),
    }),
  ];
}
