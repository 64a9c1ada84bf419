import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createService } from '../../src/service.ts';
import { testEnvironment, testKdfCost } from './demo-data-dir.ts';
import { startTestService } from './harness.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'bc-kdf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const logger = pino({ level: 'silent' });
const clock = { now: () => new Date() };
/** The sealed key as stored in the service database (sealed_keys). */
const keyFileOf = (dataDir: string, kid: string) => {
  const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
  try {
    const sealed = db.prepare<[string], string>('SELECT sealed FROM sealed_keys WHERE kid = ?').pluck().get(kid)!;
    return JSON.parse(sealed) as { kdf: unknown };
  } finally {
    db.close();
  }
};

describe('the scrypt cost of password hashes and key files', () => {
  it('is production strength when the service is wired as main.ts wires it: N=2^15 and N=2^16', async () => {
    const dataDir = path.join(scratch, 'as-main');
    const service = createService(await loadConfig(testEnvironment(dataDir)), { logger, clock });
    try {
      expect(await service.hasher.hash('correct horse battery staple')).toMatch(/^scrypt\$32768\$8\$1\$/);
      const { kid } = service.keyStore.generateKey();
      expect(keyFileOf(dataDir, kid).kdf).toMatchObject({ name: 'scrypt', log2N: 16, r: 8, p: 1 });
    } finally {
      service.close();
    }
  });

  it('cannot be lowered in production', async () => {
    const config = await loadConfig({
      ...testEnvironment(path.join(scratch, 'production')),
      NODE_ENV: 'production',
      KEY_PASSPHRASE: 'a real passphrase for this test',
    });
    expect(() => createService(config, { logger, clock, kdfCost: testKdfCost })).toThrow(/never production/);
  });

  it('is lowered for the test services, whose seeded hashes and key files carry the low cost', async () => {
    const svc = await startTestService();
    try {
      const hashes = svc.running.service.accounts.list().map((account) => account.passwordHash);
      expect(hashes.length).toBeGreaterThan(0);
      for (const hash of hashes) expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
      const kids = svc.running.service.signingKeys.list().map((key) => key.kid);
      for (const kid of kids) expect(keyFileOf(svc.dataDir, kid).kdf).toMatchObject({ log2N: 10 });
    } finally {
      await svc.stop();
    }
  });
});
