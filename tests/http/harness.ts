import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { Clock } from '../../src/domain/ports.ts';
import type { ServiceDeps } from '../../src/service.ts';
import type { Running } from '../../src/start.ts';
import { databaseEnvFor } from '../storage-kit.ts';
import { startInProcess } from './demo-data-dir.ts';

export interface DemoAccountEntry {
  role: string;
  username: string;
  password: string;
  institution: string | null;
}

export interface TestService {
  running: Running;
  url: string;
  dataDir: string;
  accounts: DemoAccountEntry[];
  /** A bearer token for the demo account of `role` (and institution key `gz`/`bj` for staff). */
  token(role: string, institution?: 'gz' | 'bj'): Promise<string>;
  request(
    method: string,
    route: string,
    init?: { token?: string; json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * The real service on an ephemeral port with its own temporary data directory: a copy of the demo
 * trust domain the global set-up seeded once (copying is far cheaper than seeding). That seed was
 * made at the real time before the tests began, so a test clock must not run behind it. A test
 * that passes `dataDir` gets that directory as it is, seeded on first start as in production.
 */
export async function startTestService(
  options: { clock?: Clock; dataDir?: string; env?: Record<string, string>; webhooks?: ServiceDeps['webhooks'] } = {},
): Promise<TestService> {
  let dataDir = options.dataDir;
  const seeded = !dataDir && Boolean(inject('demoDataDir'));
  if (!dataDir) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'bc-test-'));
    if (seeded) cpSync(inject('demoDataDir'), dataDir, { recursive: true });
  }
  const database = await databaseEnvFor(dataDir, seeded);
  const running = await startInProcess(dataDir, { ...options, env: { ...database, ...options.env } });
  const accounts = (
    JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as { accounts: DemoAccountEntry[] }
  ).accounts;
  const tokens = new Map<string, string>();

  const request: TestService['request'] = async (method, route, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | Uint8Array | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(`${running.url}${route}`, { method, headers, body });
    const type = res.headers.get('content-type') ?? '';
    const parsed =
      type.includes('json') && !type.includes('ndjson') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: parsed, headers: res.headers };
  };

  return {
    running,
    url: running.url,
    dataDir,
    accounts,
    async token(role, institution) {
      const key = `${role}/${institution ?? ''}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const account = accounts.find(
        (a) => a.role === role && (institution === undefined || a.username.endsWith(`-${institution}`)),
      );
      if (!account) throw new Error(`no demo account for ${key}`);
      const res = await request('POST', '/api/v1/auth/token', {
        json: { username: account.username, password: account.password },
      });
      if (res.status !== 200) throw new Error(`sign-in as ${account.username} failed: ${res.status}`);
      tokens.set(key, res.body.accessToken);
      return res.body.accessToken as string;
    },
    request,
    async stop() {
      await running.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
