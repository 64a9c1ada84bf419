/**
 * Form fields → the JSON bodies of the API. Field names are the API's paths (`father.idNumber`),
 * so the API's error details land beside the field that caused them. No rule lives here: values
 * are passed on as typed, and the API's validation judges them.
 */
export type FormValues = Record<string, string>;

/** express.urlencoded output (strings, possibly repeated) → one string per name. */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [name, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') values[name] = first.trim();
  }
  return values;
}

/** "33" → 33; anything else is passed as typed, for the schema to name. */
const ageOf = (text: string | undefined) => (text !== undefined && /^[0-9]{1,3}$/.test(text) ? Number(text) : text);

export function applicationItemsOf(v: FormValues) {
  const fatherAbsent = v.fatherAbsent === 'yes';
  return {
    newborn: { name: v['newborn.name'] ?? '' },
    father: fatherAbsent
      ? null
      : {
          name: v['father.name'] ?? '',
          age: ageOf(v['father.age']),
          nationality: v['father.nationality'] ?? '',
          ethnicity: v['father.ethnicity'] ? v['father.ethnicity'] : null,
          address: v['father.address'] ?? '',
          idType: v['father.idType'] ?? '',
          idNumber: v['father.idNumber'] ?? '',
        },
    ...(fatherAbsent ? { fatherAbsentReason: v.fatherAbsentReason ?? '' } : {}),
    applicant: {
      name: v['applicant.name'] ?? '',
      relation: v['applicant.relation'] ?? '',
      idType: v['applicant.idType'] ?? '',
      idNumber: v['applicant.idNumber'] ?? '',
    },
  };
}

/** The parents' items of an application as form values, to pre-fill the correction form. */
export function formOfItems(input: {
  newborn: { name: string };
  father: {
    name: string;
    age: number;
    nationality: string;
    ethnicity: string | null;
    address: string;
    idType: string;
    idNumber: string;
  } | null;
  fatherAbsentReason?: string;
  applicant: { name: string; relation: string; idType: string; idNumber: string };
}): FormValues {
  const v: FormValues = {
    'newborn.name': input.newborn.name,
    'applicant.name': input.applicant.name,
    'applicant.relation': input.applicant.relation,
    'applicant.idType': input.applicant.idType,
    'applicant.idNumber': input.applicant.idNumber,
  };
  if (input.father) {
    Object.assign(v, {
      'father.name': input.father.name,
      'father.age': String(input.father.age),
      'father.nationality': input.father.nationality,
      'father.ethnicity': input.father.ethnicity ?? '',
      'father.address': input.father.address,
      'father.idType': input.father.idType,
      'father.idNumber': input.father.idNumber,
    });
  } else {
    v.fatherAbsent = 'yes';
    v.fatherAbsentReason = input.fatherAbsentReason ?? '';
  }
  return v;
}
