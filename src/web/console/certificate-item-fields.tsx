import type { Child } from 'hono/jsx';
import { BIRTH_PLACE_CATEGORIES } from '../../domain/codes/birth-place-category.ts';
import { ETHNIC_GROUP_LIST } from '../../domain/codes/ethnicity.ts';
import { HEALTH_CODES } from '../../domain/codes/health.ts';
import { ID_TYPES } from '../../domain/codes/id-types.ts';
import { type ConsoleKey, consoleT as t } from '../console-messages.ts';
import { Field, FieldError, fieldErrorId, Select } from '../layout.tsx';
import { type FieldErrors, type FormValues, options } from './components.tsx';

/**
 * The boxes of a certificate's items, shared by the issuer's 换发 and walk-in forms. Every box has
 * an error paragraph (errorSlot) that the as-you-type check replaces alone, out of band.
 */

interface BoxProps {
  values: FormValues;
  errors: FieldErrors;
}

const boxes = ({ values, errors }: BoxProps) => ({
  field: (name: string, label: string, extra: { inputmode?: 'numeric'; type?: string; hint?: string } = {}) => (
    <Field name={name} label={label} value={values[name]} errors={errors.get(name)} errorSlot {...extra} />
  ),
  select: (name: string, label: string, opts: { value: string; text: string }[], fallback: string) => (
    <Select
      name={name}
      label={label}
      value={values[name] ?? fallback}
      options={opts}
      errors={errors.get(name)}
      errorSlot
    />
  ),
});

const sexOptions = () => [
  { value: '', text: '—' },
  { value: '1', text: t('midwife.sex.1') },
  { value: '2', text: t('midwife.sex.2') },
];
const ethnicityOptions = () => [
  { value: '', text: '/（外国籍）' },
  ...ETHNIC_GROUP_LIST.map((e) => ({ value: e.code, text: e.name })),
];

/** The newborn's items; `nameOnly` when a delivery record supplies the rest. */
export function NewbornFields(props: BoxProps & { nameOnly?: boolean }) {
  const { field, select } = boxes(props);
  return (
    <fieldset>
      <legend>{t('items.newborn')}</legend>
      {field('newborn.name', t('items.newbornName'))}
      {!props.nameOnly && (
        <>
          {select('newborn.sex', t('midwife.sex'), sexOptions(), '')}
          {field('newborn.birthTime', t('midwife.birthTime'), { type: 'datetime-local' })}
          <div class="pair">
            {field('newborn.gestation.weeks', t('midwife.gestationWeeks'), { inputmode: 'numeric' })}
            {field('newborn.gestation.days', t('midwife.gestationDays'), { inputmode: 'numeric' })}
          </div>
          <div class="pair">
            {field('newborn.weightGrams', t('midwife.weightGrams'), { inputmode: 'numeric' })}
            {field('newborn.lengthCm', t('midwife.lengthCm'))}
          </div>
          {select('newborn.health', t('midwife.health'), options(HEALTH_CODES), '1')}
        </>
      )}
    </fieldset>
  );
}

/** Where the baby was born; `categories` limits the choice (a walk-in without a delivery record: 家庭/其他). */
export function BirthPlaceFields(
  props: BoxProps & { categories: readonly string[]; withInstitution: boolean; children?: Child },
) {
  const { field, select } = boxes(props);
  return (
    <fieldset>
      <legend>{t('items.birthPlace')}</legend>
      {select(
        'birthPlaceCategory',
        t('midwife.birthPlaceCategory'),
        options(BIRTH_PLACE_CATEGORIES).filter((o) => props.categories.includes(o.value)),
        props.categories[0] ?? '',
      )}
      {field('birthPlace.divisionCode', t('midwife.divisionCode'), { inputmode: 'numeric' })}
      {field('birthPlaceOther', t('items.birthPlaceOther'))}
      {props.withInstitution && (
        <>
          {field('deliveryInstitution.name', t('items.deliveryInstitution.name'))}
          {field('deliveryInstitution.creditCode', t('items.deliveryInstitution.creditCode'))}
        </>
      )}
      {props.children}
    </fieldset>
  );
}

function ParentBoxes(props: BoxProps & { who: 'mother' | 'father' }) {
  const { field, select } = boxes(props);
  const name = (item: string) => `${props.who}.${item}`;
  return (
    <>
      {field(name('name'), t('midwife.name'))}
      {field(name('age'), t('midwife.age'), { inputmode: 'numeric' })}
      {field(name('nationality'), t('midwife.nationality'))}
      {select(name('ethnicity'), t('midwife.ethnicity'), ethnicityOptions(), '01')}
      {field(name('address'), t('midwife.address'))}
      {select(name('idType'), t('midwife.idType'), options(ID_TYPES), '01')}
      {field(name('idNumber'), t('midwife.idNumber'))}
    </>
  );
}

export function MotherFields(props: BoxProps) {
  return (
    <fieldset>
      <legend>{t('items.mother')}</legend>
      <ParentBoxes {...props} who="mother" />
    </fieldset>
  );
}

/** The father, or (chosen first) that he is not named and why. */
export function FatherFields(props: BoxProps) {
  const { field, select } = boxes(props);
  return (
    <fieldset>
      <legend>{t('items.father')}</legend>
      {select(
        'fatherAbsent',
        t('items.fatherAbsent'),
        [
          { value: '', text: t('items.fatherAbsent.no') },
          { value: 'yes', text: t('items.fatherAbsent.yes') },
        ],
        '',
      )}
      {field('fatherAbsentReason', t('items.fatherAbsentReason'))}
      <ParentBoxes {...props} who="father" />
    </fieldset>
  );
}

export const APPLICANT_BOXES = ['applicant.name', 'applicant.relation', 'applicant.idType', 'applicant.idNumber'];

export function ApplicantFields(props: BoxProps) {
  const { field, select } = boxes(props);
  return (
    <fieldset>
      <legend>{t('items.applicant')}</legend>
      {field('applicant.name', t('items.applicant.name'))}
      {select(
        'applicant.relation',
        t('items.applicant.relation'),
        (['mother', 'father', 'other'] as const).map((r) => ({
          value: r,
          text: t(`items.applicant.relation.${r}` as ConsoleKey),
        })),
        'mother',
      )}
      {select('applicant.idType', t('items.applicant.idType'), options(ID_TYPES), '01')}
      {field('applicant.idNumber', t('items.applicant.idNumber'))}
    </fieldset>
  );
}

/** The as-you-type check's answer: each box's error paragraph, out of band, nothing else. */
export function BoxErrors(props: { names: readonly string[]; errors: FieldErrors }) {
  return (
    <>
      {props.names.map((name) => (
        <FieldError key={name} id={fieldErrorId(name)} errors={props.errors.get(name) ?? []} oob />
      ))}
    </>
  );
}
