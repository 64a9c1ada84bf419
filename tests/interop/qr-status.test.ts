/**
 * The issue-9 acceptance story, end to end on the real service with an injected clock: issue a
 * certificate, scan its printed QR with zbarimg (150 and 96 dpi renders), verify it over HTTP,
 * offline with the CLI and the bundle, and with cose-js (COSE) + the cbor package + a status
 * list read by hand; void it; within 60 s the status list and all three say so.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import base45 from 'base45';
import cbor from 'cbor';
import cose from 'cose-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from '../http/harness.ts';
import { bornBefore, issueBirth, staffOf } from '../http/lifecycle-helpers.ts';
import { ZBAR_QR_ONLY } from './zbar.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '../..');
let now = new Date(Date.now() + 1000);
const clock = { now: () => now };
let svc: TestService;
let scratch: string;
let certificateNo: string;
let qr: string;
const record = bornBefore(fixtureRecords[2]!, new Date(), 1);

const file = (name: string, content: string | Uint8Array) => {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
};

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(path.join(root, 'node_modules/.bin/tsx'), ['src/cli/verify.ts', ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The QR text zbarimg reads from a render of the PDF at `dpi`. */
async function scan(pdf: string, dpi: number): Promise<string> {
  const prefix = path.join(scratch, `page-${dpi}`);
  await run('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', pdf, prefix]);
  const { stdout } = await run('zbarimg', [...ZBAR_QR_ONLY, `${prefix}.png`]);
  return stdout.replace(/\n$/, '');
}

/** What a verifier vendor's code does with cose-js, the cbor package, the trust list and the status list. */
async function verifyIndependently(text: string): Promise<{ certificateNo: string; statusValue: number }> {
  let bytes = base45.decode(text.slice('BC1:'.length));
  if (bytes[0] === 0x78) bytes = inflateSync(bytes);
  const [protectedBytes] = (cbor.decodeFirstSync(bytes) as { value: Buffer[] }).value;
  const kid8 = Buffer.from((cbor.decodeFirstSync(protectedBytes!) as Map<number, Buffer>).get(4)!).toString(
    'base64url',
  );
  const trustList = (await svc.request('GET', '/api/v1/trust-list')).body;
  const issuer = trustList.issuers.find((candidate: { keys: { kid8: string }[] }) =>
    candidate.keys.some((key) => key.kid8 === kid8),
  );
  const pem = issuer.certificates[issuer.keys.findIndex((key: { kid8: string }) => key.kid8 === kid8)];
  const jwk = new X509Certificate(pem).publicKey.export({ format: 'jwk' });
  const payload = await cose.sign.verify(Buffer.from(bytes), {
    key: { x: Buffer.from(jwk.x!, 'base64url'), y: Buffer.from(jwk.y!, 'base64url') },
  });
  const claims = cbor.decodeFirstSync(payload) as Map<number, unknown>;
  const { idx, uri } = (claims.get(65535) as { status_list: { idx: number; uri: string } }).status_list;
  const list = await svc.request('GET', new URL(uri).pathname);
  expect(list.headers.get('content-type')).toBe('application/statuslist+jwt');
  const token = JSON.parse(Buffer.from(String(list.body).split('.')[1]!, 'base64url').toString('utf8'));
  const bits = inflateSync(Buffer.from(token.status_list.lst, 'base64url'));
  return {
    certificateNo: (claims.get(-65537) as Map<number, string>).get(1)!,
    statusValue: (bits[idx >> 2]! >> ((idx % 4) * 2)) & 3,
  };
}

async function verifyOffline(): Promise<{ code: number; result: Record<string, unknown> }> {
  const police = await svc.token('police');
  const bundle = (await svc.request('GET', '/api/v1/trust-bundle', { token: police })).body;
  const rootPem = file('root.pem', (await svc.request('GET', '/api/v1/trust-list')).body.root);
  const { code, stdout } = await cli(
    '--bundle',
    file('bundle.json', JSON.stringify(bundle)),
    '--root',
    rootPem,
    '--now',
    now.toISOString(),
    qr,
  );
  return { code, result: JSON.parse(stdout) };
}

beforeAll(async () => {
  svc = await startTestService({ clock });
  scratch = mkdtempSync(path.join(tmpdir(), 'qr-status-interop-'));
  certificateNo = (await issueBirth(svc, await staffOf(svc, 'gz'), record)).certificateNo;
});
afterAll(async () => {
  await svc?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('a freshly issued certificate', () => {
  it('prints a BC1: QR that zbarimg reads alike from 150 dpi and 96 dpi renders of the PDF', async () => {
    const issuer = await svc.token('issuer', 'gz');
    const pdf = file(
      'certificate.pdf',
      (await svc.request('GET', `/api/v1/certificates/${certificateNo}/pdf`, { token: issuer })).body,
    );
    qr = await scan(pdf, 150);
    expect(qr).toMatch(/^BC1:[0-9A-Z $%*+\-./:]+$/);
    expect(await scan(pdf, 96)).toBe(qr);
  });

  it('verifies as valid over HTTP, offline with the CLI and the bundle, and with cose-js', async () => {
    const online = await svc.request('POST', '/api/v1/verifications', { json: { qr } });
    expect(online.body).toMatchObject({ valid: true, status: 'valid', certificate: { certificateNo } });
    const offline = await verifyOffline();
    expect([offline.code, offline.result.status, offline.result.statusAsOf]).toEqual([0, 'valid', now.toISOString()]);
    expect(await verifyIndependently(qr)).toEqual({ certificateNo, statusValue: 0 });
  });
});

describe('once voided', () => {
  it('shows void within 60 s in the status list and in all three verifications', async () => {
    const issuer = await svc.token('issuer', 'gz');
    const voided = await svc.request('POST', `/api/v1/certificates/${certificateNo}/void`, {
      token: issuer,
      json: { reason: 'PRINT_ERROR' },
    });
    expect(voided.status).toBe(200);
    const voidedAt = now.getTime();
    now = new Date(voidedAt + 30_000);
    expect(await verifyIndependently(qr)).toEqual({ certificateNo, statusValue: 2 });
    const list = await svc.request('GET', '/api/v1/status-lists/1');
    const { iat } = JSON.parse(Buffer.from(String(list.body).split('.')[1]!, 'base64url').toString('utf8'));
    expect(iat * 1000 - voidedAt).toBeLessThanOrEqual(60_000);
    const online = await svc.request('POST', '/api/v1/verifications', { json: { qr } });
    expect(online.body).toMatchObject({ valid: false, status: 'void', reason: 'VOID' });
    const offline = await verifyOffline();
    expect([offline.code, offline.result.status, offline.result.reason]).toEqual([1, 'void', 'VOID']);
  });
});
