/**
 * The certificate register's verification read (`lookup`, one query) on a register of realistic
 * rows (each certificate with a PDF of `--pdf-kb`), before and after migration 024 moved the PDFs
 * out of the `certificates` row, in the same run: the register is built at migration 023 (the PDF
 * between `qr_text` and the columns the read needs last), copied, and the copy migrated (its time
 * printed). Variants: the same SQL prepared once on better-sqlite3 and run bare on both files
 * (the first is the baseline), the register's own `lookup` through the query layer, and the
 * query built and compiled with Kysely on every call, which the register avoids. Rounds
 * alternate, so a slow spell of this shared machine hits every variant alike; medians.
 *
 *   tsx bench/bench-register-lookup.ts [--certificates 10000] [--pdf-kb 50] [--rounds 5] [--ms 1000]
 */

import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  certificateRowOf,
  createSqlCertificateRegister,
  registerLookup,
} from '../src/adapters/sql/certificate-register.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { listSqliteMigrations, migrate, openDatabase } from '../src/adapters/sqlite/database.ts';
import { certificateRecord, seedInstitution } from '../tests/adapters/lifecycle-store-kit.ts';

const { values } = parseArgs({
  options: {
    certificates: { type: 'string', default: '10000' },
    'pdf-kb': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '1000' },
  },
});
const count = Number(values.certificates);
const pdfBytes = Number(values['pdf-kb']) * 1024;
const work = mkdtempSync(path.join(tmpdir(), 'bench-register-lookup-'));
try {
  // The register as migration 023 left it: each PDF inside its certificate's row.
  const beforeFile = path.join(work, 'before.sqlite');
  const before = new Database(beforeFile);
  before.pragma('journal_mode = WAL');
  migrate(
    before,
    listSqliteMigrations().filter((m) => m.version < 24),
  );
  seedInstitution(sqliteSql(before));
  const numbers = Array.from({ length: count }, (_, i) => `Q${String(440000001 + i).padStart(9, '0')}`);
  const columns = [...Object.keys(certificateRowOf(certificateRecord(numbers[0]!))), 'pdf', 'pdf_sha256'];
  const insert = before.prepare(
    `INSERT INTO certificates (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const pdf = randomBytes(pdfBytes);
  before.transaction(() => {
    for (const [i, no] of numbers.entries()) {
      // Each PDF its own bytes (the number in its first bytes), as SQLite stores each row's.
      pdf.write(no, 0);
      const row = certificateRowOf(certificateRecord(no, { mother: (i % 400) + 1 }));
      insert.run(...Object.values(row), pdf, createHash('sha256').update(pdf).digest('base64url'));
    }
  })();
  before.pragma('wal_checkpoint(TRUNCATE)');

  // A copy, migrated as a service start migrates it.
  const afterFile = path.join(work, 'after.sqlite');
  copyFileSync(beforeFile, afterFile);
  const migrationStart = performance.now();
  const connection = openDatabase(afterFile);
  const migrationMs = performance.now() - migrationStart;
  const sql = sqliteSql(connection);
  const register = createSqlCertificateRegister(sql);

  // The register's statement, written out and prepared once on better-sqlite3, run bare.
  const lookupSql = `SELECT c.certificate_no, c.status, c.superseded_by, c.licence_id, c.licence_digest, c.pdf_sha256, c.backfilled,
       CASE WHEN EXISTS (SELECT 1 FROM household_registrations h WHERE h.lineage = c.lineage) THEN 1 ELSE 0 END
         AS household_registered,
       (SELECT group_concat(h.pdf_sha256, ',') FROM certificate_pdf_history h WHERE h.certificate_no = c.certificate_no)
         AS earlier_pdf_digests,
       e.idx AS status_idx, l.uri AS status_uri
     FROM certificates c
     LEFT JOIN status_list_entries e ON e.certificate_no = c.certificate_no
     LEFT JOIN status_lists l ON l.id = e.list_id
     WHERE c.certificate_no = ?`;
  const bareBefore = before.prepare(lookupSql);
  const bare = connection.prepare(lookupSql);
  // The register's query, built and compiled anew for each read.
  const builtEachCall = (no: string) => sql.get(registerLookup(sql, no));
  const variants = {
    'before 024, bare statement (baseline)   ': (no: string) => bareBefore.get(no),
    'after 024, bare statement               ': (no: string) => bare.get(no),
    'after 024, register.lookup (query layer)': (no: string) => register.lookup(no),
    'after 024, built and compiled each call ': builtEachCall,
  };
  type Name = keyof typeof variants;
  const names = Object.keys(variants) as Name[];
  for (const name of names) if (!variants[name](numbers[0]!)) throw new Error(`${name} found nothing`);

  const roundMs = Number(values.ms);
  const runs = new Map<Name, number[]>(names.map((n) => [n, []]));
  let pick = 0;
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const name of names) {
      const read = variants[name];
      let done = 0;
      const start = performance.now();
      while (performance.now() - start < roundMs) {
        for (let i = 0; i < 200; i++) {
          pick = (pick + 7919) % count;
          read(numbers[pick]!);
        }
        done += 200;
      }
      runs.get(name)!.push(done / ((performance.now() - start) / 1000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const baseline = median(runs.get(names[0]!)!);
  console.log(
    `node ${process.version}, ${count} certificates with ${values['pdf-kb']} KB PDFs, ` +
      `median of ${values.rounds} rounds of ${roundMs} ms`,
  );
  console.log(`  migration 024 on this register: ${(migrationMs / 1000).toFixed(2)} s`);
  for (const name of names) {
    const perS = median(runs.get(name)!);
    console.log(
      `  ${name}  ${Math.round(perS).toString().padStart(8)} reads/s  ${(1e6 / perS).toFixed(1).padStart(5)} µs  ` +
        `${(perS / baseline).toFixed(2)} × baseline`,
    );
  }
  connection.close();
  before.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
