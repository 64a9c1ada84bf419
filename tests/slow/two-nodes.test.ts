import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoInstitutions } from '../../src/setup/demo-trust-domain.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';
import { copyOfDatabase, PG_TEMPLATE, testEngine } from '../storage-kit.ts';
import { killHard, type Launched, launchService } from './service-process.ts';

/**
 * Two service processes on one database: a node keeps no key file and no memory the other needs.
 * A certificate issued through A verifies, is amended and downloads through B; a key rotated
 * through A signs B's next certificate; a console session moves between them; a per-minute limit
 * counts the requests of both. On SQLite the two share the database file (and so its directory);
 * on PostgreSQL (`npm run test:pg`) they share the database and no disk at all: B gets only the
 * demo credentials A wrote, as an operator would hand them out.
 */
const guangzhou = demoInstitutions.find((institution) => institution.key === 'gz')!;
const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-two-nodes-'));
const dataDirOfB = testEngine === 'postgres' ? mkdtempSync(path.join(tmpdir(), 'bc-two-nodes-b-')) : dataDir;
const children: ChildProcess[] = [];
const env: Record<string, string> = { RATE_LIMIT_PER_MINUTE: '3', PDF_VERIFICATIONS_PER_MINUTE: '2' };
const launch = (dir: string) =>
  launchService({ dataDir: dir, passphrase: 'two-nodes-passphrase', env, spawned: (child) => children.push(child) });
let a: Launched;
let b: Launched;

