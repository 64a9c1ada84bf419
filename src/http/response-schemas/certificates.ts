import {
  certificateNo,
  closed,
  creditCode,
  exampleCreditCode,
  exampleLicenceId,
  instant,
  nullable,
  ref,
  type Schema,
} from './common.ts';

const certificateStatus = { enum: ['valid', 'superseded', 'void', 'revoked'] };
const licenceId = ref('licence-envelope/properties/id');
const checks = {
  type: 'array',
  items: closed({ name: { type: 'string' }, result: { enum: ['pass', 'fail', 'skip'] } }),
};

/** A parent as a reader sees them: the ID number in full or masked, by the reader's rules. */
const parentAsShown = closed({
  name: ref('certificate.personName'),
  age: ref('certificate.age'),
  nationality: ref('certificate.nationality'),
  ethnicity: ref('certificate.ethnicity'),
  address: ref('certificate.address'),
  idType: ref('certificate.idType'),
  idNumber: { type: 'string', description: 'In full, or masked: at most a third in clear, the rest `*`' },
});

const exampleParent = {
  name: '王秀英',
  age: 33,
  nationality: 'CHN',
  ethnicity: '01',
  address: '广东省广州市天河区天河路385号',
  idType: '01',
  idNumber: '44************1249',
};
const exampleInstitution = {
  name: '广州市天河区示范妇幼保健院',
  creditCode: exampleCreditCode,
  divisionCode: '440106',
};
const exampleCertificate = {
  certificateNo: 'Q440000001',
  newborn: {
    name: '李沐宸',
    sex: '1',
    birthTime: '2026-11-30T00:04+08:00',
    gestation: { weeks: 39, days: 2 },
    weightGrams: 3350,
    lengthCm: 50.5,
    health: '1',
  },
  birthPlace: { divisionCode: '440106' },
  birthPlaceCategory: '2',
  deliveryInstitution: { name: exampleInstitution.name, creditCode: exampleCreditCode },
  mother: exampleParent,
  father: { ...exampleParent, name: '李建国', age: 36, idNumber: '44************4571' },
  issueDate: '2026-11-30',
  issuer: exampleInstitution,
};
/** 户籍地 as the police fed it back. */
const householdPlace = closed({ divisionCode: ref('certificate.divisionCode'), address: { type: 'string' } });
const links = closed({ self: { type: 'string' }, pdf: { type: 'string' }, signedJson: { type: 'string' } });
const exampleLinks = {
  self: '/api/v1/certificates/Q440000001',
  pdf: '/api/v1/certificates/Q440000001/pdf',
  signedJson: '/api/v1/certificates/Q440000001/signed.json',
};

