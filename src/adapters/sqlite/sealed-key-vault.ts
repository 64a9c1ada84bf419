import type { EncryptedKeyFile } from '../keystore/encrypted-key-file.ts';
import type { SealedKeyVault } from '../keystore/sealed-key-vault.ts';
import type { SqliteDatabase } from './database.ts';

/** The sealed private keys in `sealed_keys` (migration 018): write-once rows of JSON documents. */
export function createSqliteSealedKeyVault(db: SqliteDatabase): SealedKeyVault {
  const q = {
    kids: db.prepare<[], string>('SELECT kid FROM sealed_keys ORDER BY kid').pluck(),
    read: db.prepare<[string], string>('SELECT sealed FROM sealed_keys WHERE kid = ?').pluck(),
    write: db.prepare<[string, string, string]>(
      'INSERT INTO sealed_keys (kid, sealed, created_at) VALUES (?, ?, ?) ON CONFLICT (kid) DO NOTHING',
    ),
    remove: db.prepare<[string]>('DELETE FROM sealed_keys WHERE kid = ?'),
  };
  return {
    kids: () => q.kids.all(),
    read(kid) {
      const sealed = q.read.get(kid);
      return sealed === undefined ? null : (JSON.parse(sealed) as EncryptedKeyFile);
    },
    write: (sealed, createdAt) => q.write.run(sealed.kid, JSON.stringify(sealed), createdAt).changes === 1,
    removeRoot(kid) {
      q.remove.run(kid);
    },
  };
}
