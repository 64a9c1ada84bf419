import type { CrlStore, StoredCrl } from '../../domain/trust/ports.ts';
import type { SqliteDatabase } from './database.ts';

interface Row {
  number: number;
  der: Buffer;
  this_update: string;
  next_update: string;
  revocations: string;
}

/** The root's CRLs (migration 010), append-only. */
export function createSqliteCrlStore(db: SqliteDatabase): CrlStore {
  const latest = db.prepare<[], Row>('SELECT * FROM pki_crls ORDER BY number DESC LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO pki_crls (number, der, this_update, next_update, revocations)
     VALUES (@number, @der, @thisUpdate, @nextUpdate, @revocations)`,
  );
  return {
    latest() {
      const row = latest.get();
      return row
        ? {
            number: row.number,
            der: new Uint8Array(row.der),
            thisUpdate: row.this_update,
            nextUpdate: row.next_update,
            revocations: row.revocations,
          }
        : null;
    },
    insert(crl: StoredCrl) {
      insert.run({ ...crl, der: Buffer.from(crl.der) });
    },
  };
}
