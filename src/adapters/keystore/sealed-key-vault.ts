import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EncryptedKeyFile } from './encrypted-key-file.ts';

/**
 * Where the key store keeps its sealed private keys (encrypted-key-file.ts documents): in the
 * service database, so every node of a deployment reads the same keys and none needs a key
 * directory. Write-once: a sealed key is never replaced or edited; only a root key leaves, when
 * the operator takes it offline.
 */
export interface SealedKeyVault {
  /** The kids of every sealed key held. */
  kids(): string[];
  /** The sealed document of `kid`, or null when it is not held here. */
  read(kid: string): EncryptedKeyFile | null;
  /** Stores a new sealed key; false (and nothing written) when `kid` is already held. */
  write(sealed: EncryptedKeyFile, createdAt: string): boolean;
  /** Removes the root key `kid` (the database refuses any other). */
  removeRoot(kid: string): void;
}

const KEY_FILE = /^([A-Za-z0-9_-]{43})\.key$/;

/**
 * Imports the `<kid>.key` files of a key directory of an earlier version (DATA_DIR/keys) into the
 * vault: each file whose document names the kid of its file name and is not held yet. Idempotent;
 * the files stay where they are (the README says when they may go). A file that does not parse or
 * names another kid is skipped: the key store reports such a key as unreadable when it is used.
 * Returns the kids imported.
 */
export function importKeyDirectory(directory: string, vault: SealedKeyVault, now: Date): string[] {
  if (!existsSync(directory)) return [];
  const held = new Set(vault.kids());
  const imported: string[] = [];
  for (const name of readdirSync(directory).sort()) {
    const kid = KEY_FILE.exec(name)?.[1];
    if (!kid || held.has(kid)) continue;
    let sealed: EncryptedKeyFile;
    try {
      sealed = JSON.parse(readFileSync(path.join(directory, name), 'utf8')) as EncryptedKeyFile;
    } catch {
      continue;
    }
    if (sealed?.kid !== kid || typeof sealed.ciphertext !== 'string') continue;
    if (vault.write(sealed, now.toISOString())) imported.push(kid);
  }
  return imported;
}
