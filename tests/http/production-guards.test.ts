import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { demoInstitutions } from '../../src/setup/demo-trust-domain.ts';
import { start } from '../../src/start.ts';
import { databaseEnvFor } from '../storage-kit.ts';
import { testEnvironment } from './demo-data-dir.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bc-prod-guard-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts the service as main.ts does (production KDF costs), with NODE_ENV=production. */
/** The refusal of a start that must not happen: its code and message. */
async function refusalOf(starting: Promise<{ stop(): Promise<void> }>) {
  const outcome = await starting.then(
    async (running) => {
      await running.stop();
      return null;
    },
    (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
  );
  return outcome;
}

async function startInProduction(dataDir: string, keyPassphrase: string) {
  const config = await loadConfig({
    ...testEnvironment(dataDir),
    NODE_ENV: 'production',
    KEY_PASSPHRASE: keyPassphrase,
  });
  return start(config, { logger: pino({ level: 'silent' }), clock: { now: () => new Date() } });
}

describe('a production start', () => {
  it('refuses a data directory seeded by the demo, naming each trace, and its published passphrase', async () => {
    const dataDir = tempDir();
    cpSync(inject('demoDataDir'), dataDir, { recursive: true });
    // On PostgreSQL the demo seed is a database: this directory gets a copy of it.
    await databaseEnvFor(dataDir, true);
    expect(await refusalOf(startInProduction(dataDir, 'test-passphrase'))).toEqual({
      code: 'UNSAFE_FOR_PRODUCTION',
      message: `Production refuses to start: the key passphrase is a published example or development passphrase; the data directory was seeded by the demo: the trust root is the demo root CA; demo institutions (${demoInstitutions
        .map((i) => i.creditCode)
        .sort()
        .join(
          ', ',
        )}); demo accounts (demo-admin, demo-police, demo-agency, demo-auditor, demo-statistician, demo-midwife-gz, demo-issuer-gz, demo-midwife-bj, demo-issuer-bj); demo files in the data directory (demo-credentials.json). Set up a new one with the operator CLI`,
    });
  });

  it.each([
    ['a', 'the key passphrase must have at least 16 characters'],
    ['development-only', 'the key passphrase is a published example or development passphrase'],
    ['passwordpassword', 'the key passphrase is too easy to guess (strength estimate below 3 of 4)'],
  ])('refuses the key passphrase %j on an empty data directory', async (passphrase, problem) => {
    expect(await refusalOf(startInProduction(tempDir(), passphrase))).toEqual({
      code: 'UNSAFE_FOR_PRODUCTION',
      message: `Production refuses to start: ${problem}`,
    });
  });

  it('starts on an empty data directory with a strong passphrase', async () => {
    const running = await startInProduction(tempDir(), 'hN3v-8qLr-Zt2w-Kx9p-Fm4s');
    await running.stop();
  });
});
