import { certificateNo, closed, instant, ref, type Schema } from './common.ts';

/*
 * 线上申领: what the parents' routes and the issuer's queue answer. The parents' token is scoped to
 * their one application; it is shown in the answer that makes it and never again.
 */

const applicationId = { type: 'string', pattern: '^A[A-Za-z0-9_-]{16}$' };
const personName = ref('certificate.personName');
const parentsToken = {
  accessToken: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$', description: "The application's token" },
  tokenType: { const: 'Bearer' },
  expiresIn: { type: 'integer', minimum: 1, description: 'Seconds' },
};
const exampleId = 'AGO3O0CgPWNQTTCV_';
const exampleToken = 'Xq2tTzQ8b0n4rE1yVd6mK9sLw3aHc7uJf5gPpYoZiBk';
const base = { id: applicationId, submittedAt: instant, newborn: closed({ name: personName }) };
const exampleBase = { id: exampleId, submittedAt: '2026-11-29T17:04:00.000Z', newborn: { name: '李沐宸' } };

const findings = {
  type: 'array',
  description: 'The cross-check of the application against the delivery record: pass, or the items that disagree',
  items: closed(
    {
      name: { type: 'string' },
      result: { enum: ['pass', 'fail'] },
      items: { type: 'array', items: { type: 'string' }, minItems: 1 },
    },
    ['items'],
  ),
};

export const onlineApplicationSchemas: Record<string, Schema> = {
  CitizenApplicationSubmitted: {
    description: 'The online application, submitted, with the token that opens it (keep it: it is shown only here)',
    ...closed({ id: applicationId, status: { const: 'submitted' }, ...parentsToken }),
    examples: [{ id: exampleId, status: 'submitted', accessToken: exampleToken, tokenType: 'Bearer', expiresIn: 1800 }],
  },
  CitizenApplicationSession: {
    description: 'A new token for the application the code and the mother’s ID number opened',
    ...closed({ id: applicationId, ...parentsToken }),
    examples: [{ id: exampleId, accessToken: exampleToken, tokenType: 'Bearer', expiresIn: 1800 }],
  },
  CitizenApplicationStatus: {
    description:
      'What the parents see of their application: submitted (also while it is being issued), returned with ' +
      'the reason, or issued with the certificate number (and the current one if it was replaced since)',
    oneOf: [
      closed({ ...base, status: { const: 'submitted' } }),
      closed({ ...base, status: { const: 'returned' }, returnReason: { type: 'string' }, returnedAt: instant }),
      closed({ ...base, status: { const: 'issued' }, certificateNo, currentCertificateNo: certificateNo }, [
        'currentCertificateNo',
      ]),
    ],
    examples: [{ ...exampleBase, status: 'issued', certificateNo: 'Q440000001' }],
  },
  ApplicationQueue: {
    description: "The issuer's queue: the institution's applications in one state, oldest first",
    ...closed({
      applications: {
        type: 'array',
        items: closed(
          {
            id: applicationId,
            channel: { enum: ['online', 'walk-in'] },
            status: { enum: ['submitted', 'returned', 'issued'] },
            deliveryId: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            createdAt: instant,
            newborn: closed({ name: personName }),
            mother: closed({ name: personName }),
            applicant: closed({ name: personName, relation: ref('application.applicant/properties/relation') }),
            returnReason: { type: 'string' },
            certificateNo,
            checks: findings,
          },
          ['returnReason', 'certificateNo'],
        ),
      },
    }),
    examples: [
      {
        applications: [
          {
            id: exampleId,
            channel: 'online',
            status: 'submitted',
            deliveryId: 'DFOmmI1cdfPs3VqrJ',
            createdAt: '2026-11-29T17:04:00.000Z',
            newborn: { name: '李沐宸' },
            mother: { name: '王秀英' },
            applicant: { name: '王秀英', relation: 'mother' },
            checks: [
              { name: 'mother', result: 'pass' },
              { name: 'newborn', result: 'fail', items: ['newborn.sex'] },
              { name: 'institution', result: 'pass' },
            ],
          },
        ],
      },
    ],
  },
  ApplicationReturned: {
    description: 'The online application, back with the parents for correction',
    ...closed({ id: applicationId, status: { const: 'returned' }, returnReason: { type: 'string' } }),
    examples: [{ id: exampleId, status: 'returned', returnReason: '新生儿姓名与户口簿拟登记姓名不一致，请核对' }],
  },
};
