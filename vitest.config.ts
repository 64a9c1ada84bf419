import { defineConfig } from 'vitest/config';

/**
 * The HTTP suites that look at the SQLite file itself (tampering rows under the service, the
 * file's mode, back-issuance's bulk writes to the file, fixed SQLite vectors): SQLite only.
 */
const SQLITE_ONLY_HTTP_SUITES = [
  'tests/http/audit-checkpoints.test.ts',
  'tests/http/backfill-documents.test.ts',
  'tests/http/console-admin-keys.test.ts',
  'tests/http/integrity.test.ts',
  'tests/http/kdf-cost.test.ts',
  'tests/http/verification-vectors.test.ts',
];

/**
 * The suites `npm run test:pg` runs again on PostgreSQL (they run on SQLite in `npm test`): the
 * stores' (through tests/storage-kit.ts), every HTTP suite but the SQLite-only ones (the whole
 * service on a database of its own, copied from one the service seeded), and the two-node tests.
 */
const SUITES_ON_BOTH_ENGINES = [
  'tests/http/*.test.ts',
  'tests/adapters/sql-layer.test.ts',
  // Two nodes on one database, and two nodes killed under load (on SQLite: one file; one node).
  'tests/slow/two-nodes.test.ts',
  'tests/slow/crash-recovery.test.ts',
  'tests/adapters/certificate-register-store.test.ts',
  'tests/adapters/lifecycle-stores.test.ts',
  'tests/adapters/stateless-stores.test.ts',
  'tests/adapters/account-stores.test.ts',
  'tests/adapters/institution-collection-stores.test.ts',
  'tests/adapters/compile-once.test.ts',
  'tests/adapters/audit-log.test.ts',
  'tests/adapters/webhook-stores.test.ts',
  'tests/adapters/status-list-store.test.ts',
  'tests/adapters/key-register-store.test.ts',
  'tests/adapters/reports-store.test.ts',
  'tests/adapters/birth-export-source.test.ts',
  'tests/adapters/migration-024.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          // Unit, adapter and in-process HTTP tests: `npm test`, about a minute or less.
          name: 'default',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/interop/**', 'tests/slow/**', 'tests/browser/**', 'tests/pg/**'],
          globalSetup: ['tests/http/global-setup.ts'],
          // The files of a worker share one module graph: importing the app (express, ajv, pdf-lib,
          // fontkit) once instead of once per file more than halves the run. Every file still
          // starts its own service on its own data directory; `npm test -- --isolate` runs the
          // files isolated, to rule out one leaking into another.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Soak, crash and process-spawning tests: `npm run test:slow`.
          name: 'slow',
          include: ['tests/slow/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Real Chromium (Debian's) driving the pages of the real service: `npm run test:browser`.
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/http/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'interop',
          include: ['tests/interop/**/*.test.ts'],
          globalSetup: ['tests/http/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // The same schema on a real PostgreSQL server (a throwaway cluster): `npm run test:pg`.
          name: 'pg',
          include: ['tests/pg/**/*.test.ts', ...SUITES_ON_BOTH_ENGINES],
          exclude: SQLITE_ONLY_HTTP_SUITES,
          // As the default project: one module graph per worker (every file still starts its own service).
          isolate: false,
          env: { TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/pg/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
