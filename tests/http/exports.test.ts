import { createHash } from 'node:crypto';
import { flattenedVerify, importX509 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  chinaDateOf,
  demo,
  errorOf,
  frozenClock,
  type Issued,
  issueBirth,
  type Staff,
  staffOf,
} from './lifecycle-helpers.ts';

/*
 * The monthly sharing export: what each role receives, counts that match the register, files
 * that are the same bytes for the same snapshot, and a signed manifest that proves them whole.
 */

const START = frozenClock().now;
let t = START.getTime();
const clock = { now: () => new Date(t) };
const MINUTE = 60_000;
const FROM = chinaDateOf(new Date(START.getTime() - 20 * 24 * 3_600_000));
const TO = chinaDateOf(new Date(START.getTime() + 24 * 3_600_000));
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

let svc: TestService;
let gz: Staff;
let bj: Staff;
const issued: Issued[] = [];

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000', TOKEN_TTL_SECONDS: '86400' } });
  gz = await staffOf(svc, 'gz');
  bj = await staffOf(svc, 'bj');
  for (let k = 0; k < 6; k++) {
    const at = k < 4 ? 'gz' : 'bj';
    issued.push(await issueBirth(svc, at === 'gz' ? gz : bj, bornBefore(fixtureRecords[k]!, START, 1 + k * 3, at)));
  }
  // A replacement is the same birth: it must count once. A voided certificate is no birth.
  const replaced = await svc.request('POST', `/api/v1/certificates/${issued[0]!.certificateNo}/replacements`, {
    token: gz.issuer,
    json: { reason: '姓名录入错误', changes: { newborn: { name: '王子涵' } } },
  });
  expect(replaced.status).toBe(201);
  const voided = await svc.request('POST', `/api/v1/certificates/${issued[1]!.certificateNo}/void`, {
    token: gz.issuer,
    json: { reason: 'PRINT_ERROR' },
  });
  expect(voided.status).toBe(200);
  t += 3 * MINUTE;
});
afterAll(async () => {
  await svc?.stop();
});

const get = async (role: string, path: string) => svc.request('GET', path, { token: await svc.token(role) });

/** A file as downloaded: the bytes, whatever the media type (the harness would parse NDJSON as JSON). */
async function download(role: string, path: string) {
  const res = await fetch(`${svc.url}${path}`, { headers: { authorization: `Bearer ${await svc.token(role)}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe('the births export', () => {
  it('counts what the register and the sex-ratio report count', async () => {
    const csv = await get('statistician', `/api/v1/exports/births?from=${FROM}&to=${TO}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = csv.body.toString('utf8').split('\r\n').filter(Boolean);
    const registered = statements(svc.running.service.sql)
      .prepare("SELECT count(*) AS n FROM certificates WHERE status = 'valid'")
      .get() as { n: number };
    expect(lines.length - 1).toBe(5);
    expect(lines.length - 1).toBe(registered.n);
    const report = await get('statistician', `/api/v1/reports/sex-ratio?from=${FROM}&to=${TO}`);
    expect(report.body.total.births).toBe(5);
  });

  it("gives the statistician counted items and no one's name or ID number", async () => {
    const csv = await get(
      'statistician',
      `/api/v1/exports/births?from=${FROM}&to=${TO}&format=csv&institution=${demo.bj.creditCode}`,
    );
    const [header, ...rows] = csv.body.toString('utf8').split('\r\n').filter(Boolean);
    expect(header).toBe(
      'certificateNo,birthDate,sex,weightGrams,lengthCm,gestationWeeks,gestationDays,health,birthPlaceDivision,' +
        'birthPlaceCategory,institution,motherAge,motherNationality,motherEthnicity,householdRegistered',
    );
    expect(rows.map((r: string) => r.split(',')[0])).toEqual([issued[4]!.certificateNo, issued[5]!.certificateNo]);
    const record = (await svc.request('GET', `/api/v1/certificates/${issued[4]!.certificateNo}`, { token: bj.issuer }))
      .body.certificate;
    const n = record.newborn;
    expect(rows[0]).toBe(
      [
        issued[4]!.certificateNo,
        chinaDateOf(new Date(n.birthTime)),
        n.sex,
        n.weightGrams,
        n.lengthCm,
        n.gestation.weeks,
        n.gestation.days,
        n.health,
        record.birthPlace.divisionCode,
        record.birthPlaceCategory,
        demo.bj.creditCode,
        record.mother.age,
        record.mother.nationality,
        record.mother.ethnicity ?? '',
        'false',
      ].join(','),
    );
    const text = csv.body.toString('utf8');
    for (const secret of [n.name, record.mother.name, record.mother.idNumber]) expect(text).not.toContain(secret);
  });

  it('makes an agency state its purpose, and gives it the verification fields as NDJSON', async () => {
    const missing = await get('agency', `/api/v1/exports/births?from=${FROM}&to=${TO}&format=ndjson`);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual(
      errorOf('PURPOSE_REQUIRED', 'State the purpose of this export in the query parameter purpose', [
        { path: 'purpose', message: 'purpose is required' },
      ]),
    );
    const res = await download(
      'agency',
      `/api/v1/exports/births?from=${FROM}&to=${TO}&format=ndjson&division=110000&purpose=${encodeURIComponent('医保参保登记')}`,
    );
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const rows = res.body
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l));
    expect(rows.map((r: { certificateNo: string }) => r.certificateNo)).toEqual([
      issued[4]!.certificateNo,
      issued[5]!.certificateNo,
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'certificateNo',
      'licenceId',
      'licenceVersion',
      'newbornName',
      'sex',
      'birthTime',
      'motherName',
      'issuerName',
      'institution',
      'issueDate',
      'birthPlaceDivision',
      'householdRegistered',
    ]);
    expect(rows[0]).toMatchObject({ licenceId: issued[4]!.licenceId, licenceVersion: 1, householdRegistered: false });
    const audit = statements(svc.running.service.sql)
      .prepare("SELECT action, purpose FROM audit_events WHERE action = 'export.downloaded' AND role = 'agency'")
      .all();
    expect(audit).toEqual([{ action: 'export.downloaded', purpose: '医保参保登记' }]);
  });

  it('names every bad parameter', async () => {
    const res = await get('statistician', '/api/v1/exports/births?from=2026-13-01&format=xml&asOf=yesterday');
    expect(res.body).toEqual(
      errorOf('INVALID_REQUEST', 'The request is invalid', [
        { path: 'from', message: 'from must be a date YYYY-MM-DD' },
        { path: 'to', message: 'to must be a date YYYY-MM-DD' },
        { path: 'format', message: 'format must be csv or ndjson' },
        { path: 'asOf', message: 'asOf must be an instant YYYY-MM-DDTHH:MM:SSZ' },
      ]),
    );
    const future = await get(
      'statistician',
      `/api/v1/exports/births?from=${FROM}&to=${TO}&format=csv&asOf=${clock.now().toISOString().slice(0, 19)}Z`,
    );
    expect(future.body.error.details).toEqual([
      { path: 'asOf', message: 'asOf must be at least 2 minutes in the past' },
    ]);
    const police = await get('police', `/api/v1/exports/births?from=${FROM}&to=${TO}&format=csv`);
    expect(police.status).toBe(403);
  });
});

