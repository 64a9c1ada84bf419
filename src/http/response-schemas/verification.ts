import { closed, exampleCreditCode, exampleLicenceId, type Schema } from './common.ts';

export const verificationSchemas: Record<string, Schema> = {
  VerificationResult: {
    description: 'A verification outcome, valid or not: never an error for a credential that does not verify',
    ...closed(
      {
        valid: { type: 'boolean' },
        status: { enum: ['valid', 'superseded', 'void', 'revoked', 'unknown'] },
        reason: {
          enum: [
            'MALFORMED',
            'BAD_SIGNATURE',
            'UNTRUSTED_ISSUER',
            'ISSUER_REVOKED',
            'NOT_FOUND',
            'SUPERSEDED',
            'VOID',
            'REVOKED',
            'DATA_MISMATCH',
            'STATUS_UNAVAILABLE',
          ],
        },
        supersededBy: { type: 'string' },
        statusAsOf: {
          type: 'string',
          format: 'date-time',
          description: 'Offline only: the time of the status list the status came from',
        },
        certificate: {
          description: 'Only what the presented credential carried, and only once its signature holds',
          ...closed(
            {
              certificateNo: { type: 'string' },
              licenceId: { type: 'string' },
              newborn: closed({ name: { type: 'string' }, sex: { type: 'string' }, birthTime: { type: 'string' } }),
              mother: closed({ name: { type: 'string' } }),
              issuer: closed({ name: { type: 'string' }, creditCode: { type: 'string' } }),
              issueDate: { type: 'string' },
              issuedAt: { type: 'string' },
            },
            ['certificateNo', 'licenceId', 'newborn', 'mother', 'issuer', 'issueDate', 'issuedAt'],
          ),
        },
        backfilled: {
          const: true,
          description: 'Online only: back-issued (补录) from a paper certificate; absent otherwise',
        },
        householdRegistered: { type: 'boolean' },
        checks: {
          type: 'array',
          items: closed({
            name: { enum: ['pdf', 'format', 'signature', 'issuer', 'status', 'consistency'] },
            result: { enum: ['pass', 'fail', 'skip'] },
          }),
        },
      },
      ['reason', 'supersededBy', 'statusAsOf', 'certificate', 'backfilled'],
    ),
    examples: [
      {
        valid: true,
        status: 'valid',
        certificate: {
          certificateNo: 'Q440000001',
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
      },
    ],
  },
};
