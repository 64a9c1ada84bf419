import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startTestService } from './harness.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('keeps accounts and the audit chain across a restart without seeding again', async () => {
  const first = await startTestService({ dataDir });
  const credentials = readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8');
  await first.request('POST', '/api/v1/auth/token', { json: { username: 'demo-admin', password: 'wrong-password' } });
  await first.stop();

  const second = await startTestService({ dataDir });
  expect(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')).toBe(credentials);
  expect(await second.token('admin')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const audit = await second.request('GET', '/api/v1/audit-events/verify', { token: await second.token('auditor') });
  expect(audit.body).toEqual({ intact: true, events: 1, checkpoints: 0 });
  await second.stop();
});
