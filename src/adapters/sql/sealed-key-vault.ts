import type { EncryptedKeyFile } from '../keystore/encrypted-key-file.ts';
import type { SealedKeyVault } from '../keystore/sealed-key-vault.ts';
import type { Sql } from './sql.ts';

/** The sealed private keys in `sealed_keys` (migration 018): write-once rows of JSON documents. */
export function createSqlSealedKeyVault(sql: Sql): SealedKeyVault {
  const { db } = sql;
  return {
    kids: () => sql.all(db.selectFrom('sealed_keys').select('kid').orderBy('kid')).map((row) => row.kid),
    read(kid) {
      const row = sql.get(db.selectFrom('sealed_keys').select('sealed').where('kid', '=', kid));
      return row === undefined ? null : (JSON.parse(row.sealed) as EncryptedKeyFile);
    },
    write: (sealed, createdAt) =>
      sql.run(
        db
          .insertInto('sealed_keys')
          .values({ kid: sealed.kid, sealed: JSON.stringify(sealed), created_at: createdAt })
          .onConflict((oc) => oc.column('kid').doNothing()),
      ) === 1,
    removeRoot(kid) {
      sql.run(db.deleteFrom('sealed_keys').where('kid', '=', kid));
    },
  };
}
