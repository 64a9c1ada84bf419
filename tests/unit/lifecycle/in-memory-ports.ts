/**
 * In-memory implementations of the lifecycle's ports: the same contracts as the SQLite adapters
 * (a unit of work that rolls back, number ranges, reservations, the register with its claim
 * codes, 落户), kept in plain maps so a lifecycle rule runs in microseconds. The signer and the
 * renderer are simple stand-ins that record the instant they were given; they sign nothing.
 */

import { countryDirectory } from '../../../src/adapters/countries.ts';
import { divisionDirectory } from '../../../src/adapters/divisions.ts';
import type { AuditEvent, AuditEventInput } from '../../../src/domain/audit/audit-event.ts';
import type { ELicencePayload } from '../../../src/domain/certificate.ts';
import type { BirthEvent } from '../../../src/domain/events/birth-event.ts';
import { formatCertificateNo, type InstitutionRecord } from '../../../src/domain/institution.ts';
import type {
  ApplicationHolder,
  ApplicationStore,
  CertificateRegister,
  ClaimCodeStore,
  HouseholdRegistrationStore,
  LifecyclePorts,
  NumberHolder,
  NumberStock,
  Reservation,
  Secrets,
  UnitOfWork,
} from '../../../src/domain/lifecycle/ports.ts';
import type {
  ApplicationRecord,
  CertificateRecord,
  DeliveryRecord,
  HouseholdRegistration,
} from '../../../src/domain/lifecycle/records.ts';
import { createStatusListAssigner } from '../../../src/domain/status-lists/assign-status.ts';
import { createCertificateValidator } from '../../../src/validation/validator.ts';

interface Range {
  institution: string;
  prefix: string;
  first: number;
  last: number;
  next: number;
}

/** Everything the ports store; a unit of work snapshots and restores it whole. */
export interface State {
  deliveries: Map<string, DeliveryRecord>;
  applications: Map<string, ApplicationRecord>;
  certificates: Map<
    string,
    { record: CertificateRecord; pdf: Uint8Array | null; claimHash: string | null; failures: number }
  >;
  ranges: Range[];
  voided: Map<string, { institution: string; reason: string; note: string | null; by: string }>;
  reservations: Map<string, { institution: string; purpose: 'replacement' | 'reissue' }>;
  households: Map<string, HouseholdRegistration & { recordedBy: string }>;
  audit: AuditEventInput[];
  /** The outbox: events appended with their changes. */
  events: BirthEvent[];
}

const emptyState = (): State => ({
  deliveries: new Map(),
  applications: new Map(),
  certificates: new Map(),
  ranges: [],
  voided: new Map(),
  reservations: new Map(),
  households: new Map(),
  audit: [],
  events: [],
});

function unitOfWork(holder: { state: State }): UnitOfWork {
  return {
    run(fn) {
      // Every level is a savepoint, as better-sqlite3's nested transactions are.
      const saved = structuredClone(holder.state);
      try {
        return fn();
      } catch (error) {
        holder.state = saved;
        throw error;
      }
    },
  };
}

