import type { Certificate, Parent } from '../domain/certificate.ts';
import {
  birthPlaceCategoryText,
  type CountryDirectory,
  ethnicityText,
  healthText,
  idTypeText,
  nationalityText,
  sexText,
} from '../domain/codes/index.ts';
import type { DivisionDirectory } from '../domain/ports.ts';
import type { CertificateView, ParentView } from './pdf/certificate-view.ts';

function parentView(parent: Parent, countries: CountryDirectory): ParentView {
  return {
    name: parent.name,
    age: parent.age,
    nationality: nationalityText(parent.nationality, countries),
    ethnicity: parent.ethnicity === null ? null : ethnicityText(parent.ethnicity),
    address: parent.address,
    idType: idTypeText(parent.idType),
    idNumber: parent.idNumber,
  };
}

/** The printed form of a certificate: every code as its Chinese text, the division as names. */
export function certificateViewOf(
  certificate: Certificate,
  directories: { divisions: DivisionDirectory; countries: CountryDirectory },
): CertificateView {
  const place = directories.divisions.lookup(certificate.birthPlace.divisionCode);
  if (!place) throw new RangeError(`birthPlace.divisionCode ${certificate.birthPlace.divisionCode} is not a division`);
  const { newborn } = certificate;
  return {
    certificateNo: certificate.certificateNo,
    newborn: { ...newborn, sex: sexText(newborn.sex), health: healthText(newborn.health) },
    birthPlace: place,
    birthPlaceCategory: birthPlaceCategoryText(certificate.birthPlaceCategory, certificate.birthPlaceOther),
    deliveryInstitution: certificate.deliveryInstitution?.name ?? null,
    mother: parentView(certificate.mother, directories.countries),
    father: certificate.father ? parentView(certificate.father, directories.countries) : null,
    issueDate: certificate.issueDate,
    issuer: { name: certificate.issuer.name },
  };
}
