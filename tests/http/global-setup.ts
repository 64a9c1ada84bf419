import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory seeded once with the demo trust domain; test services start on copies of it. */
    demoDataDir: string;
  }
}

/** Seeds the demo trust domain once per run instead of once per HTTP test file. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-seed-'));
  // Loaded by Node through tsx: vitest's module runner in this (main) process runs dependencies
  // inline, and the ASN.1 schemas of @peculiar/x509 then fail ("Cannot get schema for 'OctetString'").
  const seeding: typeof import('./demo-data-dir.ts') = await tsImport('./demo-data-dir.ts', import.meta.url);
  await seeding.seedDemoDataDir(dataDir);
  project.provide('demoDataDir', dataDir);
  return () => rmSync(dataDir, { recursive: true, force: true });
}
