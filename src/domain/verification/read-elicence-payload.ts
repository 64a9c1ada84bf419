import type { SexCode } from '../certificate.ts';
import type { StatusReference } from './ports.ts';
import { isRecord } from './presented-credential.ts';
import { LICENCE_ID_ROOT_ARC } from './profile.ts';
import { CERTIFICATE_NO, LICENCE_ID_TAIL } from './qr-claims.ts';
import { readStatusReference } from './status-reference.ts';

export interface ELicenceView {
  certificateNo: string;
  licenceId: string;
  licenceIdTail: string;
  newborn: { name: string; sex: SexCode; birthTime: string };
  mother: { name: string };
  issuer: { name: string; creditCode: string };
  issueDate: string;
  status: StatusReference;
}

const TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const CREDIT_CODE = /^[0-9A-Z]{18}$/;
const text = (value: unknown, max = 200): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max;

/**
 * The items the verifier reads from an e-licence payload, or null when they are missing or
 * contradict each other. Full schema validation belongs to issuance; this only guarantees what
 * verification relies on (and that the issuer named three times is one institution).
 */
export function readELicencePayload(payload: unknown): ELicenceView | null {
  if (!isRecord(payload) || !isRecord(payload.licence) || !isRecord(payload.certificate)) return null;
  const { licence, certificate } = payload;
  const status = readStatusReference(payload.status);
  if (!status) return null;
  const { newborn, mother, issuer } = certificate;
  if (!isRecord(newborn) || !isRecord(mother) || !isRecord(issuer) || !isRecord(licence.issuer)) return null;
  if (!text(certificate.certificateNo) || !CERTIFICATE_NO.test(certificate.certificateNo)) return null;
  if (!text(newborn.name) || (newborn.sex !== '1' && newborn.sex !== '2') || !text(newborn.birthTime)) return null;
  if (!text(mother.name) || !text(issuer.name) || !text(issuer.creditCode) || !CREDIT_CODE.test(issuer.creditCode)) {
    return null;
  }
  if (!text(certificate.issueDate) || !text(licence.id)) return null;
  const prefix = `${LICENCE_ID_ROOT_ARC}.`;
  if (!licence.id.startsWith(prefix)) return null;
  const rest = licence.id.slice(prefix.length);
  const typeCode = rest.slice(0, rest.indexOf('.'));
  const tail = rest.slice(typeCode.length + 1);
  if (!TYPE_CODE.test(typeCode) || !LICENCE_ID_TAIL.test(tail)) return null;
  if (licence.issuer.creditCode !== issuer.creditCode || !tail.startsWith(`${issuer.creditCode}.`)) return null;
  return {
    certificateNo: certificate.certificateNo,
    licenceId: licence.id,
    licenceIdTail: tail,
    newborn: { name: newborn.name, sex: newborn.sex, birthTime: newborn.birthTime },
    mother: { name: mother.name },
    issuer: { name: issuer.name, creditCode: issuer.creditCode },
    issueDate: certificate.issueDate,
    status,
  };
}
