/**
 * What the key register's engine-neutral change mark costs (figures for the closing note; nothing
 * asserted). Trust lookups read the mark before using what they cached from the register, so it
 * is read about once per verification. Same-run baselines:
 *   1. SQLite: the mark (one row of key_register_changes, migration 019) against
 *      `PRAGMA data_version`, what the mark read before;
 *   2. SQLite: active() through the query layer against the prepared statement it ran before;
 *   3. PostgreSQL, when --database-url names a migrated database: the mark against `SELECT 1`,
 *      the cheapest round trip to the connection thread there is.
 *
 *   tsx bench/bench-key-register.ts [--ops 200000] [--database-url postgres://…]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql as raw } from 'kysely';
import { createSigningKeyRepository } from '../src/adapters/keystore/signing-key-repository.ts';
import { postgresSql } from '../src/adapters/postgres/postgres-sql.ts';
import type { Sql } from '../src/adapters/sql/sql.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import type { SigningKeyRecord } from '../src/domain/trust/ports.ts';

const { values } = parseArgs({
  options: { ops: { type: 'string', default: '200000' }, 'database-url': { type: 'string' } },
});
const ops = Number(values.ops);
const records = JSON.parse(
  readFileSync(new URL('../keys.example/signing-keys.json', import.meta.url), 'utf8'),
) as SigningKeyRecord[];

const rate = (label: string, count: number, run: () => unknown) => {
  for (let i = 0; i < Math.min(count, 1000); i++) run();
  const started = performance.now();
  for (let i = 0; i < count; i++) run();
  return { label, perSecond: count / ((performance.now() - started) / 1000) };
};
const show = (base: { label: string; perSecond: number }, measured: { label: string; perSecond: number }) => {
  console.log(`  ${base.label.padEnd(44)} ${Math.round(base.perSecond).toLocaleString('en').padStart(12)}/s`);
  console.log(
    `  ${measured.label.padEnd(44)} ${Math.round(measured.perSecond).toLocaleString('en').padStart(12)}/s` +
      `  (${(measured.perSecond / base.perSecond).toFixed(2)}× the baseline)`,
  );
};

type Baseline = { label: string; run: () => unknown };

function measure(sql: Sql, count: number, baseline: Baseline, activeBaseline?: Baseline) {
  const register = createSigningKeyRepository(sql);
  if (register.list().length === 0) for (const record of records) register.insert(record);
  const base = rate(baseline.label, count, baseline.run);
  const mark = rate('changeMark() (key_register_changes)', count, () => register.changeMark());
  show(base, mark);
  const active = rate('active(licence, institution)', count, () =>
    register.active('licence', records[1]!.institutionCreditCode!),
  );
  if (activeBaseline) show(rate(activeBaseline.label, count, activeBaseline.run), active);
  else console.log(`  ${active.label.padEnd(44)} ${Math.round(active.perSecond).toLocaleString('en').padStart(12)}/s`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-key-register-'));
try {
  const connection = openDatabase(path.join(dir, 'service.sqlite'));
  const sqlite = sqliteSql(connection);
  const dataVersion = connection.prepare('PRAGMA data_version').pluck();
  console.log(`SQLite (WAL file), ${ops.toLocaleString('en')} reads each:`);
  // What active() ran before the query layer: one prepared statement, its row parsed the same way.
  const activeBefore = connection.prepare<[string, string], { public_jwk: string }>(
    `SELECT * FROM signing_keys WHERE status = 'active' AND purpose = ? AND coalesce(institution_credit_code, '') = ?`,
  );
  measure(
    sqlite,
    ops,
    { label: 'PRAGMA data_version (before)', run: () => dataVersion.get() },
    {
      label: 'active(): a prepared statement (before)',
      run: () => JSON.parse(activeBefore.get('licence', records[1]!.institutionCreditCode!)!.public_jwk),
    },
  );
  sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const url = values['database-url'];
if (url) {
  const pg = postgresSql(url);
  const count = Math.max(1, Math.floor(ops / 20));
  console.log(`PostgreSQL, ${count.toLocaleString('en')} reads each:`);
  try {
    measure(pg, count, { label: 'SELECT 1 (a round trip)', run: () => pg.get(raw`SELECT 1 AS one`) });
  } finally {
    pg.close();
  }
}
