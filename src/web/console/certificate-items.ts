import type { Certificate, Parent } from '../../domain/certificate.ts';
import type { FormValues } from './components.tsx';

/**
 * The certificate's surface items as console form boxes and back. Box names are the API's paths
 * (`mother.idNumber`), so the validator's details land beside their boxes. No rule lives here:
 * numbers that look like numbers become numbers, anything else is passed on for the schema to name.
 */

export const digits = (text: string | undefined) =>
  text !== undefined && /^[0-9]{1,6}$/.test(text) ? Number(text) : text;
export const decimal = (text: string | undefined) =>
  text !== undefined && /^[0-9]{1,3}(\.[0-9])?$/.test(text) ? Number(text) : text;
/** datetime-local (no zone) is Beijing time at a Chinese counter. */
export const beijing = (text: string | undefined) =>
  text && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text) ? `${text}+08:00` : (text ?? '');
/** An offset date-time as the Beijing wall clock a datetime-local box shows. */
export const beijingLocalOf = (iso: string) => {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? new Date(at + 8 * 3_600_000).toISOString().slice(0, 16) : iso;
};

export const NEWBORN_BOXES = [
  'newborn.name',
  'newborn.sex',
  'newborn.birthTime',
  'newborn.gestation.weeks',
  'newborn.gestation.days',
  'newborn.weightGrams',
  'newborn.lengthCm',
  'newborn.health',
] as const;
export const BIRTH_PLACE_BOXES = [
  'birthPlaceCategory',
  'birthPlace.divisionCode',
  'birthPlaceOther',
  'deliveryInstitution.name',
  'deliveryInstitution.creditCode',
] as const;
export const PARENT_ITEMS = ['name', 'age', 'nationality', 'ethnicity', 'address', 'idType', 'idNumber'] as const;
export const parentBoxes = (who: 'mother' | 'father') => PARENT_ITEMS.map((item) => `${who}.${item}`);
export const FATHER_BOXES = [...parentBoxes('father'), 'fatherAbsentReason'];

export function newbornOf(v: FormValues) {
  return {
    name: v['newborn.name'] ?? '',
    sex: v['newborn.sex'] ?? '',
    birthTime: beijing(v['newborn.birthTime']),
    gestation: { weeks: digits(v['newborn.gestation.weeks']), days: digits(v['newborn.gestation.days']) },
    weightGrams: digits(v['newborn.weightGrams']),
    lengthCm: decimal(v['newborn.lengthCm']),
    health: v['newborn.health'] ?? '',
  };
}

export function parentOf(v: FormValues, who: 'mother' | 'father') {
  return {
    name: v[`${who}.name`] ?? '',
    age: digits(v[`${who}.age`]),
    nationality: (v[`${who}.nationality`] ?? '').toUpperCase(),
    ethnicity: v[`${who}.ethnicity`] ? v[`${who}.ethnicity`] : null,
    address: v[`${who}.address`] ?? '',
    idType: v[`${who}.idType`] ?? '',
    idNumber: (v[`${who}.idNumber`] ?? '').toUpperCase(),
  };
}

/** The father, or null and the reason he is not named. */
export function fatherItemsOf(v: FormValues) {
  return v.fatherAbsent === 'yes'
    ? { father: null, fatherAbsentReason: v.fatherAbsentReason ?? '' }
    : { father: parentOf(v, 'father') };
}

const parentForm = (who: 'mother' | 'father', p: Parent): FormValues => ({
  [`${who}.name`]: p.name,
  [`${who}.age`]: String(p.age),
  [`${who}.nationality`]: p.nationality,
  [`${who}.ethnicity`]: p.ethnicity ?? '',
  [`${who}.address`]: p.address,
  [`${who}.idType`]: p.idType,
  [`${who}.idNumber`]: p.idNumber,
});

/** A mother's items as the walk-in form's boxes (pre-filled from the delivery record). */
export const motherFormOf = (p: Parent): FormValues => parentForm('mother', p);

