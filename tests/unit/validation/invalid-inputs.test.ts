import { describe, expect, it } from 'vitest';
import type { SchemaId } from '../../../src/domain/rules/bodies.ts';
import { checkBody, validateBody } from '../../../src/validation/index.ts';
import {
  applicationBodyFor,
  certificateFor,
  deliveryBodyFor,
  fixtureRecords,
  testContext,
} from '../../fixtures/records.ts';

const ctx = testContext();
const [hospital, fatherAbsent, , , hongKongMother, foreignFather, , home] = fixtureRecords as [
  (typeof fixtureRecords)[number],
  ...(typeof fixtureRecords)[number][],
];
const certificate = certificateFor(hospital);
const delivery = deliveryBodyFor(hospital);
const application = applicationBodyFor(hospital);
const homeApplication = applicationBodyFor(home!);

/** A copy with one dot-path changed; `undefined` removes the item. */
function patch<T>(body: T, path: string, value: unknown): T {
  const copy = structuredClone(body) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return copy as T;
}

const pathsOf = (schemaId: SchemaId, body: unknown): string[] => {
  const result = checkBody(schemaId, body, ctx);
  return result.ok ? [] : result.details.map((d) => d.path);
};

describe('invalid inputs give exactly the expected detail paths', () => {
  it.each<[string, SchemaId, unknown, string[]]>([
    [
      'certificate number in lower case',
      'certificate',
      patch(certificate, 'certificateNo', 'q440000001'),
      ['certificateNo'],
    ],
    ['name of 51 characters', 'certificate', patch(certificate, 'newborn.name', '李'.repeat(51)), ['newborn.name']],
    [
      'name with a right-to-left override',
      'certificate',
      patch(certificate, 'newborn.name', '李\u202e宸'),
      ['newborn.name'],
    ],
    ['gestation days 7', 'certificate', patch(certificate, 'newborn.gestation.days', 7), ['newborn.gestation.days']],
    [
      'gestation with an extra item',
      'certificate',
      patch(certificate, 'newborn.gestation.hours', 1),
      ['newborn.gestation.hours'],
    ],
    ['weight 10001 g', 'certificate', patch(certificate, 'newborn.weightGrams', 10001), ['newborn.weightGrams']],
    ['length 19.9 cm', 'certificate', patch(certificate, 'newborn.lengthCm', 19.9), ['newborn.lengthCm']],
    ['length with two decimals', 'certificate', patch(certificate, 'newborn.lengthCm', 50.55), ['newborn.lengthCm']],
    [
      'birth time with seconds',
      'certificate',
      patch(certificate, 'newborn.birthTime', '2026-11-20T08:31:00+08:00'),
      ['newborn.birthTime'],
    ],
    [
      'birth time in the future',
      'certificate',
      patch(certificate, 'newborn.birthTime', '2026-11-25T00:01+08:00'),
      ['newborn.birthTime'],
    ],
    [
      'issue date before the local birth date',
      'certificate',
      patch(certificate, 'issueDate', '2026-11-19'),
      ['issueDate'],
    ],
    ['issue date not a real day', 'certificate', patch(certificate, 'issueDate', '2026-11-31'), ['issueDate']],
    [
      'address of 101 characters',
      'certificate',
      patch(certificate, 'mother.address', '路'.repeat(101)),
      ['mother.address'],
    ],
    [
      'mother ID number with a bad check character',
      'certificate',
      patch(certificate, 'mother.idNumber', '440106199305121248'),
      ['mother.idNumber'],
    ],
    ['mother age off by one', 'certificate', patch(certificate, 'mother.age', 34), ['mother.age']],
    [
      'father with a woman’s ID number (born 1949)',
      'certificate',
      patch(certificate, 'father.idNumber', '11010519491231002X'),
      ['father.idNumber', 'father.age'],
    ],
    [
      'Chinese mother without ethnicity',
      'certificate',
      patch(certificate, 'mother.ethnicity', null),
      ['mother.ethnicity'],
    ],
    [
      'foreign father with an ethnicity',
      'certificate',
      patch(certificateFor(foreignFather!), 'father.ethnicity', '01'),
      ['father.ethnicity'],
    ],
    ['unknown nationality', 'certificate', patch(certificate, 'father.nationality', 'ZZZ'), ['father.nationality']],
    ['lower-case nationality', 'certificate', patch(certificate, 'father.nationality', 'chn'), ['father.nationality']],
    ['father null without a reason', 'certificate', patch(certificate, 'father', null), ['fatherAbsentReason']],
    [
      'father present with an absence reason',
      'certificate',
      patch(certificate, 'fatherAbsentReason', '未提供'),
      ['fatherAbsentReason'],
    ],
    [
      'hospital birth without the institution',
      'certificate',
      patch(certificate, 'deliveryInstitution', null),
      ['deliveryInstitution'],
    ],
    [
      'category 9 without birthPlaceOther',
      'certificate',
      patch(certificate, 'birthPlaceCategory', '9'),
      ['birthPlaceOther'],
    ],
    [
      'birthPlaceOther with category 2',
      'certificate',
      patch(certificate, 'birthPlaceOther', '救护车上'),
      ['birthPlaceOther'],
    ],
    [
      'institution credit code with a bad check character',
      'certificate',
      patch(certificate, 'deliveryInstitution.creditCode', '12440106455858140N'),
      ['deliveryInstitution.creditCode'],
    ],
    [
      'issuer in a prefecture-level code',
      'certificate',
      patch(certificate, 'issuer.divisionCode', '440100'),
      ['issuer.divisionCode'],
    ],
    [
      'deliveryInstitution missing entirely',
      'certificate',
      patch(certificate, 'deliveryInstitution', undefined),
      ['deliveryInstitution'],
    ],
    ['delivery with an unknown property', 'delivery', { ...delivery, babyName: '李沐宸' }, ['babyName']],
    ['delivery mother age as a string', 'delivery', patch(delivery, 'mother.age', '33'), ['mother.age']],
    ['delivery multipleBirth 10', 'delivery', { ...delivery, multipleBirth: 10 }, ['multipleBirth']],
    [
      'application father-absent without the reason',
      'application',
      patch(applicationBodyFor(fatherAbsent!), 'fatherAbsentReason', undefined),
      ['fatherAbsentReason'],
    ],
    [
      'application applicant is the mother but another number',
      'application',
      patch(application, 'applicant.idNumber', '11010519491231002X'),
      ['applicant.idNumber'],
    ],
    [
      'application applicant father when father is null',
      'application',
      patch(applicationBodyFor(fatherAbsent!), 'applicant.relation', 'father'),
      ['applicant.relation'],
    ],
    [
      'application with deliveryId and paternityReportNo',
      'application',
      { ...application, paternityReportNo: 'X-1' },
      ['paternityReportNo'],
    ],
    ['home birth without birthPlace', 'application', patch(homeApplication, 'birthPlace', undefined), ['birthPlace']],
    [
      'home birth with a newborn missing its sex',
      'application',
      patch(homeApplication, 'newborn.sex', undefined),
      ['newborn.sex'],
    ],
    [
      'Hong Kong mother without ethnicity',
      'application',
      patch(applicationBodyFor(hongKongMother!), 'mother.ethnicity', null),
      ['mother.ethnicity'],
    ],
    ['replacement with nothing to change', 'replacement', { reason: '更正', changes: {} }, ['changes']],
    [
      'replacement changing the issuer',
      'replacement',
      { reason: '更正', changes: { issuer: certificate.issuer } },
      ['changes.issuer'],
    ],
    [
      'replacement father to null without a reason',
      'replacement',
      { reason: '更正', changes: { father: null } },
      ['changes.fatherAbsentReason'],
    ],
    ['void with an unknown reason', 'void', { reason: 'SPOILED' }, ['reason']],
    [
      'household registration with a lower-case x',
      'household-registration',
      { childIdNumber: '11010519491231002x', registeredOn: '2026-11-24', policeUnit: '派出所' },
      ['childIdNumber'],
    ],
    [
      'household registration tomorrow in China',
      'household-registration',
      { childIdNumber: '11010519491231002X', registeredOn: '2026-11-26', policeUnit: '派出所' },
      ['registeredOn'],
    ],
    [
      'claim without a claim code',
      'citizen-claim',
      { certificateNo: 'Q440000001', motherIdNumber: 'H60234178' },
      ['claimCode'],
    ],
    ['verification with neither shape', 'verification', {}, ['']],
    ['auth token with an empty password', 'auth-token', { username: 'a', password: '' }, ['password']],
  ])('%s', (_name, schemaId, body, expected) => {
    expect(pathsOf(schemaId, body)).toEqual(expected);
  });

  it('reports every bad field at once, one detail each', () => {
    const body = patch(patch(patch(delivery, 'mother.age', -1), 'newborn.sex', 'M'), 'birthPlace.divisionCode', 'x');
    expect(pathsOf('delivery', body).sort()).toEqual(['birthPlace.divisionCode', 'mother.age', 'newborn.sex']);
  });

  it('merges several problems of one field into one detail', () => {
    const result = checkBody('certificate', patch(certificate, 'certificateNo', 'q'.repeat(3)), ctx);
    expect(result).toEqual({
      ok: false,
      details: [
        {
          path: 'certificateNo',
          item: '出生医学证明编号',
          message: '出生医学证明编号 (certificateNo) must be an upper-case letter followed by 9 digits',
        },
      ],
    });
  });
});

