import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * The passphrase that encrypts private keys at rest: from the environment or a secret file
 * (config). Outside production, when none is configured, the demo generates one into
 * `DATA_DIR/demo-key-passphrase` (0600) so `npm start` needs no set-up; production refuses to
 * start without one (see config.ts).
 */
export function keyPassphrase(config: Config): string {
  if (config.keyPassphrase !== null) return config.keyPassphrase;
  if (config.env === 'production') throw new Error('KEY_PASSPHRASE or KEY_PASSPHRASE_FILE is required in production');
  const file = path.join(config.dataDir, 'demo-key-passphrase');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600, flag: 'wx' });
  return readFileSync(file, 'utf8').trim();
}