describe('the signed manifest', () => {
  async function verifiedManifest(role: string, query: string) {
    const res = await get(role, `/api/v1/exports/births/manifest?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const header = JSON.parse(Buffer.from(res.body.protected, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'birth-export-manifest+jws' });
    const key = await importX509(`-----BEGIN CERTIFICATE-----\n${header.x5c[0]}\n-----END CERTIFICATE-----`, 'ES256');
    const { payload } = await flattenedVerify(res.body, key);
    // The signer is the trust-list key the offline bundle names.
    const bundle = await get('admin', '/api/v1/trust-bundle');
    const bundleHeader = JSON.parse(Buffer.from(bundle.body.protected, 'base64url').toString('utf8'));
    expect(header.kid).toBe(bundleHeader.kid);
    return JSON.parse(new TextDecoder().decode(payload));
  }

  it('proves the downloaded files whole: row count and SHA-256 of each, for the snapshot asOf', async () => {
    const manifest = await verifiedManifest('statistician', `from=${FROM}&to=${TO}`);
    const asOf = new Date(t - 2 * MINUTE).toISOString().replace('.000Z', 'Z');
    expect(manifest).toMatchObject({
      version: 1,
      dataset: 'births',
      period: { from: FROM, to: TO },
      asOf,
      generatedAt: clock.now().toISOString(),
      recipientRole: 'statistician',
      filters: {},
      rowCount: 5,
    });
    // Something changes after the snapshot: the files of that snapshot stay the same bytes.
    const voided = await svc.request('POST', `/api/v1/certificates/${issued[2]!.certificateNo}/void`, {
      token: gz.issuer,
      json: { reason: 'ENTRY_ERROR' },
    });
    expect(voided.status).toBe(200);
    for (const file of manifest.files) {
      const res = await download('statistician', file.href);
      expect(res.headers.get('export-as-of')).toBe(asOf);
      expect(sha256(res.body), file.format).toBe(file.sha256);
    }
    expect(manifest.files.map((f: { format: string; href: string }) => [f.format, f.href])).toEqual([
      ['csv', `/api/v1/exports/births?from=${FROM}&to=${TO}&format=csv&asOf=${encodeURIComponent(asOf)}`],
      ['ndjson', `/api/v1/exports/births?from=${FROM}&to=${TO}&format=ndjson&asOf=${encodeURIComponent(asOf)}`],
    ]);
  });

  it('describes an empty month: a header-only CSV, an empty NDJSON, zero rows', async () => {
    const manifest = await verifiedManifest('statistician', 'from=2020-02-01&to=2020-03-01');
    expect(manifest.rowCount).toBe(0);
    const csv = await download('statistician', manifest.files[0].href);
    const ndjson = await download('statistician', manifest.files[1].href);
    expect(csv.body.toString('utf8')).toBe(
      'certificateNo,birthDate,sex,weightGrams,lengthCm,gestationWeeks,gestationDays,health,birthPlaceDivision,' +
        'birthPlaceCategory,institution,motherAge,motherNationality,motherEthnicity,householdRegistered\r\n',
    );
    expect(ndjson.body.length).toBe(0);
    expect(manifest.files.map((f: { sha256: string }) => f.sha256)).toEqual([sha256(csv.body), sha256('')]);
  });
});
