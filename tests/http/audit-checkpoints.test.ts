import { generateKeyPairSync, sign as signData, verify as verifySignature, X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHash } from '../../src/adapters/sql/audit-log.ts';
import { loadConfig } from '../../src/config.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { testEnvironment } from './demo-data-dir.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, recordDelivery } from './lifecycle-helpers.ts';

let mothers = 0;
/** One audit event: a midwife records a delivery (each its own mother). */
async function auditedEvent(service: TestService): Promise<void> {
  const birth = withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 1), ++mothers);
  await recordDelivery(service, await service.token('midwife', 'gz'), birth);
}

/** What someone with write access to the SQLite file (and nothing else) can do to the audit log. */
function tamperAsDatabaseWriter(dataDir: string, work: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, 'service.sqlite'));
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;');
    db.exec('DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;');
    work(db);
  } finally {
    db.close();
  }
}

type Row = Parameters<typeof chainHash>[1] & { hash: string; prev_hash: string };

/** Edits event `seq` and recomputes every hash from there with the log's own hash function. */
function rewriteEvent(db: Database.Database, seq: number, details: Record<string, unknown>): void {
  db.prepare('UPDATE audit_events SET details = ? WHERE seq = ?').run(JSON.stringify(details), seq);
  const rows = db.prepare<[], Row>('SELECT * FROM audit_events ORDER BY seq').all();
  let prev = '0'.repeat(64);
  const update = db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const row of rows) {
    const hash = chainHash(prev, row);
    update.run(prev, hash, row.seq);
    prev = hash;
  }
}

let svc: TestService;
let auditor: string;
beforeAll(async () => {
  svc = await startTestService();
  auditor = await svc.token('auditor');
  await auditedEvent(svc);
  await auditedEvent(svc);
});
afterAll(async () => {
  await svc?.stop();
});

const verify = async () => (await svc.request('GET', '/api/v1/audit-events/verify', { token: auditor })).body;
const checkpointNow = async () => {
  const res = await svc.request('POST', '/api/v1/audit-checkpoints', { token: auditor });
  expect(res.status).toBe(201);
  return res.body as { number: number; seq: number; hash: string; at: string; kid: string; jws: string };
};

