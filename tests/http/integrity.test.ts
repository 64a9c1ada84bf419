import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCertificateNo } from '../../src/domain/institution.ts';
import type { CertificateSigner } from '../../src/domain/lifecycle/ports.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { demo } from './lifecycle-helpers.ts';

/**
 * Concurrency over real HTTP: parallel issues, duplicate issues of one application and racing
 * replacements must each leave every certificate number used once and accounted for.
 */

let svc: TestService;
let db: Database.Database;
let midwife: string;
let issuers: [string, string];
let institution: string;
let births = 0;
/** Birth times count back from one instant, so no two births of one mother share a minute. */
const testStartedAt = Date.now();

beforeAll(async () => {
  svc = await startTestService();
  midwife = await svc.token('midwife', 'gz');
  // Two sessions of the institution's issuer: two clients issuing side by side.
  const issuer = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-gz'))!;
  institution = issuer.institution!;
  const signIn = async () =>
    (
      await svc.request('POST', '/api/v1/auth/token', {
        json: { username: issuer.username, password: issuer.password },
      })
    ).body.accessToken as string;
  issuers = [await signIn(), await signIn()];
  expect(issuers[0]).not.toBe(issuers[1]);
  db = new Database(path.join(svc.dataDir, 'service.sqlite'), { readonly: true, fileMustExist: true });
});

afterAll(async () => {
  db?.close();
  await svc?.stop();
});

/**
 * A new birth an hour or so ago (inside the midwife's 24-hour window), entered as an application
 * at the Guangzhou demo institution, or with `staff` at another.
 */
async function newApplication(staff = { midwife, issuer: issuers[0] }, at: 'gz' | 'bj' = 'gz'): Promise<string> {
  const n = births++;
  const base = fixtureRecords[n % fixtureRecords.length]!;
  // Each birth its own mother: one mother's births an hour apart would be one pregnancy.
  const record = withAnotherMother(withBirthTime(base, chinaTime(new Date(testStartedAt - (60 + n) * 60_000))), n + 1);
  // A delivery at the institution happened in its division.
  if (isInstitutionalBirth(record)) record.birthPlace = { divisionCode: demo[at].divisionCode };
  let body = applicationBodyFor(record);
  if (isInstitutionalBirth(record)) {
    const delivery = await svc.request('POST', '/api/v1/deliveries', {
      token: staff.midwife,
      json: deliveryBodyFor(record),
    });
    expect(delivery.status).toBe(201);
    body = applicationBodyFor(record, delivery.body.id);
  }
  const application = await svc.request('POST', '/api/v1/applications', { token: staff.issuer, json: body });
  expect(application.status).toBe(201);
  return application.body.id as string;
}

const issue = (applicationId: string, token = issuers[0]) =>
  svc.request('POST', `/api/v1/applications/${applicationId}/issue`, { token });

/** The next number the institution's (single demo) range would hand out. */
const nextNumber = (creditCode = institution): number =>
  db.prepare<[string], { next_no: number }>('SELECT next_no FROM number_ranges WHERE institution = ?').get(creditCode)!
    .next_no;

const numbersIn = (table: 'certificates' | 'voided_numbers' | 'number_reservations'): Set<string> =>
  new Set(
    db
      .prepare(`SELECT certificate_no FROM ${table}`)
      .pluck()
      .all()
      .map((v) => String(v)),
  );

/** The e-licence and the QR of a certificate, each presented alone to the public verifier. */
async function verifyBoth(certificateNo: string) {
  const signedJson = await svc.request('GET', `/api/v1/certificates/${certificateNo}/signed.json`, {
    token: issuers[0],
  });
  expect(signedJson.status).toBe(200);
  const qr = db
    .prepare<[string], { qr_text: string }>('SELECT qr_text FROM certificates WHERE certificate_no = ?')
    .get(certificateNo)!.qr_text;
  const byJson = await svc.request('POST', '/api/v1/verifications', { json: { signedJson: signedJson.body } });
  const byQr = await svc.request('POST', '/api/v1/verifications', { json: { qr } });
  return [byJson.body, byQr.body];
}

