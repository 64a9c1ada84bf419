import { eventBy } from '../audit/audit-event.ts';
import type { Certificate, LicenceEnvelope } from '../certificate.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import { envelope } from './compose.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import type { CertificateRecord, IssueKind, RegistrationItems } from './records.ts';

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

export function validateOrRefuse(ports: LifecyclePorts, certificate: Certificate): void {
  const details = ports.validateCertificate(certificate);
  if (details.length > 0) throw invalidRequest(details, 'The certificate would not be valid');
}

export function takeNumberOrRefuse(ports: LifecyclePorts, institution: string): string {
  const number = ports.store.takeNumber(institution);
  if (number === null) {
    throw new DomainError(
      'NUMBERS_EXHAUSTED',
      'The institution has no certificate numbers left; the admin must add a range',
    );
  }
  return number;
}

const auditAction: Record<IssueKind, string> = {
  first: 'certificate.issued',
  'out-of-institution': 'certificate.issued',
  replacement: 'certificate.replaced',
  reissue: 'certificate.reissued',
};

export interface Production {
  certificate: Certificate;
  registration: RegistrationItems;
  kind: IssueKind;
  lineage: string;
  version: number;
  supersedes: LicenceEnvelope['supersedes'];
  applicationId: string | null;
  changeReason: string | null;
  childRegistered: boolean | null;
}

/**
 * Signs, renders and then stores a certificate whose number is already taken. Nothing signed
 * leaves this function unless the record landed: the PDF and e-licence are stored in the same
 * transaction that `land` runs (it marks the application issued or the predecessor superseded).
 */
export async function produce(
  ports: LifecyclePorts,
  actor: Actor,
  production: Production,
  land: (record: CertificateRecord) => void,
  /** Runs first in the landing transaction: re-checks what a concurrent request may have changed. */
  guard: () => void = () => {},
): Promise<IssueResult> {
  const issuedAt = ports.clock.now();
  const payload = envelope(production.certificate, {
    typeCode: ports.licenceTypeCode,
    serial: production.lineage,
    version: production.version,
    supersedes: production.supersedes,
  });
  const { signedJson, qrText, licenceDigest, kid } = await ports.signer.sign(payload, issuedAt);
  const pdf = await ports.renderer.render({ payload, signedJson, qrText, kid });
  const claimCode = ports.secrets.newClaimCode();
  const no = production.certificate.certificateNo;
  const record: CertificateRecord = {
    certificateNo: no,
    licenceId: payload.licence.id,
    lineage: production.lineage,
    version: production.version,
    institution: production.certificate.issuer.creditCode,
    applicationId: production.applicationId,
    kind: production.kind,
    status: 'valid',
    statusReason: null,
    statusNote: null,
    statusChangedAt: null,
    supersedes: production.supersedes?.certificateNo ?? null,
    supersededBy: null,
    changeReason: production.changeReason,
    childRegistered: production.childRegistered,
    certificate: production.certificate,
    licence: payload.licence,
    registration: production.registration,
    signedJson,
    licenceDigest,
    qrText,
    issuedAt: issuedAt.toISOString(),
    issuedBy: actor.username ?? 'unknown',
  };

  ports.store.transaction(() => {
    guard();
    ports.store.insertCertificate(record, pdf, ports.secrets.hashClaimCode(no, claimCode));
    land(record);
    ports.audit.record(
      eventBy(actor, auditAction[production.kind], no, {
        licenceId: record.licenceId,
        kind: production.kind,
        ...(record.supersedes ? { supersedes: record.supersedes } : {}),
        ...(production.changeReason ? { reason: production.changeReason } : {}),
      }),
      issuedAt,
    );
  });
  return { certificateNo: no, licenceId: record.licenceId, status: 'valid', claimCode, links: certificateLinks(no) };
}
