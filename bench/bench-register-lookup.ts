/**
 * The certificate register's verification read (`lookup`, one query) through the query layer,
 * against a same-run baseline: the same SQL prepared once on better-sqlite3 and run bare. Also shown: building and compiling the query with Kysely on
 * every call, which the register avoids by compiling it once and binding only the number.
 * Rounds alternate, so a slow spell of this shared machine hits every variant alike; medians.
 *
 *   tsx bench/bench-register-lookup.ts [--certificates 10000] [--rounds 5] [--ms 1000]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSqlCertificateRegister, registerLookup } from '../src/adapters/sql/certificate-register.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../src/adapters/sqlite/database.ts';
import { certificateRecord, seedInstitution } from '../tests/adapters/lifecycle-store-kit.ts';

const { values } = parseArgs({
  options: {
    certificates: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    ms: { type: 'string', default: '1000' },
  },
});
const count = Number(values.certificates);
const work = mkdtempSync(path.join(tmpdir(), 'bench-register-lookup-'));
try {
  const connection = openDatabase(path.join(work, 'service.sqlite'));
  const sql = sqliteSql(connection);
  seedInstitution(sql);
  const register = createSqlCertificateRegister(sql);
  const numbers = Array.from({ length: count }, (_, i) => `Q${String(440000001 + i).padStart(9, '0')}`);
  sql.transaction(() => {
    for (const [i, no] of numbers.entries()) {
      const pdf = createHash('sha256').update(no).digest();
      register.insert(certificateRecord(no, { mother: (i % 400) + 1 }), pdf);
    }
  });

  // The register's statement, written out and prepared once on better-sqlite3, run bare.
  const bare = connection.prepare(
    `SELECT c.certificate_no, c.status, c.superseded_by, c.licence_id, c.licence_digest, c.pdf_sha256, c.backfilled,
       CASE WHEN EXISTS (SELECT 1 FROM household_registrations h WHERE h.lineage = c.lineage) THEN 1 ELSE 0 END
         AS household_registered,
       (SELECT group_concat(h.pdf_sha256, ',') FROM certificate_pdf_history h WHERE h.certificate_no = c.certificate_no)
         AS earlier_pdf_digests,
       e.idx AS status_idx, l.uri AS status_uri
     FROM certificates c
     LEFT JOIN status_list_entries e ON e.certificate_no = c.certificate_no
     LEFT JOIN status_lists l ON l.id = e.list_id
     WHERE c.certificate_no = ?`,
  );
  // The register's query, built and compiled anew for each read.
  const builtEachCall = (no: string) => sql.get(registerLookup(sql, no));
  const variants = {
    'bare better-sqlite3 statement (baseline)': (no: string) => bare.get(no),
    'register.lookup (query layer)           ': (no: string) => register.lookup(no),
    'builder + compile on every call         ': builtEachCall,
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
  console.log(`node ${process.version}, ${count} certificates, median of ${values.rounds} rounds of ${roundMs} ms`);
  for (const name of names) {
    const perS = median(runs.get(name)!);
    console.log(
      `  ${name}  ${Math.round(perS).toString().padStart(8)} reads/s  ${(perS / baseline).toFixed(2)} × baseline`,
    );
  }
  connection.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
