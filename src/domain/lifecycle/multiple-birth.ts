import type { Certificate } from '../certificate.ts';
import { DomainError } from '../errors.ts';
import type { LifecyclePorts } from './ports.ts';
import type { CertificateRecord, RegistrationItems } from './records.ts';

/**
 * Two births of one mother closer than a full-term pregnancy (40 weeks) are one pregnancy: either
 * the same birth entered twice — at another institution, a minute later or with the other sex —
 * or a multiple birth.
 */
const ONE_PREGNANCY_MS = 280 * 24 * 60 * 60 * 1000;
/** The babies of one multiple birth are born within a day of each other. */
const ONE_DELIVERY_MS = 24 * 60 * 60 * 1000;

/** Whether the new certificate and an existing one are two babies of one declared multiple birth. */
function siblingsOfOneMultipleBirth(
  draft: { born: number; items: RegistrationItems },
  existing: { born: number; items: RegistrationItems },
): boolean {
  const plurality = draft.items.multipleBirth ?? 1;
  return (
    plurality >= 2 &&
    existing.items.multipleBirth === plurality &&
    draft.items.birthOrder !== undefined &&
    existing.items.birthOrder !== undefined &&
    draft.items.birthOrder !== existing.items.birthOrder &&
    Math.abs(draft.born - existing.born) <= ONE_DELIVERY_MS
  );
}

/**
 * One birth, one current certificate. A second certificate for the same mother (same document
 * type and number) whose birth lies within 280 days of a valid certificate's birth is issued only
 * as another baby of one declared multiple birth: both state the same 胎数, different 出生顺序,
 * and births within 24 hours. Anything else is refused, whichever institution or path it comes
 * through; corrections go through 换发, lost papers through 补发.
 *
 * The refusal names the other certificate only to its own institution: to another, the number
 * would disclose a birth it has no business seeing.
 */
export function refuseSecondCertificate(
  ports: Pick<LifecyclePorts, 'register'>,
  draft: Omit<Certificate, 'certificateNo'>,
  items: RegistrationItems,
  institution: string,
): void {
  const born = Date.parse(draft.newborn.birthTime);
  const conflict = ports.register
    .findByMother(draft.mother.idNumber)
    .find((record) => conflicts(record, draft, born, items));
  if (!conflict) return;
  const own = conflict.institution === institution;
  const which = own ? `certificate ${conflict.certificateNo}` : 'a valid certificate of another institution';
  throw new DomainError(
    'ALREADY_ISSUED',
    `The same mother holds ${which} for a birth within 280 days of this one; a second certificate needs a multiple-birth declaration (multipleBirth and birthOrder) that agrees with it`,
    [
      {
        path: 'newborn.birthTime',
        message: `the same mother holds ${which} for a birth within 280 days`,
      },
      {
        path: 'multipleBirth',
        message:
          'two babies of one multiple birth state the same multipleBirth, different birthOrder, and births within 24 hours',
      },
    ],
  );
}

function conflicts(
  record: CertificateRecord,
  draft: Omit<Certificate, 'certificateNo'>,
  born: number,
  items: RegistrationItems,
): boolean {
  if (record.status !== 'valid' || record.certificate.mother.idType !== draft.mother.idType) return false;
  const existingBorn = Date.parse(record.certificate.newborn.birthTime);
  if (Math.abs(existingBorn - born) >= ONE_PREGNANCY_MS) return false;
  return !siblingsOfOneMultipleBirth({ born, items }, { born: existingBorn, items: record.registrationItems });
}
