import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * The passphrase that encrypts private keys at rest: from the environment or a secret file
 * (config). Outside production, when none is configured, the demo generates one into
 * `DATA_DIR/demo-key-passphrase` (0600) so `npm start` needs no set-up; in production
 * loadConfig has already refused to start without one.
 */
export function keyPassphrase(config: Config): string {
  if (config.keyPassphrase !== null) return config.keyPassphrase;
  const file = path.join(config.dataDir, 'demo-key-passphrase');
  // With DATABASE_URL nothing else may have made the data directory yet (SQLite's file would have).
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
