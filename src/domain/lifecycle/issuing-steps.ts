import { eventBy } from '../audit/audit-event.ts';
import type { Certificate, ELicencePayload } from '../certificate.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import { issuedEvent } from '../events/lifecycle-events.ts';
import type { StatusReference } from '../verification/ports.ts';
import { envelope } from './compose.ts';
import { requireCurrent } from './guards.ts';
import type { Issuer, LifecyclePorts, NumberHolder, Reservation } from './ports.ts';
import type { CertificateRecord, IssueKind, RegistrationItems } from './records.ts';

/*
 * The steps every issue goes through, in this order: check → reserve number → sign → render →
 * commit. First issues (issue.ts), replacements and reissues (amend.ts) call them one after
 * another; nothing signed leaves `commit` unless the certificate landed in the register.
 */

export interface IssueResult {
  certificateNo: string;
  licenceId: string;
  status: 'valid';
  claimCode: string;
  links: { self: string; pdf: string; signedJson: string };
}

export const certificateLinks = (no: string) => ({
  self: `/api/v1/certificates/${no}`,
  pdf: `/api/v1/certificates/${no}/pdf`,
  signedJson: `/api/v1/certificates/${no}/signed.json`,
});

/** What is about to be issued: the certificate without its number yet, and its place in the lineage. */
export interface IssueDraft {
  certificate: Omit<Certificate, 'certificateNo'>;
  registrationItems: RegistrationItems;
  kind: IssueKind;
  lineage: string;
  version: number;
  /** The certificate this one replaces; it must still be current when this one lands. */
  supersedes: { record: CertificateRecord; reason: string } | null;
  applicationId: string | null;
  householdRegisteredAtReissue: boolean | null;
}

/** 1. check: the certificate as it would be printed (any well-formed number in place of its own) passes every rule. */
export function checkCertificate(
  ports: Pick<LifecyclePorts, 'validateCertificate'>,
  certificate: Omit<Certificate, 'certificateNo'>,
  placeholderNo: string,
): void {
  const details = ports.validateCertificate({ ...certificate, certificateNo: placeholderNo });
  if (details.length > 0) throw invalidRequest(details, 'The certificate would not be valid');
}

/** 2. reserve number: the next number of the institution's stock, held for `holder`. Run inside a unit of work. */
export function reserveNumber<H extends NumberHolder>(
  ports: Pick<LifecyclePorts, 'stock' | 'clock'>,
  institution: string,
  holder: H,
): Reservation<H> {
  const reservation = ports.stock.reserve(institution, holder, ports.clock.now());
  if (reservation === null) {
    throw new DomainError(
      'NUMBERS_EXHAUSTED',
      'The institution has no certificate numbers left; the admin must add a range',
    );
  }
  return reservation;
}

/**
 * 2. (in the same unit of work as the reservation) the certificate's place in its status list,
 * kept if a retried issue already has one. Its partition is the year of the reservation, a moment
 * before the signing instant.
 */
export function placeInStatusList(
  ports: Pick<LifecyclePorts, 'statusLists' | 'clock'>,
  reservation: Reservation,
): StatusReference {
  return ports.statusLists.assign(reservation.certificateNo, reservation.institution, ports.clock.now());
}

export interface Signed {
  payload: ELicencePayload;
  signedJson: string;
  qrText: string;
  licenceDigest: string;
  kid: string;
}

/** 3. sign: the e-licence and the QR credential, at the signing instant `issuedAt`. */
export async function sign(
  ports: Pick<LifecyclePorts, 'signer' | 'licenceTypeCode'>,
  draft: IssueDraft,
  reservation: Reservation,
  status: StatusReference,
  issuedAt: Date,
): Promise<Signed> {
  const old = draft.supersedes?.record;
  const payload = envelope(
    { ...draft.certificate, certificateNo: reservation.certificateNo },
    {
      typeCode: ports.licenceTypeCode,
      serial: draft.lineage,
      version: draft.version,
      supersedes: old ? { licenceId: old.licenceId, certificateNo: old.certificateNo } : null,
    },
    status,
  );
  return { payload, ...(await ports.signer.sign(payload, issuedAt)) };
}

/** 4. render: the signed PDF, dated at the same instant. */
export function render(ports: Pick<LifecyclePorts, 'renderer'>, signed: Signed, issuedAt: Date): Promise<Uint8Array> {
  const { payload, signedJson, qrText, kid } = signed;
  return ports.renderer.render({ payload, signedJson, qrText, kid, issuedAt });
}

const auditAction: Record<IssueKind, string> = {
  first: 'certificate.issued',
  'out-of-institution': 'certificate.issued',
  replacement: 'certificate.replaced',
  reissue: 'certificate.reissued',
};

export type CommitPorts = Pick<
  LifecyclePorts,
  'transactions' | 'register' | 'claimCodes' | 'stock' | 'secrets' | 'audit' | 'events'
>;

/**
 * 5. commit, in one unit of work: the certificate and its PDF enter the register with a new claim
 * code, the predecessor (if any) is superseded — re-checked here, since two amendments of one
 * certificate race to this point — the reservation is settled and the audit event written.
 */
export function commit(
  ports: CommitPorts,
  actor: Issuer,
  draft: IssueDraft,
  reservation: Reservation,
  signed: Signed,
  pdf: Uint8Array,
  issuedAt: Date,
): IssueResult {
  const no = reservation.certificateNo;
  const predecessor = draft.supersedes;
  const record: CertificateRecord = {
    certificateNo: no,
    licenceId: signed.payload.licence.id,
    lineage: draft.lineage,
    version: draft.version,
    institution: reservation.institution,
    applicationId: draft.applicationId,
    kind: draft.kind,
    status: 'valid',
    statusReason: null,
    statusNote: null,
    statusChangedAt: null,
    supersedes: predecessor?.record.certificateNo ?? null,
    supersededBy: null,
    changeReason: predecessor?.reason ?? null,
    householdRegisteredAtReissue: draft.householdRegisteredAtReissue,
    certificate: signed.payload.certificate,
    licence: signed.payload.licence,
    registrationItems: draft.registrationItems,
    signedJson: signed.signedJson,
    licenceDigest: signed.licenceDigest,
    qrText: signed.qrText,
    issuedAt: issuedAt.toISOString(),
    issuedBy: actor.username,
  };
  const claimCode = ports.secrets.newClaimCode();

  ports.transactions.run(() => {
    if (predecessor) requireCurrent(ports.register.find(predecessor.record.certificateNo)!);
    ports.register.insert(record, pdf);
    ports.claimCodes.set(no, ports.secrets.hashClaimCode(no, claimCode));
    if (predecessor) {
      ports.register.supersede(predecessor.record.certificateNo, no, predecessor.reason, issuedAt);
      ports.claimCodes.withdraw(predecessor.record.certificateNo);
    }
    if (!ports.stock.settle(reservation, issuedAt)) {
      // Another node took this process for gone and voided the number: nothing lands under it.
      throw new DomainError(
        'INVALID_STATE',
        `certificate number ${no} was voided as abandoned before the certificate landed; try again`,
      );
    }
    ports.audit.record(
      eventBy(actor, auditAction[draft.kind], no, {
        licenceId: record.licenceId,
        kind: draft.kind,
        ...(record.supersedes ? { supersedes: record.supersedes } : {}),
        ...(record.changeReason ? { reason: record.changeReason } : {}),
      }),
      issuedAt,
    );
    ports.events.append(issuedEvent(record, issuedAt));
  });
  return { certificateNo: no, licenceId: record.licenceId, status: 'valid', claimCode, links: certificateLinks(no) };
}
