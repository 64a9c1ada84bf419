import { defineConfig } from 'vitest/config';

/**
 * The suites `npm run test:pg` runs again on PostgreSQL (they run on SQLite in `npm test`): the
 * stores', through tests/storage-kit.ts.
 */
const SUITES_ON_BOTH_ENGINES = [
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
          env: { TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/pg/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
