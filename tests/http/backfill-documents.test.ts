/**
 * Back-issued certificates over HTTP: their QR and signed e-licence verify (marked back-issued),
 * the PDF made on the first download verifies and is the same on every later download, and a
 * key rotation between the import and the first download (docs/backfill.md).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '../../scripts/gen-records.ts';
import { createCertificateRenderer } from '../../src/adapters/certificate-production.ts';
import { countryDirectory } from '../../src/adapters/countries.ts';
import { divisionDirectory } from '../../src/adapters/divisions.ts';
import { SealedKeyStore } from '../../src/adapters/keystore/sealed-key-store.ts';
import { createSigningKeyRepository } from '../../src/adapters/keystore/signing-key-repository.ts';
import { loadFonts } from '../../src/adapters/pdf/fonts.ts';
import { createSqlSealedKeyVault } from '../../src/adapters/sql/sealed-key-vault.ts';
import { sqliteSql } from '../../src/adapters/sql/sqlite-sql.ts';
import { openDatabase } from '../../src/adapters/sqlite/database.ts';
import { runBackfill } from '../../src/cli/backfill.ts';
import { loadConfig } from '../../src/config.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { testEnvironment } from './demo-data-dir.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

const purpose = `purpose=${encodeURIComponent('核验出生医学证明')}`;
let svc: TestService;
let dir: string;
let gz: string;

beforeAll(async () => {
  svc = await startTestService();
  dir = mkdtempSync(path.join(tmpdir(), 'backfill-documents-'));
  gz = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!.institution!;
});
afterAll(async () => {
  await svc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Back-issues `count` valid records of the gz institution through the operator's command; their numbers. */
async function backIssue(count: number, seed: number): Promise<string[]> {
  const records = [...generateRecords(count * 3, seed)].filter((r) => r.issuerCreditCode === gz);
  const file = path.join(dir, `records-${seed}.ndjson`);
  writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const tools = openOperatorTools(await loadConfig(testEnvironment(svc.dataDir)));
  try {
    await runBackfill(tools.backfillPorts({ threads: 0 }), { username: 'cli', role: 'operator' }, file, {
      tty: false,
      log: () => {},
    });
  } finally {
    tools.close();
  }
  const db = new Database(path.join(svc.dataDir, 'service.sqlite'), { readonly: true });
  try {
    const issued = new Set(
      db
        .prepare<[], { no: string }>('SELECT certificate_no AS no FROM certificates WHERE backfilled = 1')
        .all()
        .map((row) => row.no),
    );
    return records
      .map((r) => String(r.certificateNo))
      .filter((no) => issued.has(no))
      .slice(0, count);
  } finally {
    db.close();
  }
}

