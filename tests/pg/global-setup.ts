import type { TestProject } from 'vitest/node';
import { startCluster } from './cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway cluster's superuser URL on its `postgres` database. */
    pgAdminUrl: string;
  }
}

/** One throwaway PostgreSQL cluster for the whole `pg` project; each test file makes its own databases. */
export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  project.provide('pgAdminUrl', cluster.url());
  return () => cluster.stop();
}
