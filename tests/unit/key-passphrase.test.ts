import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { keyPassphrase } from '../../src/setup/key-passphrase.ts';

describe('the demo key passphrase', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'bc-passphrase-'));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is made in a data directory that does not exist yet (PostgreSQL makes no file there), once, readable by the owner only', () => {
    const dataDir = path.join(root, 'node-a', 'data');
    const config = { dataDir, keyPassphrase: null } as unknown as Config;
    const first = keyPassphrase(config);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(keyPassphrase(config)).toBe(first);
    const file = path.join(dataDir, 'demo-key-passphrase');
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is the configured one when there is one, and writes nothing', () => {
    const dataDir = path.join(root, 'configured');
    expect(keyPassphrase({ dataDir, keyPassphrase: 'from the environment' } as unknown as Config)).toBe(
      'from the environment',
    );
    expect(() => statSync(dataDir)).toThrow(/ENOENT/);
  });
});
