import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';
import { PG_TEMPLATE } from '../storage-kit.ts';
import { startCluster } from './cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's superuser URL on its `postgres` database. */
    pgAdminUrl: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for the whole `pg` project, with a migrated empty database
 * every store test copies (CREATE DATABASE … TEMPLATE: far cheaper than migrating each time).
 */
export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${PG_TEMPLATE}`);
  await admin.end();
  const template = postgresSql(cluster.url(PG_TEMPLATE));
  migrateSchema(template);
  template.close();
  project.provide('pgAdminUrl', cluster.url());
  return () => cluster.stop();
}
