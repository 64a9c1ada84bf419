import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The schema's migrations: one ordered list of names, each written once per engine, as
 * `sqlite/migrations/NNN-name.sql` and `postgres/migrations/NNN-name.sql` beside this file.
 * Both engines apply the same versions in the same order; tests/pg/schema.test.ts checks that
 * the two directories list the same migrations and end in the same tables, columns and indexes.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export type Engine = 'sqlite' | 'postgres';

const here = path.dirname(fileURLToPath(import.meta.url));
const migrationName = /^(\d{3})-[a-z0-9-]+\.sql$/;

export const migrationsDirOf = (engine: Engine) => path.join(here, engine, 'migrations');

/** `NNN-name.sql` files of the directory in order, each applied once in its own transaction. */
export function listMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((file) => migrationName.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file,
      sql: readFileSync(path.join(dir, file), 'utf8'),
    }));
}
