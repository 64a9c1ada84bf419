import path from 'node:path';
import { type Clock, systemClock } from '../../domain/ports.ts';
import type { KeyRegister } from '../../domain/trust/ports.ts';
import { createSqlSealedKeyVault } from '../sql/sealed-key-vault.ts';
import type { Sql } from '../sql/sql.ts';
import type { EncryptedKeyFile } from './encrypted-key-file.ts';
import { SealedKeyStore, type SealedKeyStoreOptions } from './sealed-key-store.ts';
import { importKeyDirectory } from './sealed-key-vault.ts';
import { createSigningKeyRepository } from './signing-key-repository.ts';

/**
 * Outside production a missing KEY_PASSPHRASE falls back to this published value (tests and
 * tools); the service itself passes a per-data-directory random one (setup/key-passphrase.ts).
 * Production configuration refuses to start without a passphrase (config.ts).
 */
export const DEVELOPMENT_PASSPHRASE = 'development-only';

/**
 * The key store of a deployment: sealed private keys and public metadata, both in the service
 * database. Key files an earlier version kept in DATA_DIR/keys are imported into the database
 * once (and left in place).
 */
export function openKeyStore(
  config: { dataDir: string; keyPassphrase: string | null; env: SealedKeyStoreOptions['environment'] },
  sql: Sql,
  clock?: Clock,
  cost?: Pick<SealedKeyStoreOptions, 'scryptLog2N'>,
  offlineKeys?: readonly EncryptedKeyFile[],
): { keyStore: SealedKeyStore; repository: KeyRegister; imported: string[] } {
  const repository = createSigningKeyRepository(sql);
  const vault = createSqlSealedKeyVault(sql);
  const imported = importKeyDirectory(path.join(config.dataDir, 'keys'), vault, (clock ?? systemClock).now());
  const keyStore = SealedKeyStore.open({
    vault,
    passphrase: config.keyPassphrase ?? DEVELOPMENT_PASSPHRASE,
    register: repository,
    environment: config.env,
    ...(clock && { clock }),
    ...cost,
    ...(offlineKeys && { offlineKeys }),
  });
  return { keyStore, repository, imported };
}
