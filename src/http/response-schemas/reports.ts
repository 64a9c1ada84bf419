import { certificateNo, closed, count, creditCode, exampleCreditCode, nullable, ref, type Schema } from './common.ts';

const period = closed({ from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } });
const examplePeriod = { from: '2026-01-01', to: '2027-01-01' };
const ratio = nullable({ type: 'number', description: 'Boys per 100 girls; null without girls' });
const sexCounts = { boys: count, girls: count, births: count, sexRatio: ratio };
const maskedPerson = closed({ name: { type: 'string' }, idNumber: { type: 'string', description: 'Masked' } });

const usage = {
  stockAtStart: { type: 'integer' },
  received: count,
  issued: closed({ first: count, outOfInstitution: count, replacement: count, reissue: count }),
  voids: closed({ printOrEntryError: count, lostBlank: count, other: count }),
  stockAtEnd: { type: 'integer' },
  voidRate: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  liveBirths: count,
};
const exampleUsage = {
  stockAtStart: 0,
  received: 99999,
  issued: { first: 7, outOfInstitution: 0, replacement: 1, reissue: 1 },
  voids: { printOrEntryError: 1, lostBlank: 0, other: 0 },
  stockAtEnd: 99989,
  voidRate: 0.1,
  liveBirths: 10,
};

export const reportSchemas: Record<string, Schema> = {
  SexRatioReport: {
    ...closed({
      period,
      groupBy: { enum: ['institution', 'division', 'month'] },
      groups: { type: 'array', items: closed({ group: { type: 'string' }, ...sexCounts }) },
      total: closed(sexCounts),
    }),
    examples: [
      {
        period: examplePeriod,
        groupBy: 'institution',
        groups: [{ group: exampleCreditCode, boys: 3, girls: 3, births: 6, sexRatio: 100 }],
        total: { boys: 3, girls: 3, births: 6, sexRatio: 100 },
      },
    ],
  },
  BirthRegisterReport: {
    description: 'ID numbers masked',
    ...closed({
      period,
      institution: creditCode,
      births: {
        type: 'array',
        items: closed({
          certificateNo,
          newborn: closed({
            name: { type: 'string' },
            sex: ref('certificate.sex'),
            birthDate: { type: 'string', format: 'date' },
            gestation: ref('certificate.gestation'),
            health: ref('certificate.health'),
          }),
          mother: maskedPerson,
          father: nullable(maskedPerson),
          address: { type: 'string' },
        }),
      },
    }),
    examples: [
      {
        period: examplePeriod,
        institution: exampleCreditCode,
        births: [
          {
            certificateNo: 'Q440000005',
            newborn: {
              name: '周安娜',
              sex: '2',
              birthDate: '2026-11-29',
              gestation: { weeks: 38, days: 1 },
              health: '1',
            },
            mother: { name: '周敏', idNumber: '31************4284' },
            father: { name: '迈克尔·约翰逊', idNumber: '5******74' },
            address: '上海市浦东新区世纪大道100号',
          },
        ],
      },
    ],
  },
  CertificateUsageReport: {
    ...closed({ period, institution: creditCode, ...usage }),
    examples: [
      {
        period: examplePeriod,
        institution: exampleCreditCode,
        stockAtStart: 0,
        received: 99999,
        issued: { first: 7, outOfInstitution: 0, replacement: 1, reissue: 1 },
        voids: { printOrEntryError: 1, lostBlank: 0, other: 0 },
        stockAtEnd: 99989,
        voidRate: 0.1,
        liveBirths: 10,
      },
    ],
  },
  CertificateUsageByInstitutionReport: {
    ...closed({
      period,
      institutions: {
        type: 'array',
        items: closed({ institution: creditCode, name: { type: 'string' }, ...usage }),
      },
    }),
    examples: [
      {
        period: examplePeriod,
        institutions: [{ institution: exampleCreditCode, name: '广州市海珠区妇幼保健院', ...exampleUsage }],
      },
    ],
  },
};
