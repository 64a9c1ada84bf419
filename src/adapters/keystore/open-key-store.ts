import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Clock } from '../../domain/ports.ts';
import type { KeyRegister } from '../../domain/trust/ports.ts';
import { FileKeyStore, type FileKeyStoreOptions } from './file-key-store.ts';
import { createSigningKeyRepository } from './signing-key-repository.ts';

/**
 * Outside production a missing KEY_PASSPHRASE falls back to this published value (tests and
 * tools); the service itself passes a per-data-directory random one (setup/key-passphrase.ts).
 * Production configuration refuses to start without a passphrase (config.ts).
 */
export const DEVELOPMENT_PASSPHRASE = 'development-only';

/** The key store of a deployment: DATA_DIR/keys, metadata in the service database. */
export function openKeyStore(
  config: { dataDir: string; keyPassphrase: string | null; env: FileKeyStoreOptions['environment'] },
  db: Database.Database,
  clock?: Clock,
  cost?: Pick<FileKeyStoreOptions, 'scryptLog2N'>,
): { keyStore: FileKeyStore; repository: KeyRegister } {
  const repository = createSigningKeyRepository(db);
  const keyStore = FileKeyStore.open({
    directory: path.join(config.dataDir, 'keys'),
    passphrase: config.keyPassphrase ?? DEVELOPMENT_PASSPHRASE,
    register: repository,
    environment: config.env,
    ...(clock && { clock }),
    ...cost,
  });
  return { keyStore, repository };
}
