import 'reflect-metadata';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/domain/ports.ts';
import type { KdfCost, ServiceDeps } from '../../src/service.ts';
import { type Running, start } from '../../src/start.ts';
import { knownDatabaseEnv } from '../database-of-data-dir.ts';

/**
 * scrypt at the lowest cost the key files accept (N = 2^10, 1 MiB): a test service seeds, signs in
 * and unlocks its keys in milliseconds. Production keeps its own cost (kdf-cost.test.ts).
 */
export const testKdfCost: KdfCost = { passwordLog2N: 10, keyFileLog2N: 10 };

/** The environment every in-process test service runs with. */
export const testEnvironment = (dataDir: string): Record<string, string> => ({
  // On PostgreSQL, the database the harness made for this data directory (operator tools and
  // restarts open the same one).
  ...knownDatabaseEnv(dataDir),
  DATA_DIR: dataDir,
  PORT: '0',
  HOST: '127.0.0.1',
  NODE_ENV: 'test',
  KEY_PASSPHRASE: 'test-passphrase',
});

/** The real service on `dataDir` (seeding the demo trust domain when it is empty), on port 0. */
export async function startInProcess(
  dataDir: string,
  options: { clock?: Clock; env?: Record<string, string>; webhooks?: ServiceDeps['webhooks'] } = {},
): Promise<Running> {
  const config = await loadConfig({ ...testEnvironment(dataDir), ...options.env });
  return start(config, {
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? { now: () => new Date() },
    kdfCost: testKdfCost,
    ...(options.webhooks && { webhooks: options.webhooks }),
  });
}

/**
 * Seeds the demo trust domain (PKI, institutions, accounts, demo-credentials.json) into an empty
 * `dataDir` (and the database `env.DATABASE_URL` names, when it names one).
 */
export async function seedDemoDataDir(dataDir: string, env: Record<string, string> = {}): Promise<void> {
  const running = await startInProcess(dataDir, { env });
  await running.stop();
}
