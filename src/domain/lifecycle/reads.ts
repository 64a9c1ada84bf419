import { eventBy } from '../audit/audit-event.ts';
import type { ELicencePayload } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import { INVISIBLE } from '../rules/text-rules.ts';
import { decodeJsonSegment } from '../verification/base64url.ts';
import { findReadable } from './guards.ts';
import type { Actor, LifecyclePorts } from './ports.ts';
import { recordView, searchResultView, visibility } from './visibility.ts';

export const maxPurposeLength = 200;
/** A purpose says something: two Chinese characters (核验) at the least, not a dot or a space. */
export const minPurposeVisible = 2;

export type ReadPorts = Pick<LifecyclePorts, 'register' | 'households' | 'audit' | 'clock'>;

/** The purpose of a read, trimmed, as the reader's rules ask for it (see visibility.ts). */
export function checkPurpose(actor: Actor, purpose: unknown): string | null {
  const rule = visibility[actor.role].purpose;
  if (rule === 'not-asked') return null;
  if (purpose === undefined && rule !== 'required') return null;
  const text = typeof purpose === 'string' ? purpose.trim() : '';
  const visible = [...text.replace(/[\s\p{C}\p{Default_Ignorable_Code_Point}]/gu, '')].length;
  if (visible < minPurposeVisible || [...text].length > maxPurposeLength || INVISIBLE.test(text)) {
    throw new DomainError(
      'PURPOSE_REQUIRED',
      `State the purpose of this read: query parameter purpose, ${minPurposeVisible}–${maxPurposeLength} characters`,
      [
        {
          path: 'purpose',
          message: `purpose must be ${minPurposeVisible}–${maxPurposeLength} characters of visible text, without control or invisible format characters`,
        },
      ],
    );
  }
  return text;
}

function auditRead(
  ports: ReadPorts,
  actor: Actor,
  action: string,
  target: string | null,
  purpose: string | null,
  details: Record<string, unknown> = {},
) {
  ports.audit.record(eventBy(actor, action, target, details, purpose), ports.clock.now());
}

/** A record read by an issuer (own institution), the police or an admin; every read is audited. */
export function readCertificate(ports: ReadPorts, actor: Actor, certificateNo: string, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  const record = findReadable(ports, actor, certificateNo);
  auditRead(ports, actor, 'certificate.read', certificateNo, purpose);
  return recordView(ports, actor, record);
}

/**
 * A superseded version is history to the parents: its download answers that it was superseded
 * and by which number; they open the current one with its own claim code.
 */
function refuseSupersededForCitizen(actor: Actor, record: { status: string; supersededBy: string | null }) {
  if (actor.role === 'citizen' && record.status === 'superseded') {
    throw new DomainError('INVALID_STATE', 'This certificate was superseded; only its history is shown', [
      { path: 'certificateNo', message: `superseded by ${record.supersededBy}` },
    ]);
  }
}

function readDocument(ports: ReadPorts, actor: Actor, certificateNo: string, document: string, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  const record = findReadable(ports, actor, certificateNo);
  refuseSupersededForCitizen(actor, record);
  const action = actor.role === 'citizen' ? 'citizen.downloaded' : 'certificate.document-read';
  auditRead(ports, actor, action, certificateNo, purpose, { document });
  return record;
}

/** The signed e-licence, for the record's readers plus the parents with a claim token. */
export const readSignedJson = (ports: ReadPorts, actor: Actor, certificateNo: string, purpose: unknown): string =>
  readDocument(ports, actor, certificateNo, 'signed-json', purpose).signedJson;

/**
 * The signed PDF. A back-issued certificate has none until its first download: it is rendered
 * then from the signed e-licence, with the key that signed it and dated at its signing instant,
 * and stored (with its digest) so every later download and PDF verification sees the same bytes.
 * When that key can no longer sign (rotated out or revoked between the import and the first
 * download), the institution's current key signs the PDF, dated now (its certificate did not
 * exist at the e-licence's signing instant); the e-licence and QR inside keep their own key and
 * still verify, and the PDF verifier accepts the same institution's key (docs/backfill.md).
 */
export async function readPdf(
  ports: ReadPorts & Pick<LifecyclePorts, 'renderer'>,
  actor: Actor,
  certificateNo: string,
  purpose: unknown,
): Promise<Uint8Array> {
  const record = readDocument(ports, actor, certificateNo, 'pdf', purpose);
  const stored = ports.register.pdf(certificateNo);
  if (stored) return stored;
  const signed = signedParts(record.signedJson);
  const ownKey = ports.renderer.canSignWith?.(signed.kid) ?? true;
  const pdf = await ports.renderer.render({
    payload: signed.payload,
    signedJson: record.signedJson,
    qrText: record.qrText,
    kid: ownKey ? signed.kid : null,
    issuedAt: ownKey ? new Date(record.issuedAt) : ports.clock.now(),
  });
  // Two first downloads at once: the first stored wins, and both answer with it.
  if (ports.register.storePdf(certificateNo, pdf)) return pdf;
  return ports.register.pdf(certificateNo)!;
}

/** The payload and kid of a flattened JWS the service itself signed and stored. */
function signedParts(signedJson: string): { payload: ELicencePayload; kid: string } {
  const jws = JSON.parse(signedJson) as { protected: string; payload: string };
  const header = decodeJsonSegment(jws.protected) as { kid?: unknown } | null;
  const payload = decodeJsonSegment(jws.payload) as ELicencePayload | null;
  if (typeof header?.kid !== 'string' || !payload) throw new Error('The stored e-licence cannot be read');
  return { payload, kid: header.kid };
}

/** Records of one mother: police and admins get the record, agencies the verification fields. */
export function searchByMother(ports: ReadPorts, actor: Actor, motherIdNumber: unknown, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  if (typeof motherIdNumber !== 'string' || !/^[0-9A-Za-z()（）-]{5,30}$/.test(motherIdNumber)) {
    throw new DomainError('INVALID_REQUEST', 'motherIdNumber is required', [
      { path: 'motherIdNumber', item: '母亲有效身份证件号码', message: 'motherIdNumber must be an ID document number' },
    ]);
  }
  const records = ports.register.findByMother(motherIdNumber);
  auditRead(ports, actor, 'certificate.searched', null, purpose, { matches: records.map((r) => r.certificateNo) });
  return { results: records.map((r) => searchResultView(ports, actor, r)) };
}

/**
 * One certificate by its number, in the view the reader's rules give: an agency sees the
 * verification fields only, as its search by mother does. Audited with the purpose.
 */
export function lookUpCertificate(ports: ReadPorts, actor: Actor, certificateNo: string, purposeParam: unknown) {
  const purpose = checkPurpose(actor, purposeParam);
  const record = findReadable(ports, actor, certificateNo);
  auditRead(ports, actor, 'certificate.read', certificateNo, purpose);
  return searchResultView(ports, actor, record);
}