describe('parallel issuing', () => {
  it('gives 20 applications issued at once by two sessions 20 consecutive numbers, each verifiable', async () => {
    const applications: string[] = [];
    for (let i = 0; i < 20; i++) applications.push(await newApplication());
    const first = nextNumber();

    const results = await Promise.all(applications.map((id, i) => issue(id, issuers[i % 2])));

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => r.body.certificateNo as string);
    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(Array.from({ length: 20 }, (_, i) => formatCertificateNo('Q', first + i)));
    expect(nextNumber()).toBe(first + 20);
    for (const [i, result] of results.entries()) {
      const application = db
        .prepare<[string], { status: string; certificate_no: string }>(
          'SELECT status, certificate_no FROM applications WHERE id = ?',
        )
        .get(applications[i]!)!;
      expect(application).toEqual({ status: 'issued', certificate_no: result.body.certificateNo });
    }
    for (const no of numbers) {
      for (const verdict of await verifyBoth(no)) {
        expect(verdict).toMatchObject({ valid: true, status: 'valid', certificate: { certificateNo: no } });
      }
    }
  });

  it('issues one certificate for one application sent five times at once: one 201, four 200 replays', async () => {
    const application = await newApplication();
    const first = nextNumber();

    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => issue(application, issuers[i % 2])));

    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const created = results.find((r) => r.status === 201)!.body;
    expect(created.certificateNo).toBe(formatCertificateNo('Q', first));
    expect(created.claimCode).toEqual(expect.any(String));
    for (const replay of results.filter((r) => r.status === 200)) {
      expect(replay.body).toEqual({
        certificateNo: created.certificateNo,
        licenceId: created.licenceId,
        status: 'valid',
        links: created.links,
      });
    }
    expect(nextNumber()).toBe(first + 1);
    const rows = db
      .prepare('SELECT certificate_no FROM certificates WHERE application_id = ?')
      .pluck()
      .all(application);
    expect(rows).toEqual([created.certificateNo]);
  });
});

/**
 * Holds every signing until `parties` requests are signing at once (or 5 s pass), so a race the
 * scheduler might or might not produce happens every time.
 */
async function withSignerBarrier<T>(parties: number, run: () => Promise<T>): Promise<T> {
  const ports = svc.running.service.lifecycle;
  const signer = ports.signer;
  let arrived = 0;
  let release!: () => void;
  const allArrived = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, 5_000).unref();
  });
  const held: CertificateSigner = {
    async sign(payload, issuedAt) {
      if (++arrived >= parties) release();
      await allArrived;
      return signer.sign(payload, issuedAt);
    },
  };
  ports.signer = held;
  try {
    return await run();
  } finally {
    ports.signer = signer;
  }
}

describe('racing amendments of one certificate', () => {
  const amend = (kind: 'replacement' | 'reissue', no: string, name: string) =>
    kind === 'replacement'
      ? svc.request('POST', `/api/v1/certificates/${no}/replacements`, {
          token: issuers[0],
          json: { reason: '姓名录入错误', changes: { newborn: { name } } },
        })
      : svc.request('POST', `/api/v1/certificates/${no}/reissues`, {
          token: issuers[1],
          json: { reason: '原证遗失' },
        });

  it.each([
    ['replacement', 'replacement'],
    ['replacement', 'reissue'],
  ] as const)(
    'lets one of two parallel amendments (%s, %s) win; the loser gets 409 and its number is voided',
    async (a, b) => {
      const issued = await issue(await newApplication());
      expect(issued.status).toBe(201);
      const old = issued.body.certificateNo as string;
      const first = nextNumber();

      // Both requests pass the first "is it current?" check and take a number before either signs.
      const results = await withSignerBarrier(2, () => Promise.all([amend(a, old, '王子涵'), amend(b, old, '王梓萱')]));

      const statuses = results.map((r) => r.status);
      const winner = results.find((r) => r.status === 201);
      const loser = results.find((r) => r.status !== 201);
      // Both took a number before either signed: the range moved by two.
      expect(nextNumber()).toBe(first + 2);
      const taken = [formatCertificateNo('Q', first), formatCertificateNo('Q', first + 1)];
      expect(winner, `statuses ${statuses}`).toBeDefined();
      const won = winner!.body.certificateNo as string;
      const lost = taken.find((no) => no !== won)!;
      expect(taken).toContain(won);

      // The old certificate points at the winner, and the winner verifies.
      const oldRecord = await svc.request('GET', `/api/v1/certificates/${old}`, { token: issuers[0] });
      expect(oldRecord.body).toMatchObject({ status: 'superseded', supersededBy: won });
      for (const verdict of await verifyBoth(won)) expect(verdict).toMatchObject({ valid: true, status: 'valid' });

      // The loser's number is voided, not reserved, not a certificate, and never handed out again.
      expect(numbersIn('voided_numbers').has(lost)).toBe(true);
      expect(numbersIn('certificates').has(lost)).toBe(false);
      expect(numbersIn('number_reservations').has(lost)).toBe(false);
      expect((await svc.request('GET', `/api/v1/certificates/${lost}`, { token: issuers[0] })).status).toBe(404);
      const next = await issue(await newApplication());
      expect(next.body.certificateNo).toBe(formatCertificateNo('Q', first + 2));

      // Last: the loser's answer (a lost race is a conflict, not a server fault), and the void
      // of its number is in the audit log like every other void.
      expect.soft(loser!.body.error?.code).toBe('INVALID_STATE');
      expect.soft(loser!.status).toBe(409);
      const events = db.prepare('SELECT action FROM audit_events WHERE target = ?').pluck().all(lost);
      expect.soft(events).toContain('certificate.voided');
    },
  );
});

