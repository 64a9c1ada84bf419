import { closed, count, creditCode, exampleCreditCode, instant, nullable, type Schema } from './common.ts';

const role = { enum: ['admin', 'midwife', 'issuer', 'police', 'agency', 'auditor', 'statistician'] };
const staffRole = role;
const lock = {
  scope: { enum: ['source', 'unknown-sources'] },
  sourceFingerprint: nullable({ type: 'string' }),
  failures: count,
  lockedUntil: instant,
};
const exampleLock = {
  scope: 'source',
  sourceFingerprint: '3f9a1c2b',
  failures: 5,
  lockedUntil: '2026-11-29T17:19:00.000Z',
};

export const accountSchemas: Record<string, Schema> = {
  AccessToken: {
    ...closed(
      {
        accessToken: { type: 'string' },
        tokenType: { const: 'Bearer' },
        expiresIn: { type: 'integer', minimum: 1, description: 'Seconds' },
        role: { anyOf: [role, { const: 'citizen' }] },
      },
      ['role'],
    ),
    examples: [
      {
        accessToken: 'rRPXSGMsk9K_tchJL1zEiSIKkDUDXljGxI7-hRP1sV8',
        tokenType: 'Bearer',
        expiresIn: 900,
        role: 'admin',
      },
    ],
  },
  AccountList: {
    ...closed({
      accounts: {
        type: 'array',
        items: closed({
          username: { type: 'string' },
          role: staffRole,
          institution: nullable(creditCode),
          displayName: nullable({ type: 'string' }),
          disabled: { type: 'boolean' },
          policeUnit: nullable({ type: 'string', description: "A police account's unit; null for other roles" }),
          locks: { type: 'array', items: closed(lock) },
        }),
      },
    }),
    examples: [
      {
        accounts: [
          {
            username: 'demo-issuer-gz',
            role: 'issuer',
            institution: exampleCreditCode,
            displayName: null,
            disabled: false,
            policeUnit: null,
            locks: [exampleLock],
          },
        ],
      },
    ],
  },
  SignInLocks: {
    ...closed({ locks: { type: 'array', items: closed({ username: { type: 'string' }, ...lock }) } }),
    examples: [{ locks: [{ username: 'demo-issuer-gz', ...exampleLock }] }],
  },
  LocksCleared: { ...closed({ cleared: count }), examples: [{ cleared: 2 }] },
  TokensRevoked: { ...closed({ revokedTokens: count }), examples: [{ revokedTokens: 1 }] },
  AccountDisabled: {
    ...closed({ disabled: { const: true }, revokedTokens: count }),
    examples: [{ disabled: true, revokedTokens: 1 }],
  },
  PoliceUnitSet: {
    ...closed({ username: { type: 'string' }, policeUnit: { type: 'string' } }),
    examples: [{ username: 'demo-police', policeUnit: '广州市公安局天河区分局天河南派出所' }],
  },
  AccountEnabled: { ...closed({ disabled: { const: false } }), examples: [{ disabled: false }] },
};