/** A certificate's items as the 换发 form's boxes. */
export function formOfCertificate(c: Omit<Certificate, 'certificateNo'>): FormValues {
  const n = c.newborn;
  return {
    'newborn.name': n.name,
    'newborn.sex': n.sex,
    'newborn.birthTime': beijingLocalOf(n.birthTime),
    'newborn.gestation.weeks': String(n.gestation.weeks),
    'newborn.gestation.days': String(n.gestation.days),
    'newborn.weightGrams': String(n.weightGrams),
    'newborn.lengthCm': String(n.lengthCm),
    'newborn.health': n.health,
    birthPlaceCategory: c.birthPlaceCategory,
    'birthPlace.divisionCode': c.birthPlace.divisionCode,
    birthPlaceOther: c.birthPlaceOther ?? '',
    'deliveryInstitution.name': c.deliveryInstitution?.name ?? '',
    'deliveryInstitution.creditCode': c.deliveryInstitution?.creditCode ?? '',
    ...parentForm('mother', c.mother),
    ...(c.father ? parentForm('father', c.father) : { fatherAbsent: 'yes' }),
    fatherAbsentReason: c.fatherAbsentReason ?? '',
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameTime = (a: unknown, b: string) =>
  typeof a === 'string' && (a === b || (Number.isFinite(Date.parse(a)) && Date.parse(a) === Date.parse(b)));

/** The items of `next` that differ from `before` (a partial parent), or undefined when none do. */
function parentChanges(before: Parent, next: ReturnType<typeof parentOf>) {
  const changed: Record<string, unknown> = {};
  for (const item of PARENT_ITEMS) if (!same(before[item], next[item])) changed[item] = next[item];
  return Object.keys(changed).length > 0 ? changed : undefined;
}

/**
 * The `changes` of a 换发: only what the form changed, in the certificate's shape. A gestation is
 * sent whole (weeks and days go together); a father named where none was is sent whole.
 */
export function changesOf(current: Omit<Certificate, 'certificateNo'>, v: FormValues): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const newborn = newbornOf(v);
  const newbornChanged: Record<string, unknown> = {};
  for (const [item, value] of Object.entries(newborn)) {
    const before = current.newborn[item as keyof typeof current.newborn];
    const equal = item === 'birthTime' ? sameTime(value, before as string) : same(value, before);
    if (!equal) newbornChanged[item] = value;
  }
  if (Object.keys(newbornChanged).length > 0) changes.newborn = newbornChanged;

  const category = v.birthPlaceCategory ?? '';
  if (category !== current.birthPlaceCategory) changes.birthPlaceCategory = category;
  const division = v['birthPlace.divisionCode'] ?? '';
  if (division !== current.birthPlace.divisionCode) changes.birthPlace = { divisionCode: division };
  const other = v.birthPlaceOther ?? '';
  if (other !== '' && other !== (current.birthPlaceOther ?? '')) changes.birthPlaceOther = other;
  const institutionName = v['deliveryInstitution.name'] ?? '';
  const creditCode = (v['deliveryInstitution.creditCode'] ?? '').toUpperCase();
  const institution = institutionName || creditCode ? { name: institutionName, creditCode } : null;
  if (!same(institution, current.deliveryInstitution)) changes.deliveryInstitution = institution;

  const mother = parentChanges(current.mother, parentOf(v, 'mother'));
  if (mother) changes.mother = mother;

  const absent = v.fatherAbsent === 'yes';
  const reason = v.fatherAbsentReason ?? '';
  if (absent) {
    if (current.father !== null) {
      changes.father = null;
      changes.fatherAbsentReason = reason;
    } else if (reason !== (current.fatherAbsentReason ?? '')) {
      changes.fatherAbsentReason = reason;
    }
  } else if (current.father === null) {
    changes.father = parentOf(v, 'father');
  } else {
    const father = parentChanges(current.father, parentOf(v, 'father'));
    if (father) changes.father = father;
  }
  return changes;
}

/** The form boxes a `changes` object touches (a father taken away touches all his boxes). */
export function boxesOf(changes: Record<string, unknown>): Set<string> {
  const boxes = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object') {
      for (const [k, inner] of Object.entries(value)) walk(inner, path ? `${path}.${k}` : k);
    } else {
      boxes.add(path);
    }
  };
  walk(changes, '');
  if (changes.father === null) for (const box of parentBoxes('father')) boxes.add(box);
  if (changes.deliveryInstitution === null) {
    boxes.add('deliveryInstitution.name');
    boxes.add('deliveryInstitution.creditCode');
  }
  boxes.delete('father');
  boxes.delete('deliveryInstitution');
  return boxes;
}

/**
 * Every item of the form in the shape of `changes`, for checking only: the validator runs a rule
 * when all the items it relates are present (an ID number with its type, an age with the ID and the
 * birth date), so the as-you-type check judges the changed boxes together with those that stand.
 */
export function wholeItemsOf(v: FormValues): Record<string, unknown> {
  const institutionName = v['deliveryInstitution.name'] ?? '';
  const creditCode = (v['deliveryInstitution.creditCode'] ?? '').toUpperCase();
  return {
    newborn: newbornOf(v),
    birthPlaceCategory: v.birthPlaceCategory ?? '',
    birthPlace: { divisionCode: v['birthPlace.divisionCode'] ?? '' },
    ...(v.birthPlaceOther ? { birthPlaceOther: v.birthPlaceOther } : {}),
    deliveryInstitution: institutionName || creditCode ? { name: institutionName, creditCode } : null,
    mother: parentOf(v, 'mother'),
    ...fatherItemsOf(v),
  };
}
