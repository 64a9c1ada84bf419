import type { InstitutionRole, Principal, PrincipalOf } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-event.ts';
import type { Certificate, CertificateStatus, ELicencePayload } from '../certificate.ts';
import type { ErrorDetail } from '../errors.ts';
import type { EventOutbox } from '../events/birth-event.ts';
import type { InstitutionRepository } from '../institution.ts';
import type { Clock } from '../ports.ts';
import type { StatusListAssigner } from '../status-lists/ports.ts';
import type { RegisterEntry } from '../verification/ports.ts';
import type { ApplicationRecord, CertificateRecord, DeliveryRecord, HouseholdRegistration } from './records.ts';

/*
 * The lifecycle's ports, one per seam of the storage (number stock, applications, the
 * certificate register, claim codes, household registration) plus the unit of work that makes
 * several of them change together, and the certificate production (signer, renderer, validator).
 */

/** Runs `fn` atomically; nested calls join the outer unit of work. */
export interface UnitOfWork {
  run<T>(fn: () => T): T;
}

/**
 * Who holds a reserved number until its certificate lands:
 * - an application being issued (首次签发): the reservation outlives a failed attempt or a stopped
 *   process, so the retry signs again with the same number and licence serial;
 * - an amendment (换发/补发): a reservation nobody finished is voided (see `voidAbandonedNumber`).
 */
export type NumberHolder =
  | { kind: 'application'; applicationId: string; lineage: string }
  | { kind: 'amendment'; purpose: 'replacement' | 'reissue' };

export type ApplicationHolder = Extract<NumberHolder, { kind: 'application' }>;

export interface Reservation<H extends NumberHolder = NumberHolder> {
  certificateNo: string;
  institution: string;
  holder: H;
}

/** The institutions' certificate number stock: ranges, reservations and voided numbers. */
export interface NumberStock {
  /** Takes the next unused number of the institution's stock for `holder`; null when exhausted. */
  reserve<H extends NumberHolder>(institution: string, holder: H, at: Date): Reservation<H> | null;
  /** The reservation an application still holds from an attempt that did not land, or null. */
  heldByApplication(applicationId: string): Reservation<ApplicationHolder> | null;
  /**
   * The certificate landed: the reservation ends (an application becomes issued). False when the
   * reservation is no longer there: its number was voided as abandoned meanwhile.
   */
  settle(reservation: Reservation, at: Date): boolean;
  /** Ends an amendment's reservation without a certificate; false when there was none. */
  release(certificateNo: string): boolean;
  /** Amendments' reservations held by service processes that are gone (stopped or killed). */
  abandoned(): Reservation[];
  /** Issued, voided or reserved: a number that is never handed out again. */
  isUsed(certificateNo: string): boolean;
  /** The institution whose range holds the number, or null. */
  ownerOf(certificateNo: string): string | null;
  voidNumber(
    certificateNo: string,
    institution: string,
    reason: string,
    note: string | null,
    by: string,
    at: Date,
  ): void;
}

/** Delivery records (the midwife's items) and the parents' applications. */
export interface ApplicationStore {
  insertDelivery(record: DeliveryRecord): void;
  findDelivery(id: string): DeliveryRecord | null;
  /** The institution's latest delivery records, newest first. */
  recentDeliveries(institution: string, limit: number): DeliveryRecord[];
  /** Whether the birth of this delivery record has its certificate (being issued, valid or revoked). */
  deliveryIssued(deliveryId: string): boolean;
  insertApplication(record: ApplicationRecord): void;
  findApplication(id: string): ApplicationRecord | null;
}

/** The certificate register: every certificate issued, its status and its documents. */
export interface CertificateRegister {
  insert(record: CertificateRecord, pdf: Uint8Array): void;
  /** A back-issued certificate (see backfill.ts): marked so, and without its PDF until first download. */
  insertBackfilled(record: CertificateRecord): void;
  /** Null when the number is not in the register, else whether it was back-issued. */
  backfilledOf(certificateNo: string): boolean | null;
  /** Stores the PDF rendered on first download; false if one was stored meanwhile (that one stands). */
  storePdf(certificateNo: string, pdf: Uint8Array): boolean;
  find(certificateNo: string): CertificateRecord | null;
  findByMother(motherIdNumber: string): CertificateRecord[];
  /** Every version of one birth, oldest first. */
  lineage(lineage: string): CertificateRecord[];
  /** Null also for a back-issued certificate whose PDF has not been rendered yet. */
  pdf(certificateNo: string): Uint8Array | null;
  supersede(certificateNo: string, successorNo: string, reason: string, at: Date): void;
  setStatus(certificateNo: string, status: 'void' | 'revoked', reason: string, note: string | null, at: Date): void;
  /** What verification needs of one number, in one read. */
  lookup(certificateNo: string): (RegisterEntry & { licenceId: string; licenceDigest: string }) | null;
  /**
   * Numbers of the institution's certificates whose e-licence `kid` signed at or after `since`,
   * oldest first: those a revocation of that key from `since` turns into ISSUER_REVOKED.
   */
  signedWithKeySince(institution: string, kid: string, since: Date): string[];
  /** Every certificate's verification status, for the offline bundle's snapshot. */
  snapshot(): {
    certificateNo: string;
    status: CertificateStatus;
    supersededBy: string | null;
    licenceDigest: string;
    householdRegistered: boolean;
  }[];
}