describe('error details', () => {
  it('throw DomainError INVALID_REQUEST with the item name and a message naming the field', () => {
    expect(() => validateBody('certificate', patch(certificate, 'mother.idNumber', '440106199305121248'), ctx)).toThrow(
      expect.objectContaining({
        code: 'INVALID_REQUEST',
        details: [
          {
            path: 'mother.idNumber',
            item: '母亲有效身份证件号码',
            message: '母亲有效身份证件号码 (mother.idNumber) has a wrong check character (GB 11643-1999)',
          },
        ],
      }),
    );
  });

  it('say what the age should be', () => {
    const result = checkBody('certificate', patch(certificate, 'mother.age', 34), ctx);
    expect(result.ok ? null : result.details[0]?.message).toBe(
      "母亲年龄 (mother.age) must be 33: the completed years from the birth date in the ID number to the child's birth date",
    );
  });

  it('name unknown properties, shortened when absurdly long', () => {
    const result = checkBody('void', { reason: 'OTHER', [`x${'y'.repeat(100)}`]: 1 }, ctx);
    expect(result.ok ? null : result.details).toEqual([
      { path: `x${'y'.repeat(39)}…`, message: `x${'y'.repeat(39)}… is not an allowed property` },
    ]);
  });

  it('stop at 100 for a body with thousands of unknown keys', () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const result = checkBody('void', { reason: 'OTHER', ...body }, ctx);
    const details = result.ok ? [] : result.details;
    expect(details).toHaveLength(100);
    expect(details.at(-1)).toEqual({ path: '', message: '…and 4901 more problems not listed' });
  });

  it('never echo an ID number, good or bad', () => {
    const badIds = ['440106199305121248', '11010519491231002x', '44010619930512124', '440106199302301249'];
    for (const id of badIds) {
      for (const body of [patch(certificate, 'mother.idNumber', id), patch(certificate, 'father.idNumber', id)]) {
        const result = checkBody('certificate', body, ctx);
        expect(result.ok).toBe(false);
        expect(JSON.stringify(result)).not.toContain(id);
        expect(JSON.stringify(result)).not.toContain(hospital.mother.idNumber);
      }
    }
  });
});
