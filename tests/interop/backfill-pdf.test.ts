/**
 * A back-issued certificate's PDF, made on its first download, checked by tools we did not
 * write: pdfsig (poppler, NSS with the trust-list root) finds the signature valid and the signer
 * trusted — before and after the institution's key is rotated (docs/backfill.md) — and zbarimg
 * reads the printed QR, which the service verifies as the back-issued certificate's.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateRecords } from '../../scripts/gen-records.ts';
import { runBackfill } from '../../src/cli/backfill.ts';
import { loadConfig } from '../../src/config.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { testEnvironment } from '../http/demo-data-dir.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { ZBAR_QR_ONLY } from './zbar.ts';

const run = promisify(execFile);
const purpose = `purpose=${encodeURIComponent('核验出生医学证明')}`;
let svc: TestService;
let scratch: string;
let nss: string;
let gz: string;
let numbers: string[];

beforeAll(async () => {
  svc = await startTestService();
  scratch = mkdtempSync(path.join(tmpdir(), 'backfill-interop-'));
  gz = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!.institution!;
  const records = [...generateRecords(12, 31)].filter((r) => r.issuerCreditCode === gz);
  const file = path.join(scratch, 'records.ndjson');
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
  numbers = [];
  for (const r of records) {
    const no = String(r.certificateNo);
    const read = await svc.request('GET', `/api/v1/certificates/${no}?${purpose}`, { token: await svc.token('admin') });
    // The generator makes a few records invalid on purpose: those were rejected.
    if (read.status === 200 && read.body.backfilled === true) numbers.push(no);
  }
  nss = path.join(scratch, 'nss');
  mkdirSync(nss);
  const rootFile = path.join(scratch, 'root.pem');
  writeFileSync(rootFile, (await svc.request('GET', '/api/v1/trust-list')).body.root);
  await run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  await run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', rootFile]);
});
afterAll(async () => {
  await svc?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function firstDownload(no: string): Promise<string> {
  const pdf = await svc.request('GET', `/api/v1/certificates/${no}/pdf?${purpose}`, {
    token: await svc.token('issuer', 'gz'),
  });
  expect(pdf.status).toBe(200);
  const file = path.join(scratch, `${no}.pdf`);
  writeFileSync(file, pdf.body);
  return file;
}

async function expectPdfsigValid(file: string) {
  const { stdout } = await run('pdfsig', ['-nssdir', `sql:${nss}`, file]);
  expect(stdout).toContain('Signature Validation: Signature is Valid.');
  expect(stdout).toContain('Certificate Validation: Certificate is Trusted.');
  expect(stdout).toContain('Total document signed');
}

it('pdfsig finds the first-download PDF of a back-issued certificate valid and trusted; its printed QR verifies', async () => {
  expect(numbers.length).toBeGreaterThanOrEqual(2);
  const no = numbers[0]!;
  const file = await firstDownload(no);
  await expectPdfsigValid(file);
  await run('pdftoppm', ['-r', '150', '-png', file, path.join(scratch, 'page')]);
  const { stdout } = await run('zbarimg', [...ZBAR_QR_ONLY, path.join(scratch, 'page-1.png')]);
  const res = await svc.request('POST', '/api/v1/verifications', { json: { qr: stdout.replace(/\n$/, '') } });
  expect(res.body).toMatchObject({
    valid: true,
    status: 'valid',
    backfilled: true,
    certificate: { certificateNo: no },
  });
});

it('pdfsig finds the first-download PDF valid and trusted when the key was rotated after the import', async () => {
  const rotated = await svc.request('POST', `/api/v1/institutions/${gz}/signing-keys`, {
    token: await svc.token('admin'),
  });
  expect(rotated.status).toBe(201);
  await expectPdfsigValid(await firstDownload(numbers[1]!));
});
