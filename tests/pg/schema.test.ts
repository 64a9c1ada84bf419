import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations, migrationsDirOf } from '../../src/adapters/migration-files.ts';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { listSqliteMigrations, openDatabase, type SqliteDatabase } from '../../src/adapters/sqlite/database.ts';
import { freshDatabase } from './pg-kit.ts';

/**
 * The two engines' migrations are one ordered list written twice: after all of them, SQLite and
 * PostgreSQL hold the same tables, columns (name, kind of type, nullability, primary key),
 * unique keys, indexes (name, columns or expressions, unique, partial) and triggers.
 */
interface Schema {
  columns: string[];
  uniques: string[];
  indexes: string[];
  triggers: string[];
}

const typeOf = (declared: string) => {
  const t = declared.toLowerCase();
  if (t === 'text') return 'text';
  if (['integer', 'bigint', 'smallint'].includes(t)) return 'integer';
  if (t === 'blob' || t === 'bytea') return 'bytes';
  return `other:${t}`;
};

function sqliteSchema(db: SqliteDatabase): Schema {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const schema: Schema = { columns: [], uniques: [], indexes: [], triggers: [] };
  for (const table of tables) {
    for (const c of db.pragma(`table_info(${table})`) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[]) {
      schema.columns.push(
        `${table}.${c.name} ${typeOf(c.type)}${c.notnull || c.pk ? ' not null' : ''}${c.pk ? ' pk' : ''}`,
      );
    }
    for (const index of db.pragma(`index_list(${table})`) as {
      name: string;
      unique: number;
      origin: string;
      partial: number;
    }[]) {
      const columns = (db.pragma(`index_xinfo(${index.name})`) as { key: number; name: string | null }[])
        .filter((c) => c.key === 1)
        .map((c) => c.name ?? '(expression)')
        .join(', ');
      if (index.origin === 'u') schema.uniques.push(`${table} (${columns})`);
      if (index.origin === 'c') {
        schema.indexes.push(
          `${index.name} on ${table} (${columns})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`,
        );
      }
    }
  }
  schema.triggers = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    .pluck()
    .all() as string[];
  for (const list of Object.values(schema)) list.sort();
  return schema;
}

async function postgresSchema(client: pg.Client): Promise<Schema> {
  const schema: Schema = { columns: [], uniques: [], indexes: [], triggers: [] };
  const columns = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    pk: boolean;
  }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable,
            EXISTS (SELECT 1 FROM information_schema.table_constraints t
                    JOIN information_schema.key_column_usage k
                      ON k.constraint_name = t.constraint_name AND k.table_name = t.table_name
                    WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_name = c.table_name
                      AND k.column_name = c.column_name) AS pk
     FROM information_schema.columns c WHERE c.table_schema = 'public'`,
  );
  for (const c of columns.rows) {
    schema.columns.push(
      `${c.table_name}.${c.column_name} ${typeOf(c.data_type)}${c.is_nullable === 'NO' ? ' not null' : ''}${c.pk ? ' pk' : ''}`,
    );
  }
  // Every index with its key columns (0 in indkey is an expression), and whether it backs a
  // UNIQUE constraint (SQLite's `origin = 'u'`), a primary key (left out, as SQLite's are) or
  // stands on its own (CREATE INDEX).
  const indexes = await client.query<{
    index: string;
    table: string;
    columns: string[];
    unique: boolean;
    partial: boolean;
    constraint: string | null;
  }>(
    `SELECT i.relname AS index, t.relname AS table, x.indisunique AS unique, x.indpred IS NOT NULL AS partial,
            (SELECT contype::text FROM pg_constraint WHERE conindid = x.indexrelid AND contype IN ('p', 'u')) AS constraint,
            ARRAY(SELECT coalesce(a.attname::text, '(expression)')
                  FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
                  LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                  ORDER BY k.n) AS columns
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN pg_namespace ns ON ns.oid = t.relnamespace
     WHERE ns.nspname = 'public'`,
  );
  for (const index of indexes.rows) {
    const columns = index.columns.join(', ');
    if (index.constraint === 'u') schema.uniques.push(`${index.table} (${columns})`);
    if (index.constraint === null) {
      schema.indexes.push(
        `${index.index} on ${index.table} (${columns})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`,
      );
    }
  }
  const triggers = await client.query<{ name: string }>(
    `SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = 'public'`,
  );
  schema.triggers = triggers.rows.map((t) => t.name);
  for (const list of Object.values(schema)) list.sort();
  return schema;
}

describe('one schema, two engines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bc-schema-'));
  let sqlite: Schema;
  let postgres: Schema;

  beforeAll(async () => {
    const db = openDatabase(path.join(dir, 'register.db'));
    sqlite = sqliteSchema(db);
    db.close();
    const { url } = await freshDatabase();
    const migrated = postgresSql(url);
    migrateSchema(migrated);
    migrated.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    postgres = await postgresSchema(client);
    await client.end();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the same migrations for both engines, in the same order', () => {
    const names = (list: { name: string }[]) => list.map((m) => m.name);
    expect(names(listMigrations(migrationsDirOf('postgres')))).toEqual(names(listSqliteMigrations()));
  });

  it('ends in the same tables and columns', () => {
    expect(postgres.columns).toEqual(sqlite.columns);
    expect(sqlite.columns.length).toBeGreaterThan(150);
  });

  it('ends in the same unique keys and indexes', () => {
    expect(postgres.uniques).toEqual(sqlite.uniques);
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });

  it('ends in the same triggers', () => {
    expect(postgres.triggers).toEqual(sqlite.triggers);
  });
});
