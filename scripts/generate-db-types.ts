/**
 * Writes src/adapters/sql/schema.generated.ts, the query builder's table types, from the schema
 * the SQLite migrations make (the PostgreSQL twins make the same tables and columns:
 * tests/pg/schema.test.ts). Run after adding a migration: `npm run gen:db-types`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/adapters/sqlite/database.ts';

/**
 * SQLite lets a primary key other than INTEGER hold NULL unless it says NOT NULL, so the
 * generator types such keys as nullable; no row of ours has one (and PostgreSQL forbids it).
 */
function withKeysNotNull(file: string, source: string): string {
  const db = openDatabase(file);
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    let typed = source.replace('kysely-codegen.', 'kysely-codegen (npm run gen:db-types).');
    for (const { name } of tables) {
      const interfaceName = name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
      const keys = db
        .prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${name})`)
        .all()
        .filter((column) => column.pk > 0);
      typed = typed.replace(new RegExp(`export interface ${interfaceName} \\{[^}]*\\}`), (body) =>
        keys.reduce((text, key) => text.replace(new RegExp(`(\\n  ${key.name}: [^;]*?) \\| null`), '$1'), body),
      );
    }
    return typed;
  } finally {
    db.close();
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'src', 'adapters', 'sql', 'schema.generated.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'bc-db-types-'));
try {
  const file = path.join(dir, 'schema.sqlite');
  openDatabase(file).close();
  const generated = path.join(dir, 'schema.ts');
  execFileSync(
    path.join(root, 'node_modules', '.bin', 'kysely-codegen'),
    ['--dialect', 'sqlite', '--url', file, '--out-file', generated, '--exclude-pattern', 'schema_migrations'],
    { stdio: 'ignore' },
  );
  writeFileSync(out, withKeysNotNull(file, readFileSync(generated, 'utf8')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