describe('number accounting', () => {
  // At the other demo institution (prefix P), so the Guangzhou stock checked below stays clean.
  it('refuses to void as a blank a number reserved by an interrupted issue, which a retry then uses', async () => {
    const staff = { midwife: await svc.token('midwife', 'bj'), issuer: await svc.token('issuer', 'bj') };
    const beijing = svc.accounts.find((a) => a.role === 'issuer' && a.username.endsWith('-bj'))!.institution!;
    const application = await newApplication(staff, 'bj');
    const reserved = formatCertificateNo('P', nextNumber(beijing));
    const ports = svc.running.service.lifecycle;
    const signer = ports.signer;
    // The process stopping between taking the number and landing the certificate leaves the
    // same state as a signer that fails: the application 'issuing' with its number reserved.
    const failing: CertificateSigner = {
      sign: () => Promise.reject(Object.assign(new Error('signer stopped'), { code: 'TEST_FAULT' })),
    };
    ports.signer = failing;
    try {
      const interrupted = await svc.request('POST', `/api/v1/applications/${application}/issue`, {
        token: staff.issuer,
      });
      expect(interrupted.status).toBe(500);
    } finally {
      ports.signer = signer;
    }
    const state = db.prepare('SELECT status, certificate_no FROM applications WHERE id = ?').get(application);
    expect(state).toEqual({ status: 'issuing', certificate_no: reserved });

    const voided = await svc.request('POST', `/api/v1/certificates/${reserved}/void`, {
      token: staff.issuer,
      json: { reason: 'LOST_BLANK' },
    });
    const retried = await svc.request('POST', `/api/v1/applications/${application}/issue`, { token: staff.issuer });
    expect(retried.status).toBe(201);
    expect(retried.body.certificateNo).toBe(reserved);
    // The number must not end up both voided and a valid certificate.
    expect({ voided: numbersIn('voided_numbers').has(reserved), void: voided.status }).toEqual({
      voided: false,
      void: 409,
    });
  });

  it('accounts for every number taken from the range once, and keeps the audit chain intact', async () => {
    const places = {
      certificate: numbersIn('certificates'),
      voided: numbersIn('voided_numbers'),
      reserved: numbersIn('number_reservations'),
      issuing: new Set(
        db
          .prepare("SELECT certificate_no FROM applications WHERE status = 'issuing'")
          .pluck()
          .all()
          .map((v) => String(v)),
      ),
    };
    const first = db
      .prepare<[string], { first_no: number }>('SELECT first_no FROM number_ranges WHERE institution = ?')
      .get(institution)!.first_no;
    const taken = Array.from({ length: nextNumber() - first }, (_, i) => formatCertificateNo('Q', first + i));
    const misplaced = taken
      .map((no) => ({ no, in: Object.entries(places).flatMap(([place, set]) => (set.has(no) ? [place] : [])) }))
      .filter((entry) => entry.in.length !== 1);
    expect(misplaced).toEqual([]);
    expect(places.reserved.size).toBe(0);

    const issuedEvents = db
      .prepare("SELECT target FROM audit_events WHERE action = 'certificate.issued'")
      .pluck()
      .all()
      .map((v) => String(v))
      .sort();
    const firstIssues = db
      .prepare("SELECT certificate_no FROM certificates WHERE kind IN ('first', 'out-of-institution')")
      .pluck()
      .all()
      .map((v) => String(v))
      .sort();
    expect(issuedEvents).toEqual(firstIssues);

    const audit = await svc.request('GET', '/api/v1/audit-events/verify', { token: await svc.token('auditor') });
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ intact: true });
  });
});
