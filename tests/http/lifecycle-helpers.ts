/**
 * Shared steps of the lifecycle HTTP tests: a frozen clock, births shifted to it, the midwife →
 * issuer → issue path, and readers of what the service hands out (QR text, audit rows).
 */
import { expect } from 'vitest';
import { inspectPdf } from '../../src/adapters/pdf/index.ts';
import { citizenIdCheckCharacter } from '../../src/domain/check/citizen-id.ts';
import { chinaDate } from '../../src/domain/lifecycle/compose.ts';
import type { Clock } from '../../src/domain/ports.ts';
import { demoInstitutions } from '../../src/setup/demo-trust-domain.ts';
import {
  applicationBodyFor,
  chinaTime,
  deliveryBodyFor,
  type FixtureRecord,
  isInstitutionalBirth,
  withBirthTime,
} from '../fixtures/records.ts';
import { statements } from '../storage-kit.ts';
import type { TestService } from './harness.ts';

export type InstitutionKey = 'gz' | 'bj';

/** The demo institutions the service seeds (name, credit code, division, number range). */
export const demo = {
  gz: demoInstitutions[0],
  bj: demoInstitutions[1],
} as const;

export const HOUR_MS = 3_600_000;

/**
 * A clock frozen on a whole minute a little after the real now, so the demo PKI (made at start-up
 * with the real time) is already valid when the service signs, and every timestamp the service
 * writes (issuedAt, recordedAt, signing time) is known in advance.
 */
export function frozenClock(): { clock: Clock; now: Date } {
  const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
  return { clock: { now: () => new Date(now) }, now };
}

/** The fixture record born `hoursBefore` hours before `now`, in the institution's district. */
export function bornBefore(record: FixtureRecord, now: Date, hoursBefore: number, at: InstitutionKey = 'gz') {
  const shifted = withBirthTime(record, chinaTime(new Date(now.getTime() - hoursBefore * HOUR_MS)));
  shifted.birthPlace = { divisionCode: demo[at].divisionCode };
  return shifted;
}

/** `YYYY-MM-DD` in China time. */
export const chinaDateOf = chinaDate;

/** A GB 11643 citizen ID number of the demo district with the given birth date and sex. */
export function childIdNumber(birthDate: string, sex: '1' | '2', serial = 1): string {
  // The sequence number's last digit is odd for boys, even for girls.
  const sequence = String(serial * 2 - (sex === '1' ? 1 : 0)).padStart(3, '0');
  const first17 = `440106${birthDate.replaceAll('-', '')}${sequence}`;
  return first17 + citizenIdCheckCharacter(first17);
}

export interface Staff {
  midwife: string;
  issuer: string;
}

export async function staffOf(svc: TestService, at: InstitutionKey): Promise<Staff> {
  return { midwife: await svc.token('midwife', at), issuer: await svc.token('issuer', at) };
}

export async function recordDelivery(svc: TestService, midwife: string, record: FixtureRecord, extra = {}) {
  const res = await svc.request('POST', '/api/v1/deliveries', {
    token: midwife,
    json: { ...deliveryBodyFor(record), ...extra },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string } & Record<string, unknown>;
}

export async function submitApplication(svc: TestService, issuer: string, body: unknown) {
  const res = await svc.request('POST', '/api/v1/applications', { token: issuer, json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; status: string; checks: unknown[] };
}

export interface Issued {
  certificateNo: string;
  licenceId: string;
  status: 'valid';
  claimCode: string;
  links: { self: string; pdf: string; signedJson: string };
}

export async function issueApplication(svc: TestService, issuer: string, applicationId: string): Promise<Issued> {
  const res = await svc.request('POST', `/api/v1/applications/${applicationId}/issue`, { token: issuer });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as Issued;
}

/** Delivery (institutional births) → application → issue, by the staff of one institution. */
export async function issueBirth(svc: TestService, staff: Staff, record: FixtureRecord): Promise<Issued> {
  if (!isInstitutionalBirth(record)) {
    const application = await submitApplication(svc, staff.issuer, applicationBodyFor(record));
    return issueApplication(svc, staff.issuer, application.id);
  }
  const delivery = await recordDelivery(svc, staff.midwife, record);
  const application = await submitApplication(svc, staff.issuer, applicationBodyFor(record, delivery.id));
  return issueApplication(svc, staff.issuer, application.id);
}

export async function claimToken(svc: TestService, issued: Issued, motherIdNumber: string): Promise<string> {
  const res = await svc.request('POST', '/api/v1/citizen/claims', {
    json: { certificateNo: issued.certificateNo, motherIdNumber, claimCode: issued.claimCode },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.accessToken as string;
}

/** The QR text exactly as printed: the PDF carries it as the `qr.txt` attachment. */
export async function qrTextOf(pdf: Uint8Array): Promise<string> {
  const inspection = await inspectPdf(pdf);
  if (!inspection.ok) throw new Error(`the PDF does not inspect: ${inspection.reason} (${inspection.detail})`);
  return inspection.qrText;
}

export const verifyOverHttp = (svc: TestService, body: unknown) =>
  svc.request('POST', '/api/v1/verifications', { json: body });

/** The next unused number of an institution's first range, as the admin sees the stock. */
export async function nextStockNumber(svc: TestService, at: InstitutionKey): Promise<string> {
  const res = await svc.request('GET', '/api/v1/institutions', { token: await svc.token('admin') });
  expect(res.status).toBe(200);
  const institution = res.body.institutions.find((i: { creditCode: string }) => i.creditCode === demo[at].creditCode);
  const range = institution.numberRanges[0] as { prefix: string; nextNo: number };
  return `${range.prefix}${String(range.nextNo).padStart(9, '0')}`;
}

/** Audit rows as stored: what happened to what (the HTTP surface only reports the chain's state). */
export function auditTrail(svc: TestService): { action: string; target: string | null; purpose: string | null }[] {
  return statements(svc.running.service.sql)
    .prepare('SELECT action, target, purpose FROM audit_events ORDER BY seq')
    .all() as {
    action: string;
    target: string | null;
    purpose: string | null;
  }[];
}

export const errorOf = (code: string, message: string, details: unknown[] = []) => ({
  error: { code, message, details },
});

export const forbiddenRole = (role: string) => errorOf('FORBIDDEN', `The role "${role}" may not call this route`);

/** The newborn, mother and issuer items a verification shows. */
export function shownCertificate(
  certificate: {
    certificateNo: string;
    newborn: { name: string; sex: string; birthTime: string };
    mother: { name: string };
    issueDate: string;
  },
  licenceId: string,
  issuedAt: Date,
  at: InstitutionKey = 'gz',
) {
  return {
    certificateNo: certificate.certificateNo,
    licenceId,
    newborn: {
      name: certificate.newborn.name,
      sex: certificate.newborn.sex,
      birthTime: certificate.newborn.birthTime,
    },
    mother: { name: certificate.mother.name },
    issuer: { name: demo[at].name, creditCode: demo[at].creditCode },
    issueDate: certificate.issueDate,
    issuedAt: issuedAt.toISOString(),
  };
}

const check = (name: string, result: string) => ({ name, result });

export const verificationChecks = {
  validWithRegister: ['format', 'signature', 'issuer', 'status', 'consistency'].map((n) => check(n, 'pass')),
  statusFailed: [...['format', 'signature', 'issuer'].map((n) => check(n, 'pass')), check('status', 'fail')],
};