function numberStock(holder: { state: State }): NumberStock {
  const s = () => holder.state;
  const isUsed = (no: string) =>
    s().certificates.has(no) ||
    s().voided.has(no) ||
    s().reservations.has(no) ||
    [...s().applications.values()].some((a) => a.certificateNo === no);
  const takeNumber = (institution: string): string | null => {
    for (const range of s().ranges.filter((r) => r.institution === institution)) {
      while (range.next <= range.last) {
        const candidate = formatCertificateNo(range.prefix, range.next++);
        if (!isUsed(candidate)) return candidate;
      }
    }
    return null;
  };
  return {
    reserve<H extends NumberHolder>(institution: string, holder: H, at: Date): Reservation<H> | null {
      const certificateNo = takeNumber(institution);
      if (certificateNo === null) return null;
      if (holder.kind === 'application') {
        const application = s().applications.get(holder.applicationId);
        if (application?.status !== 'submitted') throw new Error(`${holder.applicationId} is not awaiting issue`);
        Object.assign(application, { status: 'issuing', certificateNo, licenceSerial: holder.lineage });
      } else {
        s().reservations.set(certificateNo, { institution, purpose: holder.purpose });
      }
      void at;
      return { certificateNo, institution, holder };
    },
    heldByApplication(applicationId): Reservation<ApplicationHolder> | null {
      const a = s().applications.get(applicationId);
      if (a?.status !== 'issuing') return null;
      return {
        certificateNo: a.certificateNo!,
        institution: a.institution,
        holder: { kind: 'application', applicationId, lineage: a.licenceSerial! },
      };
    },
    settle(reservation) {
      if (reservation.holder.kind === 'amendment') return s().reservations.delete(reservation.certificateNo);
      const application = s().applications.get(reservation.holder.applicationId)!;
      if (application.status !== 'issuing') return false;
      application.status = 'issued';
      return true;
    },
    release: (no) => s().reservations.delete(no),
    abandoned: () =>
      [...s().reservations].map(([certificateNo, r]) => ({
        certificateNo,
        institution: r.institution,
        holder: { kind: 'amendment', purpose: r.purpose },
      })),
    isUsed,
    ownerOf(no) {
      const n = Number(no.slice(1));
      return s().ranges.find((r) => r.prefix === no[0] && r.first <= n && n <= r.last)?.institution ?? null;
    },
    voidNumber(no, institution, reason, note, by) {
      if (s().voided.has(no)) throw new Error(`UNIQUE: ${no} is already voided`);
      s().voided.set(no, { institution, reason, note, by });
    },
  };
}

function applicationStore(holder: { state: State }): ApplicationStore {
  const s = () => holder.state;
  return {
    insertDelivery: (r) => void s().deliveries.set(r.id, structuredClone(r)),
    findDelivery: (id) => structuredClone(s().deliveries.get(id) ?? null),
    recentDeliveries: (institution, limit) =>
      [...s().deliveries.values()]
        .filter((d) => d.institution === institution)
        .sort((a, b) => b.recordedAt.localeCompare(a.recordedAt))
        .slice(0, limit)
        .map((d) => structuredClone(d)),
    deliveryIssued: (deliveryId) =>
      [...s().applications.values()].some((a) => {
        if (a.deliveryId !== deliveryId) return false;
        if (a.status === 'issuing') return true;
        const lineage = a.certificateNo ? s().certificates.get(a.certificateNo)?.record.lineage : undefined;
        return [...s().certificates.values()].some(
          (c) => c.record.lineage === lineage && (c.record.status === 'valid' || c.record.status === 'revoked'),
        );
      }),
    insertApplication: (r) => void s().applications.set(r.id, structuredClone(r)),
    findApplication: (id) => structuredClone(s().applications.get(id) ?? null),
  };
}

