import type { Principal } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-event.ts';
import type { Certificate, ELicencePayload } from '../certificate.ts';
import type { ErrorDetail } from '../errors.ts';
import type { InstitutionRepository } from '../institution.ts';
import type { Clock } from '../ports.ts';
import type { ApplicationRecord, CertificateRecord, DeliveryRecord, HouseholdRegistration } from './records.ts';

export interface LifecycleStore {
  /** Runs `fn` atomically; nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T;

  insertDelivery(record: DeliveryRecord): void;
  findDelivery(id: string): DeliveryRecord | null;
  /** Whether any application of this delivery record has reached issue. */
  deliveryIssued(deliveryId: string): boolean;

  insertApplication(record: ApplicationRecord): void;
  findApplication(id: string): ApplicationRecord | null;
  markApplicationIssuing(id: string, certificateNo: string, licenceSerial: string): void;
  markApplicationIssued(id: string, issuedAt: string): void;

  /** The next unused number of the institution's stock, taken for good; null when exhausted. */
  takeNumber(institution: string): string | null;
  reserveNumber(certificateNo: string, institution: string, purpose: string, now: Date): void;
  releaseReservation(certificateNo: string): void;
  /** Reservations a crash left behind; the caller voids them. */
  staleReservations(): { certificateNo: string; institution: string; purpose: string }[];
  isNumberUsed(certificateNo: string): boolean;
  numberBelongsTo(certificateNo: string): string | null;

  insertCertificate(record: CertificateRecord, pdf: Uint8Array, claimCodeHash: string | null): void;
  findCertificate(certificateNo: string): CertificateRecord | null;
  findCertificatesByMother(motherIdNumber: string): CertificateRecord[];
  /** Every version of one birth, oldest first. */
  lineage(lineage: string): CertificateRecord[];
  certificatePdf(certificateNo: string): Uint8Array | null;
  supersede(certificateNo: string, successorNo: string, reason: string, now: Date): void;
  setStatus(certificateNo: string, status: 'void' | 'revoked', reason: string, note: string | null, now: Date): void;
  voidBlankNumber(
    certificateNo: string,
    institution: string,
    reason: string,
    note: string | null,
    by: string,
    now: Date,
  ): void;
  setClaimCodeHash(certificateNo: string, hash: string): void;
  claimState(certificateNo: string): { claimCodeHash: string | null; failures: number } | null;
  recordClaimFailure(certificateNo: string): number;
  resetClaimFailures(certificateNo: string): void;

  /** What verification needs of one number, in one read. */
  registerEntry(certificateNo: string): {
    status: CertificateRecord['status'];
    supersededBy: string | null;
    licenceId: string;
    licenceDigest: string;
    householdRegistered: boolean;
  } | null;
  /** Every certificate's verification status, for the offline bundle's snapshot. */
  registerSnapshot(): {
    certificateNo: string;
    status: CertificateRecord['status'];
    supersededBy: string | null;
    licenceDigest: string;
    householdRegistered: boolean;
  }[];

  findRegistration(lineage: string): HouseholdRegistration | null;
  isChildIdRegistered(childIdNumber: string): boolean;
  insertRegistration(lineage: string, registration: HouseholdRegistration, recordedBy: string): void;
}

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

export interface CertificateRenderer {
  render(input: { payload: ELicencePayload; signedJson: string; qrText: string; kid: string }): Promise<Uint8Array>;
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

export interface LifecyclePorts {
  store: LifecycleStore;
  institutions: InstitutionRepository;
  signer: CertificateSigner;
  renderer: CertificateRenderer;
  validateCertificate: CertificateValidator;
  secrets: Secrets;
  audit: AuditLog;
  clock: Clock;
  licenceTypeCode: string;
}

export type Actor = Principal;
