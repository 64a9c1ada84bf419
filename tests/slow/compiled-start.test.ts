import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What `npm start` runs: the bundle dist/main.js (over the compiled tree dist/src), not the
 * source the other tests load through tsx. Every file it finds relative to its own modules must be there: the migrations (a
 * database is made), the fonts (parsed before serving, exercised just after), the schemas, the
 * OpenAPI document, the PDF-verification worker script. Also the order of a start: a wrong key
 * passphrase stops it before serving; a key file that does not open, found by the warm-up that
 * runs once serving, stops the service with exit code 1.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-compiled-'));
const children: ChildProcess[] = [];

beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' });
}, 180_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  /** Every log line so far (JSON objects). */
  lines: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves with the first log line whose msg is `msg`. */
  logged(msg: string): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

function startCompiled(env: Record<string, string> = {}): Started {
  const base = { ...process.env };
  for (const name of ['NODE_ENV', 'KEY_PASSPHRASE', 'KEY_PASSPHRASE_FILE', 'LOG_LEVEL']) delete base[name];
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: repoRoot,
    env: { ...base, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  const waiting: Array<{ msg: string; resolve: (line: Record<string, unknown>) => void }> = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of waiting.filter((w) => w.msg === line.msg)) w.resolve(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    logged: (msg) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((line) => line.msg === msg);
        if (seen) return resolve(seen);
        waiting.push({ msg, resolve });
        void exited.then((code) => reject(new Error(`exited (${code}) before logging "${msg}": ${stderr}`)));
      }),
  };
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

/** What a served compiled service must answer: health, its OpenAPI document, a PDF parsed in a worker. */
async function checkServing(url: string): Promise<void> {
  const health = await fetch(`${url}/healthz`);
  expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
  const openApi = await fetch(`${url}/openapi.json`);
  expect(openApi.status).toBe(200);
  expect(((await openApi.json()) as { openapi: string }).openapi).toBe('3.1.0');
  // The body is parsed by the PDF worker: its script must be found beside the compiled module.
  const pdf = await fetch(`${url}/api/v1/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/pdf' },
    body: '%PDF-1.7\nnot really a PDF',
  });
  expect(pdf.status).toBe(200);
  expect(await pdf.json()).toMatchObject({ valid: false });
  // A schema-validated body: the schemas are in the build.
  const token = await fetch(`${url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'someone' }),
  });
  expect(token.status).toBe(400);
  expect(JSON.stringify(await token.json())).toContain('password');
  // The pages and the files they load from public/ and the vendored packages.
  const page = await fetch(`${url}/verify`);
  expect(page.status).toBe(200);
  const assets = [...(await page.text()).matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((match) => match[1]!);
  expect(assets.length).toBeGreaterThan(1);
  for (const asset of assets) expect([asset, (await fetch(`${url}${asset}`)).status]).toEqual([asset, 200]);
}

describe('the compiled service (npm start)', () => {
  it('starts on an empty data directory, serves, warms up, and stops cleanly', async () => {
    const started = startCompiled();
    const listening = await started.logged('listening');
    expect(started.lines.map((line) => line.msg)).toContain('demo trust domain created');
    await checkServing(listening.url as string);
    await started.logged('warm-up done');
    expect(await stop(started)).toBe(0);
  }, 60_000);

  it('restarts on the populated data directory, unlocking the other keys once serving', async () => {
    const started = startCompiled();
    const listening = await started.logged('listening');
    await checkServing(listening.url as string);
    await started.logged('warm-up done');
    expect(started.lines.map((line) => line.msg)).not.toContain('demo trust domain created');
    expect(await stop(started)).toBe(0);
  }, 60_000);

  it('refuses to start under a wrong key passphrase, before serving', async () => {
    const started = startCompiled({ KEY_PASSPHRASE: 'not-the-passphrase-of-these-keys' });
    expect(await started.exited).toBe(1);
    expect(started.lines.map((line) => line.msg)).not.toContain('listening');
    expect(started.stderr()).toContain('KEY_UNREADABLE');
  }, 60_000);

  it('stops with exit code 1 when a sealed key unlocked after start does not open', async () => {
    const db = new Database(path.join(dataDir, 'service.sqlite'));
    // The register's last key: the one start-up leaves to the warm-up that runs once serving.
    const { kid } = db.prepare('SELECT kid FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT 1').get() as {
      kid: string;
    };
    const sealed = JSON.parse(
      db.prepare<[string], string>('SELECT sealed FROM sealed_keys WHERE kid = ?').pluck().get(kid)!,
    ) as { ciphertext: string };
    const last = sealed.ciphertext.at(-2) === 'A' ? 'B' : 'A';
    sealed.ciphertext = `${sealed.ciphertext.slice(0, -2)}${last}${sealed.ciphertext.at(-1)}`;
    // A writer of the database: the write-once trigger stops accidents, not writers.
    db.exec('DROP TRIGGER sealed_keys_no_update');
    db.prepare('UPDATE sealed_keys SET sealed = ? WHERE kid = ?').run(JSON.stringify(sealed), kid);
    db.close();
    const started = startCompiled();
    await started.logged('listening');
    const failed = await started.logged('warm-up failed');
    expect((failed.err as { code: string }).code).toBe('KEY_UNREADABLE');
    expect(await started.exited).toBe(1);
    expect(started.lines.map((line) => line.msg)).not.toContain('warm-up done');
  }, 60_000);
});
