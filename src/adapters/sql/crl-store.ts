import type { CrlStore, StoredCrl } from '../../domain/trust/ports.ts';
import type { Sql } from './sql.ts';

/** The root's CRLs (migration 010), append-only. */
export function createSqlCrlStore(sql: Sql): CrlStore {
  const { db } = sql;
  return {
    latest() {
      const row = sql.get(
        db
          .selectFrom('pki_crls')
          .select(['number', 'der', 'this_update', 'next_update', 'revocations'])
          .orderBy('number', 'desc')
          .limit(1),
      );
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
      sql.run(
        db.insertInto('pki_crls').values({
          number: crl.number,
          der: Buffer.from(crl.der),
          this_update: crl.thisUpdate,
          next_update: crl.nextUpdate,
          revocations: crl.revocations,
        }),
      );
    },
  };
}
