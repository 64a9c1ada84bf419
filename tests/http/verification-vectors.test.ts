import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { loadVectors } from '../vectors/load-vectors.ts';
import type { Vector } from '../vectors/vector-cases.ts';
import { startTestService, type TestService } from './harness.ts';

/**
 * The known-answer vectors through POST /api/v1/verifications, on a service that trusts the
 * vectors' PKI (its key register rows, seeded before the first start, so the demo PKI is not
 * made) and runs on the vectors' clock.
 *
 * The vector context's register entries cannot be put in the service's register: the
 * `certificates` table holds issued certificates only (the surface items, the e-licence, the PDF,
 * the mother's ID number… all NOT NULL, and the institution must exist), never a bare
 * number → status entry. So the vectors whose answer depends on a register entry are run for
 * everything before the register (format, signature, issuer, the certificate shown) and answer
 * NOT_FOUND at the status check; all others must give exactly the in-process verifier's result.
 */
const { context, vectors, clock } = loadVectors();

const dependsOnRegisterEntry = (vector: Vector) =>
  vector.expected.checks.some((check) => check.name === 'status') && vector.expected.reason !== 'NOT_FOUND';
const standalone = vectors.filter((vector) => !dependsOnRegisterEntry(vector));
const registerBound = vectors.filter(dependsOnRegisterEntry);

let svc: TestService;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'bc-vectors-'));
  const db = openDatabase(path.join(dataDir, 'service.sqlite'));
  const keys = createSigningKeyRepository(sqliteSql(db));
  for (const key of context.keys) keys.insert(key);
  db.close();
  svc = await startTestService({ dataDir, clock });
});
afterAll(async () => {
  await svc?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const verifyOverHttp = (input: unknown) => svc.request('POST', '/api/v1/verifications', { json: input });

describe('the service seeded with the vector PKI', () => {
  it('publishes the vector root and issuers in its trust list', async () => {
    const res = await svc.request('GET', '/api/v1/trust-list');
    expect(res.status).toBe(200);
    expect(res.body.root).toBe(context.trustList.root);
    expect(res.body.issuers.map((i: { creditCode: string }) => i.creditCode).sort()).toEqual(
      context.trustList.issuers.map((i) => i.creditCode).sort(),
    );
  });

  it('runs every vector, one way or the other', () => {
    expect(standalone.length + registerBound.length).toBe(vectors.length);
    expect(registerBound.map((v) => v.name).sort()).toEqual([
      'issuer-revoked-after-signing',
      'qr-digest-mismatch',
      'revoked',
      'superseded',
      'valid-household-registered',
      'valid-qr',
      'valid-qr-and-signed-json',
      'valid-signed-before-rotation',
      'valid-signed-json',
      'valid-signed-json-text',
      'void',
    ]);
  });
});

describe('vectors that need no register entry: the same result as the in-process verifier', () => {
  it.each(standalone.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const res = await verifyOverHttp(vector.input);
    expect(res.body).toEqual(vector.expected);
    expect(res.status).toBe(200);
  });
});

describe('vectors that need a register entry the service cannot hold: every check before the register, then NOT_FOUND', () => {
  it.each(registerBound.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const statusAt = vector.expected.checks.findIndex((check) => check.name === 'status');
    const res = await verifyOverHttp(vector.input);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: false,
      status: 'unknown',
      reason: 'NOT_FOUND',
      certificate: vector.expected.certificate,
      householdRegistered: false,
      checks: [...vector.expected.checks.slice(0, statusAt), { name: 'status', result: 'fail' }],
    });
  });
});