describe('signed audit checkpoints', () => {
  it('signs the chain head on demand with an audit key the root certified, checkable outside the service', async () => {
    const head = (await svc.request('GET', '/api/v1/audit-events/head', { token: auditor })).body;
    const checkpoint = await checkpointNow();
    expect(checkpoint).toMatchObject({ seq: head.seq, hash: head.hash });

    const published = (await svc.request('GET', '/api/v1/audit-checkpoints', { token: auditor })).body;
    expect(published.checkpoints.at(-1)).toEqual(checkpoint);
    const [key] = published.keys;
    expect(key).toMatchObject({ kid: checkpoint.kid, status: 'active' });

    // An auditor's own check: the JWS header, the certificate chain to the published root, the signature.
    const [h, p, s] = checkpoint.jws.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ES256', typ: 'audit-checkpoint+jws', kid: checkpoint.kid });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      at: checkpoint.at,
    });
    const leaf = new X509Certificate(key.x509Pem);
    const root = new X509Certificate((await svc.request('GET', '/api/v1/trust-list')).body.root);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.subject).toContain('审计日志签名');
    const signed = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(s, 'base64url');
    expect(verifySignature('sha256', signed, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('exports the checkpoints as NDJSON, one per line', async () => {
    const res = await svc.request('GET', '/api/v1/audit-checkpoints/export', { token: auditor });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = res.body
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((line: string) => JSON.parse(line));
    const listed = (await svc.request('GET', '/api/v1/audit-checkpoints', { token: auditor })).body.checkpoints;
    expect(lines).toEqual(listed);
  });

  it('reports a chain edited and recomputed in the SQLite file as broken at the checkpoint that covered it', async () => {
    await auditedEvent(svc);
    const checkpoint = await checkpointNow();
    expect(await verify()).toEqual({
      intact: true,
      events: checkpoint.seq,
      checkpoints: 2,
      pinnedThrough: checkpoint.seq,
    });

    tamperAsDatabaseWriter(svc.dataDir, (db) => rewriteEvent(db, 2, { edited: true }));
    // The chain alone cannot tell: every hash was recomputed.
    expect(svc.running.service.audit.verify()).toEqual({ intact: true, events: checkpoint.seq });

    expect(await verify()).toEqual({
      intact: false,
      events: 2,
      firstBrokenAt: 2,
      checkpoints: 2,
      checkpoint: { number: 1, seq: 2, at: expect.any(String), problem: 'CHAIN_MISMATCH' },
    });
    // The operator's CLI (verify-audit) sees the same, with the key store's own copy of the audit key.
    const tools = openOperatorTools(await loadConfig(testEnvironment(svc.dataDir)));
    try {
      expect(tools.auditCheckpoints().verify()).toMatchObject({
        intact: false,
        checkpoint: { problem: 'CHAIN_MISMATCH' },
      });
    } finally {
      tools.close();
    }
  });
});

describe('what a database writer can and cannot do to the checkpoints', () => {
  let writer: TestService;
  let token: string;
  beforeAll(async () => {
    writer = await startTestService();
    token = await writer.token('auditor');
    await auditedEvent(writer);
    await auditedEvent(writer);
  });
  afterAll(async () => {
    await writer?.stop();
  });
  const verifyWriter = async () => (await writer.request('GET', '/api/v1/audit-events/verify', { token })).body;

  it('cannot move a checkpoint to a recomputed head: its signature no longer holds', async () => {
    const signed = (await writer.request('POST', '/api/v1/audit-checkpoints', { token })).body;
    tamperAsDatabaseWriter(writer.dataDir, (db) => {
      rewriteEvent(db, 1, { edited: true });
      const { hash } = db
        .prepare<[number], { hash: string }>('SELECT hash FROM audit_events WHERE seq = ?')
        .get(signed.seq)!;
      db.prepare('UPDATE audit_checkpoints SET hash = ? WHERE number = ?').run(hash, signed.number);
    });
    expect(await verifyWriter()).toMatchObject({
      intact: false,
      firstBrokenAt: signed.seq,
      checkpoint: { number: signed.number, problem: 'BAD_SIGNATURE' },
    });
  });

  it('cannot sign one with a key of its own planted in the key register', async () => {
    const other = await startTestService();
    try {
      const auditorToken = await other.token('auditor');
      await auditedEvent(other);
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const kid = 'x'.repeat(43);
      tamperAsDatabaseWriter(other.dataDir, (db) => {
        const head = db
          .prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')
          .get()!;
        const at = new Date().toISOString();
        const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const input = `${part({ alg: 'ES256', typ: 'audit-checkpoint+jws', kid })}.${part({ ...head, at })}`;
        const signature = signData('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const root = db.prepare<[], { kid: string }>("SELECT kid FROM signing_keys WHERE purpose = 'root'").get()!;
        db.prepare(
          "UPDATE signing_keys SET status = 'retired', retired_at = ? WHERE purpose = 'audit' AND kid <> ?",
        ).run(at, kid);
        db.prepare(
          `INSERT INTO signing_keys (kid, purpose, public_jwk, x509_pem, issuer_kid, not_before, not_after, status, created_at)
           VALUES (?, 'audit', ?, 'forged', ?, ?, '2099-01-01T00:00:00Z', 'active', ?)`,
        ).run(kid, JSON.stringify(publicKey.export({ format: 'jwk' })), root.kid, at, at);
        db.prepare('INSERT INTO audit_checkpoints (seq, hash, at, kid, jws) VALUES (?, ?, ?, ?, ?)').run(
          head.seq,
          head.hash,
          at,
          kid,
          `${input}.${signature.toString('base64url')}`,
        );
      });
      const report = (await other.request('GET', '/api/v1/audit-events/verify', { token: auditorToken })).body;
      expect(report).toMatchObject({ intact: false, checkpoint: { number: 1, problem: 'BAD_SIGNATURE' } });
    } finally {
      await other.stop();
    }
  });

  it('cannot delete checkpoints while the service runs; edits after the last checkpoint go unnoticed', async () => {
    const fresh = await startTestService();
    try {
      const auditorToken = await fresh.token('auditor');
      await auditedEvent(fresh);
      const cp = (await fresh.request('POST', '/api/v1/audit-checkpoints', { token: auditorToken })).body;
      await auditedEvent(fresh);
      // The event after the checkpoint: edited and recomputed, undetectable without a later anchor.
      tamperAsDatabaseWriter(fresh.dataDir, (db) => rewriteEvent(db, cp.seq + 1, { edited: true }));
      const after = (await fresh.request('GET', '/api/v1/audit-events/verify', { token: auditorToken })).body;
      expect(after).toEqual({ intact: true, events: cp.seq + 1, checkpoints: 1, pinnedThrough: cp.seq });

      tamperAsDatabaseWriter(fresh.dataDir, (db) => db.prepare('DELETE FROM audit_checkpoints').run());
      const deleted = (await fresh.request('GET', '/api/v1/audit-events/verify', { token: auditorToken })).body;
      expect(deleted).toMatchObject({ intact: false, checkpoints: 0, checkpoint: { number: 1, problem: 'MISSING' } });
    } finally {
      await fresh.stop();
    }
  });
});

describe('the checkpoint timer and old data directories', () => {
  it('signs the head at the configured cadence only when it moved, and gives an existing data directory an audit key', async () => {
    const old = await startTestService();
    await auditedEvent(old);
    const dataDir = old.dataDir;
    await old.running.stop();
    // A data directory from before audit keys: no audit key in the register (its sealed key, now
    // nobody's, stays: sealed keys are write-once).
    const db = new Database(path.join(dataDir, 'service.sqlite'));
    const { kid } = db.prepare<[], { kid: string }>("SELECT kid FROM signing_keys WHERE purpose = 'audit'").get()!;
    db.prepare('DELETE FROM signing_keys WHERE kid = ?').run(kid);
    db.close();

    const svc2 = await startTestService({ dataDir, env: { AUDIT_CHECKPOINT_SECONDS: '1' } });
    try {
      const auditorToken = await svc2.token('auditor');
      const list = async () =>
        (await svc2.request('GET', '/api/v1/audit-checkpoints', { token: auditorToken })).body as {
          checkpoints: { seq: number; kid: string }[];
          keys: { kid: string }[];
        };
      let published = await list();
      for (let i = 0; i < 40 && published.checkpoints.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        published = await list();
      }
      expect(published.keys).toHaveLength(1);
      expect(published.keys[0]!.kid).not.toBe(kid);
      expect(published.checkpoints).toHaveLength(1);
      const head = (await svc2.request('GET', '/api/v1/audit-events/head', { token: auditorToken })).body;
      expect(published.checkpoints[0]).toMatchObject({ seq: head.seq, kid: published.keys[0]!.kid });

      // Nothing happened since: the next tick signs nothing.
      expect(await svc2.running.service.auditCheckpoints.sign({ onlyIfMoved: true })).toBeNull();
    } finally {
      await svc2.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