beforeAll(async () => {
  if (testEngine === 'postgres') env.DATABASE_URL = await copyOfDatabase(PG_TEMPLATE);
  // A seeds the demo trust domain on its first start; B then joins the populated database.
  a = await launch(dataDir);
  if (dataDirOfB !== dataDir) {
    copyFileSync(path.join(dataDir, 'demo-credentials.json'), path.join(dataDirOfB, 'demo-credentials.json'));
  }
  b = await launch(dataDirOfB);
}, 60_000);
afterAll(async () => {
  await Promise.all(children.map((child) => killHard(child)));
  for (const dir of new Set([dataDir, dataDirOfB])) rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}
async function call(node: Launched, method: string, route: string, token?: string, json?: unknown): Promise<Reply> {
  const res = await fetch(`${node.url}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, headers: res.headers };
}

const accounts = () =>
  (
    JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      accounts: { role: string; username: string; password: string; institution: string | null }[];
    }
  ).accounts;
const accountOf = (role: string) =>
  accounts().find((x) => x.role === role && (x.institution === null || x.username.endsWith('-gz')))!;
async function tokenOf(node: Launched, role: string): Promise<string> {
  const { username, password } = accountOf(role);
  const res = await call(node, 'POST', '/api/v1/auth/token', undefined, { username, password });
  expect(res.status).toBe(200);
  return res.body.accessToken as string;
}

let births = 0;
async function issueThrough(node: Launched, staff: { midwife: string; issuer: string }) {
  const k = births++;
  const record = withAnotherMother(
    withBirthTime(fixtureRecords[k]!, chinaTime(new Date(Date.now() - (40 + k) * 60_000))),
    400 + k,
  );
  let body = applicationBodyFor(record);
  if (isInstitutionalBirth(record)) {
    record.birthPlace = { divisionCode: guangzhou.divisionCode };
    const delivery = await call(node, 'POST', '/api/v1/deliveries', staff.midwife, deliveryBodyFor(record));
    expect(delivery.status).toBe(201);
    body = applicationBodyFor(record, delivery.body.id);
  }
  const application = await call(node, 'POST', '/api/v1/applications', staff.issuer, body);
  expect(application.status).toBe(201);
  const issued = await call(node, 'POST', `/api/v1/applications/${application.body.id}/issue`, staff.issuer);
  expect(issued.status).toBe(201);
  return issued.body.certificateNo as string;
}

const kidOf = (signedJson: { protected: string }) =>
  (JSON.parse(Buffer.from(signedJson.protected, 'base64url').toString()) as { kid: string }).kid;

describe('two service processes on one database', () => {
  let staff: { midwife: string; issuer: string };
  beforeAll(async () => {
    staff = { midwife: await tokenOf(a, 'midwife'), issuer: await tokenOf(a, 'issuer') };
  });

  it('keep no key file: the keys directory is absent', () => {
    for (const dir of new Set([dataDir, dataDirOfB])) {
      const keys = path.join(dir, 'keys');
      expect(existsSync(keys) ? readdirSync(keys) : []).toEqual([]);
    }
  });

  it('issue through A; verify, amend (换发) and download the PDF through B', async () => {
    const no = await issueThrough(a, staff);
    const signed = await call(b, 'GET', `/api/v1/certificates/${no}/signed.json`, staff.issuer);
    expect(signed.status).toBe(200);
    const verified = await call(b, 'POST', '/api/v1/verifications', undefined, { signedJson: signed.body });
    expect(verified.body).toMatchObject({ valid: true, status: 'valid' });
    const amended = await call(b, 'POST', `/api/v1/certificates/${no}/replacements`, staff.issuer, {
      reason: '姓名录入错误',
      changes: { newborn: { name: '王子涵' } },
    });
    expect(amended.status).toBe(201);
    const next = amended.body.certificateNo as string;
    const pdf = await call(b, 'GET', `/api/v1/certificates/${next}/pdf`, staff.issuer);
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const old = await call(a, 'POST', '/api/v1/verifications', undefined, { signedJson: signed.body });
    expect(old.body).toMatchObject({ valid: false, status: 'superseded', supersededBy: next });
  });

  it('sign the next certificate issued through B with the key rotated through A', async () => {
    const admin = await tokenOf(a, 'admin');
    const rotated = await call(a, 'POST', `/api/v1/institutions/${guangzhou.creditCode}/signing-keys`, admin, {});
    expect(rotated.status).toBe(201);
    const no = await issueThrough(b, staff);
    const signed = await call(a, 'GET', `/api/v1/certificates/${no}/signed.json`, staff.issuer);
    expect(kidOf(signed.body)).toBe(rotated.body.kid);
    const verified = await call(a, 'POST', '/api/v1/verifications', undefined, { signedJson: signed.body });
    expect(verified.body).toMatchObject({ valid: true, status: 'valid' });
  });

  it('carry a console session signed in on A to B, and end it on A when B signs it out', async () => {
    const { username, password } = accountOf('police');
    const signIn = await fetch(`${a.url}/console/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.url },
      body: new URLSearchParams({ username, password }),
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const page = (node: Launched) => fetch(`${node.url}/console/home`, { headers: { cookie }, redirect: 'manual' });
    const onA = await (await page(a)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(onA)![1]!;
    expect((await page(b)).status).toBe(200);
    const out = await fetch(`${b.url}/console/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: b.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }),
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    const after = await page(a);
    expect([after.status, after.headers.get('location')]).toEqual([303, '/console/sign-in']);
  });

  it('count the per-minute limits across both nodes', async () => {
    const claim = (node: Launched) =>
      call(node, 'POST', '/api/v1/citizen/claims', undefined, {
        certificateNo: 'Q440000998',
        motherIdNumber: '440106199305121249',
        claimCode: 'WRONG-CODE-2',
      });
    const claims = [];
    for (const node of [a, b, a, b]) claims.push((await claim(node)).status);
    expect(claims).toEqual([401, 401, 401, 429]);
    const verifyPdf = async (node: Launched) =>
      (
        await fetch(`${node.url}/api/v1/verifications`, {
          method: 'POST',
          headers: { 'content-type': 'application/pdf' },
          body: '%PDF-1.7\n%%EOF\n',
        })
      ).status;
    const pdfs = [await verifyPdf(b), await verifyPdf(a), await verifyPdf(b)];
    expect(pdfs[2]).toBe(429);
    expect(pdfs.slice(0, 2)).not.toContain(429);
  });

  it('still keep no key file after issuing, rotating and signing', () => {
    for (const dir of new Set([dataDir, dataDirOfB])) {
      const keys = path.join(dir, 'keys');
      expect(existsSync(keys) ? readdirSync(keys) : []).toEqual([]);
    }
  });
});
