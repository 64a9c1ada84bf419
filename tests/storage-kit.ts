import { randomBytes } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { postgresSql } from '../src/adapters/postgres/postgres-sql.ts';
import type { Engine, Sql } from '../src/adapters/sql/sql.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import { knownDatabaseEnv, rememberDatabase } from './database-of-data-dir.ts';

/**
 * The engine the store tests run on: SQLite for `npm test`, PostgreSQL for `npm run test:pg`
 * (its project sets TEST_ENGINE=postgres and starts the throwaway cluster).
 */
export const testEngine: Engine = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/** The migrated, empty database each PostgreSQL test database is copied from (tests/pg/global-setup.ts). */
export const PG_TEMPLATE = 'bc_schema_template';
/** The database the service seeded with the demo trust domain, copied by each HTTP test service. */
export const PG_DEMO_TEMPLATE = 'bc_demo_template';

/**
 * The environment that puts a test service's data directory on the test engine: nothing on
 * SQLite (the file is in the directory); on PostgreSQL, DATABASE_URL of a database of its own,
 * the same one each time the directory's service starts again — a copy of the demo seed when
 * `seeded`, else an empty migrated one the service seeds itself, as in production.
 */
export async function databaseEnvFor(dataDir: string, seeded: boolean): Promise<Record<string, string>> {
  if (testEngine === 'sqlite') return {};
  const known = knownDatabaseEnv(dataDir);
  if (known.DATABASE_URL) return known;
  const url = await copyOfDatabase(seeded ? PG_DEMO_TEMPLATE : PG_TEMPLATE);
  rememberDatabase(dataDir, url);
  return { DATABASE_URL: url };
}

/** Runs SQL as the throwaway cluster's superuser on its `postgres` database. */
export async function clusterQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, migrated, empty database of the test engine: an in-memory SQLite one, or a copy of
 * the migrated template on the throwaway PostgreSQL cluster. `template` copies another database
 * of the cluster (one a test seeded). Close it after.
 */
export async function openTestSql(options: { template?: string } = {}): Promise<Sql> {
  if (testEngine === 'sqlite') return sqliteSql(openDatabase(':memory:'));
  return postgresSql(await copyOfDatabase(options.template ?? PG_TEMPLATE));
}

/** A new database of the cluster copied from `template`; its superuser URL. */
export async function copyOfDatabase(template: string): Promise<string> {
  const name = `bc_${randomBytes(6).toString('hex')}`;
  await clusterQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return url.href;
}

/**
 * Plain SQL with `?` parameters against the service's database, for tests that look under the
 * API (better-sqlite3's statement shape, on either engine): `statements(sql).prepare(text).all(…)`.
 */
export function statements(sql: Sql) {
  const numbered = (text: string) => {
    let n = 0;
    return sql.engine === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text;
  };
  const first = (row: unknown) => (row === undefined ? undefined : Object.values(row as object)[0]);
  return {
    prepare(text: string) {
      let plucked = false;
      const query = (params: unknown[]) => CompiledQuery.raw(numbered(text), params);
      const statement = {
        pluck() {
          plucked = true;
          return statement;
        },
        all: (...params: unknown[]): unknown[] => {
          const rows = sql.all<unknown>(query(params));
          return plucked ? rows.map(first) : rows;
        },
        get: (...params: unknown[]): unknown => {
          const row = sql.get<unknown>(query(params));
          return plucked ? first(row) : row;
        },
        run: (...params: unknown[]) => ({ changes: sql.run(query(params)) }),
      };
      return statement;
    },
  };
}