/** The parents' claim codes (stored hashed) and the wrong guesses counted against them. */
export interface ClaimCodeStore {
  /** Null when the certificate is unknown; `hash` null when it accepts no claim. */
  state(certificateNo: string): { hash: string | null; failures: number } | null;
  /** Sets a new code, clears the failures and ends every citizen token opened with an earlier code. */
  set(certificateNo: string, hash: string): void;
  /** The certificate stops accepting claims (superseded, void or revoked). */
  withdraw(certificateNo: string): void;
  /** Counts one wrong guess; returns the count. */
  recordFailure(certificateNo: string): number;
  resetFailures(certificateNo: string): void;
}

/** 落户: the police's household registrations, one per birth (lineage), not per version. */
export interface HouseholdRegistrationStore {
  find(lineage: string): HouseholdRegistration | null;
  /** Whether a child ID number is already registered for some birth. */
  holdsChildIdNumber(childIdNumber: string): boolean;
  insert(lineage: string, registration: HouseholdRegistration, recordedBy: string): void;
}

export type InstitutionDirectory = Pick<InstitutionRepository, 'find'>;

/**
 * Signs the e-licence and the QR credential with the institution's current key, and names the
 * key (`kid`) so the PDF is signed by the very same one even if a rotation lands in between.
 */
export interface CertificateSigner {
  sign(
    payload: ELicencePayload,
    issuedAt: Date,
  ): Promise<{ signedJson: string; qrText: string; licenceDigest: string; kid: string }>;
}

/** The signed PDF, with every date it carries taken from `issuedAt` (the signing instant). */
export interface CertificateRenderer {
  render(input: {
    payload: ELicencePayload;
    signedJson: string;
    qrText: string;
    /** The key that signs the PDF; null: the issuing institution's current key. */
    kid: string | null;
    issuedAt: Date;
  }): Promise<Uint8Array>;
  /**
   * Whether the key can still sign (active, not expired): rotated-out and revoked keys cannot.
   * A renderer without it (a benchmark's stand-in) is taken to sign with any key.
   */
  canSignWith?(kid: string): boolean;
}

/** Semantic validation of a complete certificate (check digits, codes, cross-field rules, glyphs). */
export type CertificateValidator = (certificate: Certificate) => ErrorDetail[];

export interface Secrets {
  /** A claim code for the parents: short, unambiguous, random. */
  newClaimCode(): string;
  hashClaimCode(certificateNo: string, claimCode: string): string;
  claimCodeMatches(certificateNo: string, claimCode: string, storedHash: string): boolean;
  /** 20 upper-case letters and digits for a new e-licence serial. */
  newLicenceSerial(): string;
  newId(prefix: string): string;
}

/**
 * Everything the lifecycle's use cases may use, as the composition root wires it. Each use case
 * names the few members it needs (`Pick<LifecyclePorts, …>`), so a test supplies only those.
 */
export interface LifecyclePorts {
  transactions: UnitOfWork;
  stock: NumberStock;
  applications: ApplicationStore;
  register: CertificateRegister;
  claimCodes: ClaimCodeStore;
  households: HouseholdRegistrationStore;
  institutions: InstitutionDirectory;
  signer: CertificateSigner;
  /** Each certificate's random place in its status list, assigned at issue. */
  statusLists: StatusListAssigner;
  renderer: CertificateRenderer;
  validateCertificate: CertificateValidator;
  secrets: Secrets;
  audit: Pick<AuditLog, 'record'>;
  /** Events for subscribed agencies, appended in the same unit of work as the change. */
  events: EventOutbox;
  clock: Clock;
  licenceTypeCode: string;
}

/** Whoever calls a lifecycle use case; each use case narrows it to the roles it is for. */
export type Actor = Principal;
/** A midwife or an issuer: acts for exactly one institution. */
export type InstitutionStaff = PrincipalOf<InstitutionRole>;
export type Midwife = PrincipalOf<'midwife'>;
export type Issuer = PrincipalOf<'issuer'>;
export type PoliceOfficer = PrincipalOf<'police'>;
export type Admin = PrincipalOf<'admin'>;
