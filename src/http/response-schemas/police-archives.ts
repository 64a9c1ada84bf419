import { certificateNo, closed, exampleCreditCode, exampleLicenceId, instant, ref, type Schema } from './common.ts';

const verifiedResult = closed({ verifiedAt: instant, result: ref('VerificationResult') });

const archiveFields = {
  id: { type: 'string', pattern: '^arc_[A-Za-z0-9_-]+$' },
  certificateNo,
  caseNo: { type: 'string', description: 'The household case number' },
  policeUnit: { type: 'string' },
  officer: { type: 'string', description: "The archiving officer's username" },
  purpose: { type: 'string' },
  archivedAt: instant,
  archived: { ...verifiedResult, description: 'The verification when the e-licence was archived (the result then)' },
};

const validResult = {
  valid: true,
  status: 'valid',
  certificate: {
    certificateNo: 'Q440000005',
    licenceId: exampleLicenceId,
    newborn: { name: '李沐宸', sex: '1', birthTime: '2026-11-30T00:04+08:00' },
    mother: { name: '王秀英' },
    issuer: { name: '广州市天河区示范妇幼保健院', creditCode: exampleCreditCode },
    issueDate: '2026-11-30',
    issuedAt: '2026-11-29T16:04:00.000Z',
  },
  householdRegistered: false,
  checks: [
    { name: 'format', result: 'pass' },
    { name: 'signature', result: 'pass' },
    { name: 'issuer', result: 'pass' },
    { name: 'status', result: 'pass' },
    { name: 'consistency', result: 'pass' },
  ],
};

const exampleSummary = {
  id: 'arc_Yq3nV0cJ2mXbT8dKpW4rZa',
  certificateNo: 'Q440000005',
  caseNo: 'HJ-2026-114506',
  policeUnit: '广州市公安局天河区分局天河南派出所',
  officer: 'demo-police',
  purpose: '办理出生登记（落户）',
  archivedAt: '2026-12-03T06:40:00.000Z',
  archived: { verifiedAt: '2026-12-03T06:40:00.000Z', result: validResult },
};

export const policeArchiveSchemas: Record<string, Schema> = {
  PoliceArchiveCreated: {
    description: 'The archive as made: the case, the officer and unit, the purpose and the verification then',
    ...closed(archiveFields),
    examples: [exampleSummary],
  },
  PoliceArchiveList: {
    description: "The officer's unit's archives of one household case, oldest first",
    ...closed({ results: { type: 'array', items: closed(archiveFields) } }),
    examples: [{ results: [exampleSummary] }],
  },
  PoliceArchive: {
    description:
      'One archive: the signed e-licence as archived (its exact JSON text), the verification then and the same e-licence verified now',
    ...closed({
      ...archiveFields,
      signedJson: {
        type: 'string',
        contentMediaType: 'application/json',
        description: 'The flattened JWS as archived',
      },
      now: { ...verifiedResult, description: 'The archived e-licence verified at this read' },
    }),
    examples: [
      {
        ...exampleSummary,
        signedJson: '{"protected":"eyJhbGciOiJFUzI1NiJ9","payload":"eyJ2ZXJzaW9uIjoxfQ","signature":"c2lnbmF0dXJl"}',
        now: {
          verifiedAt: '2027-03-01T02:00:00.000Z',
          result: {
            ...validResult,
            valid: false,
            status: 'superseded',
            reason: 'SUPERSEDED',
            supersededBy: 'Q440000009',
            householdRegistered: true,
            checks: validResult.checks.map((c) => (c.name === 'status' ? { ...c, result: 'fail' } : c)),
          },
        },
      },
    ],
  },
};
