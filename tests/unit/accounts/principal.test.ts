import { describe, expect, it } from 'vitest';
import { principalOf } from '../../../src/domain/accounts/account.ts';

const staff = { accountId: 7, username: 'issuer-gz', certificateNo: null };

describe('principalOf: stored token fields become a principal only when they fit one role', () => {
  it('gives an issuer its institution', () => {
    expect(principalOf({ ...staff, role: 'issuer', institution: '12440106455858140M' })).toEqual({
      role: 'issuer',
      accountId: 7,
      username: 'issuer-gz',
      institution: '12440106455858140M',
      certificateNo: null,
    });
  });

  it('gives a citizen the certificate its claim opened and nothing else', () => {
    expect(
      principalOf({ role: 'citizen', accountId: null, username: null, institution: null, certificateNo: 'Q440000001' }),
    ).toEqual({ role: 'citizen', accountId: null, username: null, institution: null, certificateNo: 'Q440000001' });
  });

  it('drops an institution stored with a role that acts for none', () => {
    expect(principalOf({ ...staff, role: 'police', institution: '12440106455858140M' })).toEqual({
      role: 'police',
      accountId: 7,
      username: 'issuer-gz',
      institution: null,
      certificateNo: null,
    });
  });

  it.each([
    ['an issuer without an institution', { ...staff, role: 'issuer', institution: null }],
    ['a staff token whose account is gone', { ...staff, username: null, role: 'admin', institution: null }],
    ['a role the service does not know', { ...staff, role: 'root', institution: null }],
    [
      'a citizen token without a certificate',
      { ...staff, accountId: null, username: null, role: 'citizen', institution: null },
    ],
  ])('refuses %s', (_case, fields) => {
    expect(principalOf(fields)).toBeNull();
  });
});