function qrOf(no: string): string {
  const db = new Database(path.join(svc.dataDir, 'service.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[string], { qr: string }>('SELECT qr_text AS qr FROM certificates WHERE certificate_no = ?')
      .get(no)!.qr;
  } finally {
    db.close();
  }
}

async function documents(no: string) {
  const token = await svc.token('issuer', 'gz');
  const signedJson = await svc.request('GET', `/api/v1/certificates/${no}/signed.json?${purpose}`, { token });
  const pdf = await svc.request('GET', `/api/v1/certificates/${no}/pdf?${purpose}`, { token });
  return { signedJson, pdf };
}

const verify = async (body: { json?: unknown; pdf?: Uint8Array }) =>
  (
    await svc.request('POST', '/api/v1/verifications', {
      ...(body.json !== undefined && { json: body.json }),
      ...(body.pdf && { body: body.pdf, headers: { 'content-type': 'application/pdf' } }),
    })
  ).body;

const pdfBytes = (response: { body: unknown }) => new Uint8Array(response.body as ArrayBuffer);

/** The x509 certificate of `kid` as it appears (hex) in a PDF's CMS signature. */
async function x509HexOf(kid: string): Promise<string> {
  const jwks = (await svc.request('GET', '/.well-known/jwks.json')).body as { keys: { kid: string; x5c: string[] }[] };
  return Buffer.from(jwks.keys.find((k) => k.kid === kid)!.x5c[0]!, 'base64').toString('hex');
}
const pdfSignedBy = (pdf: Uint8Array, x509Hex: string) =>
  Buffer.from(pdf).toString('latin1').toLowerCase().includes(x509Hex);
const kidOf = (signedJson: { protected: string }) =>
  (JSON.parse(Buffer.from(signedJson.protected, 'base64url').toString()) as { kid: string }).kid;

describe('back-issued certificates over HTTP', () => {
  it('verify by QR, signed.json and the PDF made on the first download, marked back-issued; later downloads get the same PDF', async () => {
    const [no] = await backIssue(1, 21);
    const { signedJson, pdf } = await documents(no!);
    expect(signedJson.status).toBe(200);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    const byJson = await verify({ json: { signedJson: signedJson.body } });
    expect(byJson).toMatchObject({ valid: true, status: 'valid', backfilled: true });
    expect(byJson.certificate.certificateNo).toBe(no);
    const byQr = await verify({ json: { qr: qrOf(no!) } });
    expect(byQr).toMatchObject({ valid: true, status: 'valid', backfilled: true });
    const byPdf = await verify({ pdf: pdfBytes(pdf) });
    expect(byPdf).toMatchObject({ valid: true, status: 'valid', backfilled: true });
    expect(byPdf.checks[0]).toEqual({ name: 'pdf', result: 'pass' });
    // Signed by the key that signed the e-licence.
    expect(pdfSignedBy(pdfBytes(pdf), await x509HexOf(kidOf(signedJson.body)))).toBe(true);

    const again = await documents(no!);
    expect(Buffer.from(pdfBytes(again.pdf)).equals(Buffer.from(pdfBytes(pdf)))).toBe(true);
  });

  it('a certificate issued through the API is not marked back-issued', async () => {
    const issued = await issueBirth(svc, await staffOf(svc, 'gz'), bornBefore(fixtureRecords[0]!, new Date(), 1));
    const signed = await svc.request('GET', `${issued.links.signedJson}?${purpose}`, {
      token: await svc.token('issuer', 'gz'),
    });
    const result = await verify({ json: { signedJson: signed.body } });
    expect(result).toMatchObject({ valid: true, status: 'valid' });
    expect(result).not.toHaveProperty('backfilled');
  });

  it('after a key rotation between back-issuance and the first download, the PDF is signed by the current key and verifies, as do the e-licence and QR under the old key', async () => {
    const [before, after] = await backIssue(2, 22);
    // Downloaded before the rotation: the e-licence's own key signs the PDF.
    const early = await documents(before!);
    const oldKid = kidOf(early.signedJson.body);

    const rotated = await svc.request('POST', `/api/v1/institutions/${gz}/signing-keys`, {
      token: await svc.token('admin'),
    });
    expect(rotated.status).toBe(201);
    const newKid = rotated.body.kid as string;
    expect(newKid).not.toBe(oldKid);

    const late = await documents(after!);
    expect(late.pdf.status).toBe(200);
    expect(kidOf(late.signedJson.body)).toBe(oldKid);
    expect(pdfSignedBy(pdfBytes(late.pdf), await x509HexOf(newKid))).toBe(true);
    expect(pdfSignedBy(pdfBytes(late.pdf), await x509HexOf(oldKid))).toBe(false);
    expect(await verify({ pdf: pdfBytes(late.pdf) })).toMatchObject({ valid: true, status: 'valid', backfilled: true });
    expect(await verify({ json: { signedJson: late.signedJson.body } })).toMatchObject({
      valid: true,
      backfilled: true,
    });
    expect(await verify({ json: { qr: qrOf(after!) } })).toMatchObject({ valid: true, backfilled: true });

    // The PDF made before the rotation stays as it was, signed by the old key, and verifies.
    const earlyAgain = await documents(before!);
    expect(Buffer.from(pdfBytes(earlyAgain.pdf)).equals(Buffer.from(pdfBytes(early.pdf)))).toBe(true);
    expect(pdfSignedBy(pdfBytes(early.pdf), await x509HexOf(oldKid))).toBe(true);
    expect(await verify({ pdf: pdfBytes(early.pdf) })).toMatchObject({ valid: true, status: 'valid' });
  });

  it("refuses a PDF around an institution's e-licence signed by another institution's key", async () => {
    const [no] = await backIssue(1, 23);
    const { signedJson } = await documents(no!);
    const bj = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-bj'))!.institution!;
    const db = openDatabase(path.join(svc.dataDir, 'service.sqlite'));
    try {
      const keyStore = SealedKeyStore.open({
        vault: createSqlSealedKeyVault(sqliteSql(db)),
        passphrase: 'test-passphrase',
        register: createSigningKeyRepository(sqliteSql(db)),
        environment: 'test',
      });
      const renderer = createCertificateRenderer({
        keyStore,
        fonts: loadFonts(),
        divisions: divisionDirectory,
        countries: countryDirectory,
      });
      const payload = JSON.parse(Buffer.from(signedJson.body.payload, 'base64url').toString());
      const foreign = await renderer.render({
        payload,
        signedJson: JSON.stringify(signedJson.body),
        qrText: qrOf(no!),
        kid: keyStore.activeKey(bj).kid,
        issuedAt: new Date(),
      });
      expect(await verify({ pdf: foreign })).toMatchObject({
        valid: false,
        reason: 'DATA_MISMATCH',
        pdf: {
          failure: 'BAD_SIGNATURE',
          detail: 'the PDF was not signed with the certificate that signed its e-licence',
        },
      });
    } finally {
      db.close();
    }
  });
});