function certificateRegister(holder: { state: State }): CertificateRegister {
  const s = () => holder.state;
  const entry = (no: string) => {
    const row = s().certificates.get(no);
    if (!row) throw new Error(`no certificate ${no}`);
    return row;
  };
  const householdRegistered = (r: CertificateRecord) => s().households.has(r.lineage);
  return {
    insert(record, pdf) {
      if (s().certificates.has(record.certificateNo)) throw new Error(`UNIQUE: ${record.certificateNo}`);
      s().certificates.set(record.certificateNo, {
        record: structuredClone(record),
        pdf,
        claimHash: null,
        failures: 0,
      });
    },
    insertBackfilled(record) {
      if (s().certificates.has(record.certificateNo)) throw new Error(`UNIQUE: ${record.certificateNo}`);
      s().certificates.set(record.certificateNo, {
        record: structuredClone({ ...record, backfilled: true }),
        pdf: null,
        claimHash: null,
        failures: 0,
      });
    },
    backfilledOf: (no) => {
      const row = s().certificates.get(no);
      return row ? row.record.backfilled === true : null;
    },
    storePdf(no, pdf) {
      const row = entry(no);
      if (row.pdf) return false;
      row.pdf = pdf;
      return true;
    },
    find: (no) => structuredClone(s().certificates.get(no)?.record ?? null),
    findByMother: (id) =>
      [...s().certificates.values()]
        .map((c) => structuredClone(c.record))
        .filter((r) => r.certificate.mother.idNumber === id),
    lineage: (lineage) =>
      [...s().certificates.values()]
        .map((c) => structuredClone(c.record))
        .filter((r) => r.lineage === lineage)
        .sort((a, b) => a.version - b.version),
    pdf: (no) => s().certificates.get(no)?.pdf ?? null,
    signedWithKeySince: (institution, kid, since) =>
      [...s().certificates.values()]
        .map((c) => c.record)
        .filter((r) => {
          if (r.institution !== institution) return false;
          const header = JSON.parse(
            Buffer.from((JSON.parse(r.signedJson) as { protected: string }).protected, 'base64url').toString('utf8'),
          ) as { kid?: string; sigT?: string };
          return header.kid === kid && Date.parse(header.sigT ?? '') >= since.getTime();
        })
        .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt))
        .map((r) => r.certificateNo),
    supersede(no, successorNo, reason, at) {
      Object.assign(entry(no).record, {
        status: 'superseded',
        supersededBy: successorNo,
        statusReason: reason,
        statusChangedAt: at.toISOString(),
      });
    },
    setStatus(no, status, reason, note, at) {
      Object.assign(entry(no).record, {
        status,
        statusReason: reason,
        statusNote: note,
        statusChangedAt: at.toISOString(),
      });
    },
    lookup(no) {
      const r = s().certificates.get(no)?.record;
      if (!r) return null;
      return {
        status: r.status,
        supersededBy: r.supersededBy,
        licenceId: r.licenceId,
        licenceDigest: r.licenceDigest,
        householdRegistered: householdRegistered(r),
      };
    },
    snapshot: () =>
      [...s().certificates.values()].map(({ record: r }) => ({
        certificateNo: r.certificateNo,
        status: r.status,
        supersededBy: r.supersededBy,
        licenceDigest: r.licenceDigest,
        householdRegistered: householdRegistered(r),
      })),
  };
}

function claimCodeStore(holder: { state: State }): ClaimCodeStore {
  const row = (no: string) => holder.state.certificates.get(no);
  return {
    state(no) {
      const r = row(no);
      return r ? { hash: r.claimHash, failures: r.failures } : null;
    },
    set(no, hash) {
      const r = row(no);
      if (r) Object.assign(r, { claimHash: hash, failures: 0 });
    },
    withdraw(no) {
      const r = row(no);
      if (r) r.claimHash = null;
    },
    recordFailure(no) {
      const r = row(no);
      if (!r) return 0;
      return ++r.failures;
    },
    resetFailures(no) {
      const r = row(no);
      if (r) r.failures = 0;
    },
  };
}

function householdRegistrations(holder: { state: State }): HouseholdRegistrationStore {
  const s = () => holder.state;
  return {
    find(lineage) {
      const found = s().households.get(lineage);
      if (!found) return null;
      const { recordedBy: _by, ...registration } = found;
      return registration;
    },
    holdsChildIdNumber: (id) => [...s().households.values()].some((h) => h.childIdNumber === id),
    insert(lineage, registration, recordedBy) {
      if (s().households.has(lineage)) throw new Error(`UNIQUE: lineage ${lineage}`);
      s().households.set(lineage, { ...registration, recordedBy });
    },
  };
}

/** Counters instead of randomness: the n-th claim code, serial and id are known in advance. */
function countingSecrets(): Secrets {
  let n = 0;
  const next = () => String(++n).padStart(6, '0');
  return {
    newClaimCode: () => `CLAIM${next()}`,
    hashClaimCode: (certificateNo, claimCode) => `hash(${certificateNo}:${claimCode})`,
    claimCodeMatches: (certificateNo, claimCode, storedHash) => storedHash === `hash(${certificateNo}:${claimCode})`,
    newLicenceSerial: () => `SERIAL${next().padStart(14, '0')}`,
    newId: (prefix) => `${prefix}${next()}`,
  };
}

/** A mutable clock: tests move it on. */
export function testClock(start: Date) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

export interface SignCall {
  certificateNo: string;
  issuedAt: Date;
}

