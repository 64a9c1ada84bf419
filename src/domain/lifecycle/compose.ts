import type { Certificate, ELicencePayload, LicenceEnvelope } from '../certificate.ts';
import { INSTITUTIONAL_CATEGORIES } from '../codes/birth-place-category.ts';
import type { InstitutionRecord } from '../institution.ts';
import { buildLicenceId } from '../licence-id.ts';
import type { ApplicationBody, ApplicationWithoutDelivery } from '../rules/bodies.ts';
import type { StatusReference } from '../verification/ports.ts';
import type { DeliveryRecord, RegistrationItems } from './records.ts';

/** The calendar date of `at` in China Standard Time, the date printed as 签发日期. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The surface items of a first issue, from the delivery record (if any) and the application. */
export function composeCertificate(
  application: ApplicationBody,
  delivery: DeliveryRecord | null,
  issuer: InstitutionRecord,
  issueDate: string,
): Omit<Certificate, 'certificateNo'> {
  const issuing = { name: issuer.name, creditCode: issuer.creditCode, divisionCode: issuer.divisionCode };
  const birth = delivery
    ? {
        newborn: { ...delivery.newborn, name: application.newborn.name },
        birthPlace: delivery.birthPlace,
        birthPlaceCategory: delivery.birthPlaceCategory,
        birthPlaceOther: delivery.birthPlaceOther,
        // A delivery record is always made by the institution where the baby was born.
        deliveryInstitution: INSTITUTIONAL_CATEGORIES.includes(delivery.birthPlaceCategory)
          ? { name: issuer.name, creditCode: issuer.creditCode }
          : null,
      }
    : outsideInstitution(application as ApplicationWithoutDelivery);
  const certificate: Omit<Certificate, 'certificateNo'> = {
    newborn: birth.newborn,
    birthPlace: birth.birthPlace,
    birthPlaceCategory: birth.birthPlaceCategory,
    deliveryInstitution: birth.deliveryInstitution,
    mother: application.mother,
    father: application.father,
    issueDate,
    issuer: issuing,
  };
  if (birth.birthPlaceOther !== undefined) certificate.birthPlaceOther = birth.birthPlaceOther;
  if (application.father === null && application.fatherAbsentReason !== undefined) {
    certificate.fatherAbsentReason = application.fatherAbsentReason;
  }
  return certificate;
}

function outsideInstitution(application: ApplicationWithoutDelivery) {
  return {
    newborn: application.newborn,
    birthPlace: application.birthPlace,
    birthPlaceCategory: application.birthPlaceCategory,
    birthPlaceOther: application.birthPlaceOther,
    deliveryInstitution: application.deliveryInstitution ?? null,
  };
}

export function registrationItems(application: ApplicationBody, delivery: DeliveryRecord | null): RegistrationItems {
  const outside = application.deliveryId === undefined ? application : null;
  const items: RegistrationItems = {
    applicant: application.applicant,
    hospitalRecordNo: delivery?.hospitalRecordNo,
    midwifeName: delivery?.midwifeName,
    multipleBirth: delivery ? delivery.multipleBirth : outside?.multipleBirth,
    birthOrder: delivery ? delivery.birthOrder : outside?.birthOrder,
    lateEntryReason: delivery?.lateEntryReason,
    marriageCertNo: application.marriageCertNo,
    paternityReportNo: application.deliveryId === undefined ? application.paternityReportNo : undefined,
    phone: application.phone ?? delivery?.phone,
  };
  return Object.fromEntries(Object.entries(items).filter(([, v]) => v !== undefined)) as RegistrationItems;
}

/** Puts the certificate in its e-licence envelope (GB/T 36903/36904 metadata). */
export function envelope(
  certificate: Certificate,
  parts: { typeCode: string; serial: string; version: number; supersedes: LicenceEnvelope['supersedes'] },
  status: StatusReference,
): ELicencePayload {
  const version = String(parts.version).padStart(3, '0');
  const id = buildLicenceId({
    typeCode: parts.typeCode,
    issuerCreditCode: certificate.issuer.creditCode,
    serial: parts.serial,
    version,
  });
  return {
    licence: {
      id,
      name: '出生医学证明',
      typeCode: parts.typeCode,
      issuer: certificate.issuer,
      issueDate: certificate.issueDate,
      validUntil: null,
      holder: { name: certificate.newborn.name },
      version,
      supersedes: parts.supersedes,
    },
    certificate,
    status: { status_list: { idx: status.idx, uri: status.uri } },
  };
}
