import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlAccountRepository } from '../../src/adapters/sql/account-repository.ts';
import { createSqlIdentityStore } from '../../src/adapters/sql/identity-store.ts';
import { createSqlInstitutionRepository } from '../../src/adapters/sql/institution-repository.ts';
import { createSqlSignInThrottle } from '../../src/adapters/sql/sign-in-throttle-store.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { createSqlTokenStore } from '../../src/adapters/sql/token-store.ts';
import type { AccountRepository } from '../../src/domain/accounts/account.ts';
import { openTestSql, testEngine } from '../storage-kit.ts';

/** Far enough ahead that tokens made "now" are still live by the wall clock revokeAllOf reads. */
const at = new Date('2031-03-01T08:00:00Z');
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
const hospital = '12440000455862437X';

let sql: Sql;
let accounts: AccountRepository;
beforeEach(async () => {
  sql = await openTestSql();
  createSqlInstitutionRepository(sql).create(
    { creditCode: hospital, name: '广州市妇女儿童医疗中心', divisionCode: '440106' },
    at,
  );
  accounts = createSqlAccountRepository(sql);
});
afterEach(() => sql.close());

const issuer = () =>
  accounts.create(
    { username: 'issuer-gz', passwordHash: 'scrypt$h1', role: 'issuer', institution: hospital, displayName: '签发员' },
    at,
  );

describe(`accounts on ${testEngine}`, () => {
  it('are created with their database id, found by username, listed in id order and changed', () => {
    const first = issuer();
    expect(first).toEqual({
      id: first.id,
      username: 'issuer-gz',
      passwordHash: 'scrypt$h1',
      role: 'issuer',
      institution: hospital,
      displayName: '签发员',
      disabled: false,
      policeUnit: null,
    });
    const officer = accounts.create(
      { username: 'police-1', passwordHash: 'scrypt$h2', role: 'police', institution: null, policeUnit: '天河派出所' },
      at,
    );
    expect(officer.id).toBeGreaterThan(first.id);
    expect(accounts.findByUsername('police-1')).toEqual(officer);
    expect(accounts.findByUsername('nobody')).toBeNull();

    expect(accounts.setPassword('issuer-gz', 'scrypt$h3')).toBe(true);
    expect(accounts.setPassword('nobody', 'scrypt$h3')).toBe(false);
    accounts.setDisabled(first.id, true);
    accounts.setPoliceUnit(officer.id, '越秀派出所');
    expect(accounts.list().map((a) => [a.username, a.passwordHash, a.disabled, a.policeUnit])).toEqual([
      ['issuer-gz', 'scrypt$h3', true, null],
      ['police-1', 'scrypt$h2', false, '越秀派出所'],
    ]);
    accounts.setDisabled(first.id, false);
    expect(accounts.findByUsername('issuer-gz')!.disabled).toBe(false);
  });
});

describe(`access tokens on ${testEngine}`, () => {
  it('resolve to their principal until they expire, are revoked one by one or per account', () => {
    const account = issuer();
    const tokens = createSqlTokenStore(sql);
    const staff = {
      role: 'issuer',
      accountId: account.id,
      username: 'issuer-gz',
      institution: hospital,
      certificateNo: null,
    } as const;
    const citizen = {
      role: 'citizen',
      accountId: null,
      username: null,
      institution: null,
      certificateNo: 'Q440000001',
    } as const;
    const one = tokens.issue(staff, 600, at);
    const two = tokens.issue(staff, 600, at);
    const family = tokens.issue(citizen, 60, at);
    expect(one).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresInSeconds: 600 });
    expect(tokens.resolve(one.token, later(599))).toEqual(staff);
    expect(tokens.resolve(family.token, later(59))).toEqual(citizen);
    expect(tokens.resolve(family.token, later(60))).toBeNull();
    expect(tokens.resolve('not-a-token', at)).toBeNull();
    // Only the hash is kept.
    expect(sql.all(sql.db.selectFrom('access_tokens').select('token_hash')).map((r) => r.token_hash)).not.toContain(
      one.token,
    );

    accounts.setDisabled(account.id, true);
    expect(tokens.resolve(one.token, at)).toBeNull();
    accounts.setDisabled(account.id, false);

    expect(tokens.revoke(one.token)).toBe(true);
    expect(tokens.revoke(one.token)).toBe(false);
    expect(tokens.resolve(one.token, at)).toBeNull();
    expect(tokens.revokeAllOf(account.id)).toBe(1);
    expect(tokens.resolve(two.token, at)).toBeNull();

    // Issuing sweeps the expired ones.
    tokens.issue(citizen, 60, later(61));
    expect(sql.all(sql.db.selectFrom('access_tokens').select('expires_at'))).toEqual([
      { expires_at: later(121).getTime() },
    ]);
  });
});