const certificateRecord: Schema = {
  description: 'The record as the reader may see it (registration items for the issuing institution only)',
  ...closed(
    {
      certificate: closed(
        {
          certificateNo,
          newborn: ref('certificate.newborn'),
          birthPlace: ref('certificate.birthPlace'),
          birthPlaceCategory: ref('certificate.birthPlaceCategory'),
          birthPlaceOther: ref('certificate.shortText'),
          deliveryInstitution: nullable(ref('certificate.institution')),
          mother: parentAsShown,
          father: nullable(parentAsShown),
          fatherAbsentReason: ref('certificate.reasonText'),
          issueDate: ref('certificate.date'),
          issuer: ref('certificate.issuingInstitution'),
        },
        ['birthPlaceOther', 'fatherAbsentReason'],
      ),
      licence: ref('licence-envelope'),
      status: certificateStatus,
      statusReason: { type: 'string' },
      statusNote: { type: 'string' },
      supersededBy: nullable(certificateNo),
      supersedes: nullable(certificateNo),
      backfilled: {
        const: true,
        description: 'Back-issued (补录) for a paper certificate: its number and issue date are the paper’s',
      },
      currentCertificateNo: nullable(certificateNo),
      history: {
        type: 'array',
        items: closed(
          {
            certificateNo,
            licenceId,
            version: { type: 'integer', minimum: 1 },
            kind: { enum: ['first', 'out-of-institution', 'replacement', 'reissue'] },
            status: certificateStatus,
            issuedAt: instant,
            reason: { type: 'string' },
            statusReason: { type: 'string' },
            supersededBy: certificateNo,
          },
          ['reason', 'statusReason', 'supersededBy'],
        ),
      },
      householdRegistration: nullable(
        closed(
          {
            certificateNo,
            childIdNumber: { type: 'string', description: 'In full or masked, as the ID numbers of the parents' },
            registeredOn: ref('certificate.date'),
            policeUnit: { type: 'string' },
            registeredName: { type: 'string', description: "The child's registered name, when the police fed it back" },
            nameDiffers: {
              type: 'boolean',
              description: "With registeredName: it differs from the certificate's newborn name",
            },
            householdPlace,
          },
          ['registeredName', 'nameDiffers', 'householdPlace'],
        ),
      ),
      registration: closed(
        {
          hospitalRecordNo: { type: 'string' },
          midwifeName: { type: 'string' },
          applicant: closed(
            {
              name: { type: 'string' },
              relation: { type: 'string' },
              idType: ref('certificate.idType'),
              idNumber: { type: 'string' },
            },
            ['idType', 'idNumber'],
          ),
          marriageCertNo: { type: 'string' },
          paternityReportNo: { type: 'string' },
          multipleBirth: { type: 'integer' },
          birthOrder: { type: 'integer' },
          phone: { type: 'string' },
          lateEntryReason: { type: 'string' },
        },
        [
          'hospitalRecordNo',
          'midwifeName',
          'applicant',
          'marriageCertNo',
          'paternityReportNo',
          'multipleBirth',
          'birthOrder',
          'phone',
          'lateEntryReason',
        ],
      ),
    },
    ['statusReason', 'statusNote', 'backfilled', 'registration'],
  ),
};
const exampleRecord = {
  certificate: exampleCertificate,
  licence: {
    id: exampleLicenceId,
    name: '出生医学证明',
    typeCode: '11100000000013338W001',
    issuer: exampleInstitution,
    issueDate: '2026-11-30',
    validUntil: null,
    holder: { name: '李沐宸' },
    version: '001',
    supersedes: null,
  },
  status: 'valid',
  supersededBy: null,
  supersedes: null,
  currentCertificateNo: 'Q440000001',
  history: [
    {
      certificateNo: 'Q440000001',
      licenceId: exampleLicenceId,
      version: 1,
      kind: 'first',
      status: 'valid',
      issuedAt: '2026-11-29T16:04:00.000Z',
    },
  ],
  householdRegistration: null,
};

/** What a verification shows of a record, nothing more (agencies' search results). */
const verificationFields = closed({
  certificateNo,
  licenceId,
  status: certificateStatus,
  supersededBy: nullable(certificateNo),
  newborn: closed({ name: { type: 'string' }, sex: ref('certificate.sex'), birthTime: ref('certificate.birthTime') }),
  mother: closed({ name: { type: 'string' } }),
  issuer: closed({ name: { type: 'string' } }),
  issueDate: ref('certificate.date'),
  householdRegistered: { type: 'boolean' },
});

