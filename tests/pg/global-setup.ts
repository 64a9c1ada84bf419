import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import type { TestProject } from 'vitest/node';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { PG_DEMO_TEMPLATE, PG_TEMPLATE } from '../storage-kit.ts';
import { startCluster } from './cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's superuser URL on its `postgres` database. */
    pgAdminUrl: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole `pg` project, with two databases the tests copy
 * (CREATE DATABASE … TEMPLATE: far cheaper than migrating or seeding each time): a migrated empty
 * one for the store tests, and one the service seeded with the demo trust domain for the HTTP
 * tests, whose data directory (demo-credentials.json) is provided as with SQLite.
 */
export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
  await admin.query(`CREATE DATABASE ${PG_DEMO_TEMPLATE}`);
  await admin.end();
  const template = postgresSql(cluster.url(PG_TEMPLATE));
  migrateSchema(template);
  template.close();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-seed-pg-'));
  // The demo seed, when HTTP suites run (`vitest run --project pg tests/adapters/…` runs none).
  if (project.config.include.some((glob) => glob.startsWith('tests/http/'))) {
    // Through tsx, as tests/http/global-setup.ts explains.
    const seeding: typeof import('../http/demo-data-dir.ts') = await tsImport(
      '../http/demo-data-dir.ts',
      import.meta.url,
    );
    await seeding.seedDemoDataDir(dataDir, { DATABASE_URL: cluster.url(PG_DEMO_TEMPLATE) });
  }
  project.provide('pgAdminUrl', cluster.url());
  project.provide('demoDataDir', dataDir);
  return () => {
    cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