describe(`sign-in throttles on ${testEngine}`, () => {
  it('lock a source after five failures for a minute, doubling, and list the locks', () => {
    const { id } = issuer();
    const throttle = createSqlSignInThrottle(sql);
    const counts = [0, 1, 2, 3].map((s) => throttle.recordFailure(id, '203.0.113.9', false, later(s)));
    expect(counts).toEqual([1, 2, 3, 4]);
    expect(throttle.lockedUntil(id, '203.0.113.9', false, later(4))).toBeNull();
    expect(throttle.recordFailure(id, '203.0.113.9', false, later(4))).toBe(5);
    expect(throttle.lockedUntil(id, '203.0.113.9', false, later(5))).toEqual(later(64));
    expect(throttle.lockedUntil(id, '198.51.100.1', true, later(5))).toBeNull();
    expect(throttle.recordFailure(id, '203.0.113.9', false, later(10))).toBe(6);
    expect(throttle.lockedUntil(id, '203.0.113.9', false, later(11))).toEqual(later(130));
    expect(throttle.lockedUntil(id, '203.0.113.9', false, later(130))).toBeNull();

    const locks = throttle.locks(later(11));
    expect(locks).toEqual([
      {
        username: 'issuer-gz',
        scope: 'source',
        sourceFingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{8}$/),
        failures: 6,
        lockedUntil: later(130),
      },
    ]);
    // The address is kept only as an HMAC; another store on the database uses the same key.
    expect(JSON.stringify(sql.all(sql.db.selectFrom('sign_in_throttles').selectAll()))).not.toContain('203.0.113');
    expect(createSqlSignInThrottle(sql).locks(later(11))).toEqual(locks);

    expect(throttle.clear(id)).toBe(2);
    expect(throttle.locks(later(11))).toEqual([]);
  });

  it('count failures from unknown sources together, and start again after the window', () => {
    const { id } = issuer();
    const throttle = createSqlSignInThrottle(sql);
    for (let i = 0; i < 20; i++) throttle.recordFailure(id, `192.0.2.${i}`, false, later(i));
    expect(throttle.lockedUntil(id, '192.0.2.200', false, later(20))).toEqual(later(79));
    expect(throttle.lockedUntil(id, '192.0.2.200', true, later(20))).toBeNull();
    expect(throttle.locks(later(20))).toEqual([
      {
        username: 'issuer-gz',
        scope: 'unknown-sources',
        sourceFingerprint: null,
        failures: 20,
        lockedUntil: later(79),
      },
    ]);
    // A day and a second after the last failure the count starts again at one.
    expect(throttle.recordFailure(id, '192.0.2.1', false, later(19 + 86_401))).toBe(1);
    const unknown = sql.get(
      sql.db.selectFrom('sign_in_throttles').select('failures').where('source', '=', '*').where('account_id', '=', id),
    );
    expect(unknown).toEqual({ failures: 1 });
  });

  it('clear a source on success and remember it as known, keeping the account-wide count', () => {
    const { id } = issuer();
    const throttle = createSqlSignInThrottle(sql);
    expect(throttle.isKnownSource(id, '203.0.113.9')).toBe(false);
    throttle.recordFailure(id, '203.0.113.9', false, at);
    throttle.recordSuccess(id, '203.0.113.9', later(1));
    throttle.recordSuccess(id, '203.0.113.9', later(2));
    expect(throttle.isKnownSource(id, '203.0.113.9')).toBe(true);
    expect(throttle.isKnownSource(id, '203.0.113.10')).toBe(false);
    expect(sql.all(sql.db.selectFrom('sign_in_known_sources').select('last_success_at'))).toEqual([
      { last_success_at: later(2).getTime() },
    ]);
    expect(sql.all(sql.db.selectFrom('sign_in_throttles').select(['source', 'failures']))).toEqual([
      { source: '*', failures: 1 },
    ]);
    // A known source's failure counts for the source only.
    expect(throttle.recordFailure(id, '203.0.113.9', true, later(3))).toBe(1);
    expect(sql.all(sql.db.selectFrom('sign_in_throttles').select('failures').orderBy('source'))).toEqual([
      { failures: 1 },
      { failures: 1 },
    ]);
  });
});