export const certificateSchemas: Record<string, Schema> = {
  DeliveryRecord: {
    description:
      "The delivery as recorded: the midwife's items with the record's id, who recorded it and the application code",
    ...closed(
      {
        id: { type: 'string' },
        institution: creditCode,
        recordedBy: { type: 'string' },
        recordedAt: instant,
        newborn: ref('delivery/properties/newborn'),
        birthPlace: ref('delivery/properties/birthPlace'),
        birthPlaceCategory: ref('delivery/properties/birthPlaceCategory'),
        birthPlaceOther: ref('delivery/properties/birthPlaceOther'),
        mother: ref('delivery/properties/mother'),
        hospitalRecordNo: ref('delivery/properties/hospitalRecordNo'),
        midwifeName: ref('delivery/properties/midwifeName'),
        lateEntryReason: ref('delivery/properties/lateEntryReason'),
        multipleBirth: ref('delivery/properties/multipleBirth'),
        birthOrder: ref('delivery/properties/birthOrder'),
        phone: ref('delivery/properties/phone'),
        applicationCode: {
          type: 'string',
          pattern: '^[2-9A-HJKMNP-Z]{10}$',
          description:
            '申领码 for the discharge papers: with the mother’s ID number the parents apply online. Shown only here',
        },
      },
      ['birthPlaceOther', 'lateEntryReason', 'multipleBirth', 'birthOrder', 'phone'],
    ),
    examples: [
      {
        id: 'DFOmmI1cdfPs3VqrJ',
        institution: exampleCreditCode,
        recordedBy: 'demo-midwife-gz',
        recordedAt: '2026-11-29T17:04:00.000Z',
        newborn: {
          sex: '2',
          birthTime: '2026-11-29T14:04+08:00',
          gestation: { weeks: 37, days: 4 },
          weightGrams: 2780,
          lengthCm: 48,
          health: '1',
        },
        birthPlace: { divisionCode: '440106' },
        birthPlaceCategory: '1',
        mother: { ...exampleParent, idNumber: '440106199305121249' },
        hospitalRecordNo: 'ZY20261129001',
        midwifeName: '刘芳',
        applicationCode: 'KKWYX52RA5',
      },
    ],
  },
  ApplicationSubmitted: {
    ...closed({ id: { type: 'string' }, status: { enum: ['submitted', 'issuing', 'issued'] }, checks }),
    examples: [{ id: 'AGO3O0CgPWNQTTCV_', status: 'submitted', checks: [{ name: 'mother', result: 'pass' }] }],
  },
  IssuedCertificate: {
    description: 'The claim code is only in the first answer (201), never in a retry (200)',
    ...closed({ certificateNo, licenceId, status: { const: 'valid' }, claimCode: { type: 'string' }, links }, [
      'claimCode',
    ]),
    examples: [
      {
        certificateNo: 'Q440000001',
        licenceId: exampleLicenceId,
        status: 'valid',
        claimCode: 'KKWYX52RA5',
        links: exampleLinks,
      },
    ],
  },
  CertificateVoided: {
    ...closed({
      certificateNo,
      status: { const: 'void' },
      reason: ref('void/properties/reason'),
      voided: { enum: ['certificate', 'blank'] },
    }),
    examples: [{ certificateNo: 'Q440000004', status: 'void', reason: 'PRINT_ERROR', voided: 'certificate' }],
  },
  CertificateRevoked: {
    ...closed({ certificateNo, status: { const: 'revoked' }, reason: { type: 'string' } }),
    examples: [{ certificateNo: 'Q440000006', status: 'revoked', reason: '冒用他人身份申领' }],
  },
  ClaimCode: {
    ...closed({ certificateNo, claimCode: { type: 'string' } }),
    examples: [{ certificateNo: 'Q440000007', claimCode: 'EGANN52W5M' }],
  },
  HouseholdRegistered: {
    ...closed(
      {
        certificateNo,
        householdRegistered: { const: true },
        registeredOn: ref('certificate.date'),
        policeUnit: { type: 'string' },
        registeredName: { type: 'string' },
        nameDiffers: {
          type: 'boolean',
          description: "The registered name differs from the certificate's newborn name",
        },
        householdPlace,
      },
      ['registeredName', 'nameDiffers', 'householdPlace'],
    ),
    examples: [
      {
        certificateNo: 'Q440000005',
        householdRegistered: true,
        registeredOn: '2026-11-30',
        policeUnit: '广州市公安局天河区分局天河南派出所',
        registeredName: '李安然',
        nameDiffers: true,
        householdPlace: { divisionCode: '440106', address: '广东省广州市天河区天河南街道体育东路 88 号' },
      },
    ],
  },
  CertificateRecord: { ...certificateRecord, examples: [exampleRecord] },
  CertificateSearchResults: {
    description: 'Police and admins get records, agencies only the verification fields',
    ...closed({ results: { type: 'array', items: { anyOf: [ref('CertificateRecord'), verificationFields] } } }),
    examples: [{ results: [exampleRecord] }],
  },
};