/**
 * The signer's contract without the cryptography: a `signedJson` carrying the payload and the
 * instant, so a test can see what was signed when. `hold` makes the next signings wait for a
 * gate, to line up two requests the way a race would; `fail` makes them fail.
 */
export function recordingSigner() {
  const calls: SignCall[] = [];
  let failure: Error | null = null;
  let gate: Promise<void> | null = null;
  return {
    calls,
    fail(error: Error | null) {
      failure = error;
    },
    hold(until: Promise<void> | null) {
      gate = until;
    },
    async sign(payload: ELicencePayload, issuedAt: Date) {
      const certificateNo = payload.certificate.certificateNo;
      calls.push({ certificateNo, issuedAt });
      if (gate) await gate;
      if (failure) throw failure;
      return {
        signedJson: JSON.stringify({ payload, signedAt: issuedAt.toISOString() }),
        qrText: `QR ${certificateNo}`,
        licenceDigest: `digest-${certificateNo}`,
        kid: `kid-${payload.certificate.issuer.creditCode}`,
      };
    },
  };
}

export function recordingRenderer() {
  const calls: { certificateNo: string; issuedAt: Date; kid: string | null }[] = [];
  return {
    calls,
    canSignWith: () => true,
    async render(input: { payload: ELicencePayload; kid: string | null; issuedAt: Date }) {
      calls.push({ certificateNo: input.payload.certificate.certificateNo, issuedAt: input.issuedAt, kid: input.kid });
      return new TextEncoder().encode(
        `%PDF ${input.payload.certificate.certificateNo} ${input.issuedAt.toISOString()}`,
      );
    },
  };
}

/** Status list places over memory: the next free index of the partition's list, kept per certificate. */
export function inMemoryStatusLists() {
  const assigned = new Map<string, { idx: number; uri: string }>();
  const used = new Map<string, number>();
  const assign = (certificateNo: string, partition: { institution: string; year: number }) => {
    const existing = assigned.get(certificateNo);
    if (existing) return existing;
    const uri = `https://status.test/${partition.institution}-${partition.year}`;
    const idx = used.get(uri) ?? 0;
    used.set(uri, idx + 1);
    assigned.set(certificateNo, { idx, uri });
    return { idx, uri };
  };
  return {
    assign,
    assignAll: (items: readonly { certificateNo: string; partition: { institution: string; year: number } }[]) =>
      items.map((item) => assign(item.certificateNo, item.partition)),
  };
}

/** The lifecycle wired over memory, plus handles to look inside. */
export function inMemoryLifecycle(options: { now: Date; institutions: InstitutionRecord[] }) {
  const holder = { state: emptyState() };
  const clock = testClock(options.now);
  const signer = recordingSigner();
  const renderer = recordingRenderer();
  const institutions = new Map(options.institutions.map((i) => [i.creditCode, i]));
  const ports: LifecyclePorts = {
    transactions: unitOfWork(holder),
    stock: numberStock(holder),
    applications: applicationStore(holder),
    register: certificateRegister(holder),
    claimCodes: claimCodeStore(holder),
    households: householdRegistrations(holder),
    institutions: { find: (creditCode) => institutions.get(creditCode) ?? null },
    signer,
    statusLists: createStatusListAssigner(inMemoryStatusLists()),
    renderer,
    // The real rules over the real code tables; no glyph check (there are no fonts here).
    validateCertificate: createCertificateValidator({
      clock,
      divisions: divisionDirectory,
      countries: countryDirectory,
    }),
    secrets: countingSecrets(),
    audit: {
      record(event: AuditEventInput, now: Date): AuditEvent {
        holder.state.audit.push(event);
        return { ...event, seq: holder.state.audit.length, at: now.toISOString(), prevHash: '', hash: '' };
      },
    },
    events: {
      append(event: BirthEvent) {
        holder.state.events.push(event);
        return `evt_${holder.state.events.length}`;
      },
    },
    clock,
    licenceTypeCode: '11100000000013338W001',
  };
  return {
    ports,
    clock,
    signer,
    renderer,
    state: () => holder.state,
    addRange(institution: string, prefix: string, first: number, last: number) {
      holder.state.ranges.push({ institution, prefix, first, last, next: first });
    },
  };
}
