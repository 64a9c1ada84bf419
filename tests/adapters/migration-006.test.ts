import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { listSqliteMigrations, migrate } from '../../src/adapters/sqlite/database.ts';

/**
 * Migrations 006, 007 and 010 rebuild the key register to admit the 'audit', 'status-list' and
 * 'tsa' purposes: a filled register survives all three.
 */
it('migration 006 keeps every key of a filled register, its issuer links enforced, and admits audit keys', () => {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const all = listSqliteMigrations();
  migrate(
    db,
    all.filter((m) => m.version < 6),
  );
  const ins = db.prepare(
    `INSERT INTO signing_keys (kid, purpose, institution_credit_code, institution_name, public_jwk, x509_pem, issuer_kid, not_before, not_after, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
  );
  ins.run('root', 'root', null, null, '{}', 'pem', null, 'a', 'b', 'active', 'a');
  ins.run('tl', 'trust-list', null, null, '{}', 'pem', 'root', 'a', 'b', 'active', 'a');
  db.prepare('INSERT INTO institutions (credit_code, name, division_code, created_at) VALUES (?,?,?,?)').run(
    'X',
    'n',
    '440106',
    'a',
  );
  ins.run('lic', 'licence', 'X', 'n', '{}', 'pem', 'root', 'a', 'b', 'active', 'a');
  expect(migrate(db, all).slice(0, 2)).toEqual([6, 7]);
  expect(db.prepare('SELECT kid, issuer_kid FROM signing_keys ORDER BY kid').all()).toHaveLength(3);
  expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  expect(String(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'signing_keys'").pluck().get())).toContain(
    'REFERENCES "signing_keys"',
  );
  expect(
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signing_keys' AND sql IS NOT NULL ORDER BY name",
      )
      .pluck()
      .all(),
  ).toEqual(['signing_keys_institution', 'signing_keys_kid_hint', 'signing_keys_one_active']);
  ins.run('aud', 'audit', null, null, '{}', 'pem', 'root', 'a', 'b', 'active', 'a');
  ins.run('st', 'status-list', null, null, '{}', 'pem', 'root', 'a', 'b', 'active', 'a');
  ins.run('ts', 'tsa', null, null, '{}', 'pem', 'root', 'a', 'b', 'active', 'a');
  expect(() => ins.run('bad', 'audit', null, null, '{}', 'pem', 'nope', 'a', 'b', 'retired', 'a')).toThrow();
});