describe(`identity flows, grants and links on ${testEngine}`, () => {
  const flow = { purpose: 'console', target: null, nonce: 'n-1', codeVerifier: 'v-1' } as const;

  it('take a flow once, tell an expired one from an unknown one, and sweep old ones', () => {
    const store = createSqlIdentityStore(sql);
    store.saveFlow('state-1', flow, at, 600);
    store.saveFlow('state-2', { ...flow, purpose: 'my', target: 'Q440000001' }, at, 600);
    expect(store.takeFlow('state-1', later(599))).toEqual({ ok: true, flow });
    expect(store.takeFlow('state-1', later(599))).toEqual({ ok: false, cause: 'used' });
    expect(store.takeFlow('state-x', at)).toEqual({ ok: false, cause: 'unknown' });
    expect(store.takeFlow('state-2', later(600))).toEqual({ ok: false, cause: 'expired' });
    expect(store.takeFlow('state-2', later(600))).toEqual({ ok: false, cause: 'used' });
    // Kept one more lifetime, then swept by the next save.
    store.saveFlow('state-3', flow, later(1200), 600);
    expect(store.takeFlow('state-1', later(1200))).toEqual({ ok: false, cause: 'unknown' });
    expect(sql.all(sql.db.selectFrom('oidc_flows').select('state_hash'))).toHaveLength(1);
  });

  it('resolve an application grant until it expires or is revoked', () => {
    const store = createSqlIdentityStore(sql);
    const grant = store.grantApplication('D-1', at, 300);
    expect(grant).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresInSeconds: 300 });
    expect(store.resolveGrant(grant.token, later(299))).toBe('D-1');
    expect(store.resolveGrant(grant.token, later(300))).toBeNull();
    store.revokeGrant(grant.token);
    expect(store.resolveGrant(grant.token, at)).toBeNull();
  });

  it('link a subject to one account, refuse a second link of it, list and unlink', () => {
    const { id } = issuer();
    const store = createSqlIdentityStore(sql);
    const link = store.link('https://idp.example', 'sub-2', id, 'admin', later(1));
    expect(link).toEqual({
      issuer: 'https://idp.example',
      subject: 'sub-2',
      username: 'issuer-gz',
      linkedAt: later(1).toISOString(),
      linkedBy: 'admin',
    });
    expect(store.link('https://idp.example', 'sub-2', id, 'admin', later(2))).toBeNull();
    store.link('https://idp.example', 'sub-1', id, 'admin', later(1));
    store.link('https://a.example', 'sub-9', id, 'admin', at);
    expect(store.linkedAccount('https://idp.example', 'sub-2')).toBe(id);
    expect(store.linkedAccount('https://idp.example', 'sub-3')).toBeNull();
    expect(store.linksOf(id).map((l) => `${l.issuer} ${l.subject}`)).toEqual([
      'https://a.example sub-9',
      'https://idp.example sub-1',
      'https://idp.example sub-2',
    ]);
    expect(store.unlink('https://idp.example', 'sub-2', id + 1)).toBe(false);
    expect(store.unlink('https://idp.example', 'sub-2', id)).toBe(true);
    expect(store.linksOf(id)).toHaveLength(2);
  });
});
