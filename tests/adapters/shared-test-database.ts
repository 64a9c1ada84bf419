import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import type { Sql } from '../../src/adapters/sql/sql.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { copyOfDatabase, PG_TEMPLATE, testEngine } from '../storage-kit.ts';

/**
 * One fresh, migrated database of the test engine and how to reach it again: a SQLite file in a
 * temporary directory, or a copy of the template on the throwaway PostgreSQL cluster. Each
 * `connect()` is a connection of its own, as a second service node holds.
 */
export async function sharedTestDatabase(): Promise<{ connect(): Sql; location: string; remove(): void }> {
  const opened: Sql[] = [];
  if (testEngine === 'sqlite') {
    const directory = mkdtempSync(path.join(tmpdir(), 'bc-shared-'));
    const file = path.join(directory, 'service.sqlite');
    return {
      location: file,
      connect() {
        const sql = sqliteSql(openDatabase(file));
        opened.push(sql);
        return sql;
      },
      remove() {
        for (const sql of opened) sql.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  }
  const url = await copyOfDatabase(PG_TEMPLATE);
  return {
    location: url,
    connect() {
      const sql = postgresSql(url);
      opened.push(sql);
      return sql;
    },
    remove() {
      for (const sql of opened) sql.close();
    },
  };
}
