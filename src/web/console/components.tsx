import { birthTimeText } from '../../domain/codes/display-text.ts';
import { Items } from '../console-layout.tsx';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';

/** What the console's pages share: form values and errors, select options, a certificate's summary. */

export type FormValues = Record<string, string>;
export type FieldErrors = Map<string, string[]>;
export const noErrors: FieldErrors = new Map();

export const options = (table: Readonly<Record<string, string>>) =>
  Object.entries(table).map(([value, text]) => ({ value, text }));

export interface CertificateSummary {
  certificateNo: string;
  status: string;
  newbornName: string;
  sex: string;
  birthTime: string;
  motherName: string;
  issuerName: string;
  issueDate: string;
  householdRegistration: {
    registeredOn: string;
    policeUnit: string;
    certificateNo: string;
    registeredName?: string;
    nameDiffers?: boolean;
    householdPlace?: { divisionCode: string; address: string };
  } | null;
  supersededBy: string | null;
}

export const statusText = (s: string) => t(`status.${s}` as ConsoleKey);

export function SummaryItems({ c }: { c: CertificateSummary }) {
  return (
    <Items
      rows={[
        [t('item.certificateNo'), c.certificateNo],
        [t('item.status'), c.supersededBy ? `${statusText(c.status)}（${c.supersededBy}）` : statusText(c.status)],
        [t('item.newbornName'), c.newbornName],
        [t('item.sex'), t(`midwife.sex.${c.sex}` as ConsoleKey)],
        [t('item.birthTime'), birthTimeText(c.birthTime)],
        [t('item.motherName'), c.motherName],
        [t('item.issuer'), c.issuerName],
        [t('item.issueDate'), c.issueDate],
        ...(c.householdRegistration
          ? [
              [
                t('police.household.title'),
                t('police.household.registered', {
                  date: c.householdRegistration.registeredOn,
                  unit: c.householdRegistration.policeUnit,
                }),
              ] as [string, string],
              ...householdFeedbackRows(c.householdRegistration),
            ]
          : []),
      ]}
    />
  );
}

/** The registered name (marked when it differs from the certificate's) and 户籍地, when fed back. */
function householdFeedbackRows(h: NonNullable<CertificateSummary['householdRegistration']>): [string, string][] {
  const rows: [string, string][] = [];
  if (h.registeredName !== undefined) {
    rows.push([
      t('police.household.nameItem'),
      h.nameDiffers ? t('police.household.nameDiffers', { name: h.registeredName }) : h.registeredName,
    ]);
  }
  if (h.householdPlace) {
    rows.push([
      t('police.household.placeItem'),
      t('police.household.place', { code: h.householdPlace.divisionCode, address: h.householdPlace.address }),
    ]);
  }
  return rows;
}
