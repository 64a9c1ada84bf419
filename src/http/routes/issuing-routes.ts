import type { TokenStore } from '../../domain/accounts/account.ts';
import { reissueCertificate, replaceCertificate } from '../../domain/lifecycle/amend.ts';
import { submitApplication } from '../../domain/lifecycle/applications.ts';
import { claimCertificate, newClaimCode } from '../../domain/lifecycle/claims.ts';
import { ownCertificate } from '../../domain/lifecycle/guards.ts';
import { recordHouseholdRegistration } from '../../domain/lifecycle/household.ts';
import { issueCertificate } from '../../domain/lifecycle/issue.ts';
import { type OnlinePorts, recordDeliveryWithCode } from '../../domain/lifecycle/online-applications.ts';
import type { LifecyclePorts } from '../../domain/lifecycle/ports.ts';
import { revokeCertificate } from '../../domain/lifecycle/revoke.ts';
import { voidCertificate } from '../../domain/lifecycle/void.ts';
import { defineRoute, type Route } from '../route.ts';

const certificateNoParam = (no: string | undefined) => no ?? '';

export function issuingRoutes(deps: { lifecycle: LifecyclePorts; online: OnlinePorts; tokens: TokenStore }): Route[] {
  const { lifecycle: ports } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/deliveries',
      summary: "Record a delivery (the midwife's items) for the midwife's institution",
      tag: 'issuing',
      access: ['midwife'],
      body: 'delivery',
      responseSchema: 'DeliveryRecord',
      responses: {
        201: 'The record, with applicationCode (申领码) for the discharge papers, shown only here',
        400: 'Invalid body, or late without lateEntryReason',
        401: 'No token',
        403: 'Not a midwife',
      },
      handle: ({ principal, body }) => {
        const record = recordDeliveryWithCode(deps.online, principal, body);
        return { status: 201, body: record, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/applications',
      summary:
        "Enter the parents' application, with a delivery record or (birth outside an institution) the full birth items",
      tag: 'issuing',
      access: ['issuer'],
      body: 'application',
      responseSchema: 'ApplicationSubmitted',
      responses: {
        201: '{id, status, checks}',
        400: 'Invalid body',
        403: 'Not an issuer',
        404: 'Unknown delivery record',
      },
      handle: ({ principal, body }) => ({
        status: 201,
        body: submitApplication(ports, principal, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/applications/:id/issue',
      summary: 'Cross-check, number, sign and render: issue the certificate (a retry answers 200 with the same one)',
      tag: 'issuing',
      access: ['issuer'],
      responseSchema: 'IssuedCertificate',
      responses: {
        200: 'Already issued: the same certificate, no new claim code',
        201: '{certificateNo, licenceId, status, claimCode, links}',
        403: 'Another institution',
        404: 'No such application',
        409: 'CROSS_CHECK_FAILED, NUMBERS_EXHAUSTED or ALREADY_ISSUED',
      },
      async handle({ principal, params }) {
        const outcome = await issueCertificate(ports, principal, params.id ?? '');
        return { status: outcome.created ? 201 : 200, body: outcome.result };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/replacements',
      summary: '换发: correct items under a new number; the old certificate becomes superseded',
      tag: 'issuing',
      access: ['issuer'],
      body: 'replacement',
      responseSchema: 'IssuedCertificate',
      responses: {
        201: 'As issue',
        400: 'Invalid body',
        403: 'Another institution',
        404: 'Unknown',
        409: 'Not current',
      },
      async handle({ principal, params, body }) {
        const result = await replaceCertificate(ports, principal, certificateNoParam(params.no), body);
        return { status: 201, body: result };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/reissues',
      summary: '补发: the same items under a new number after the paper was lost',
      tag: 'issuing',
      access: ['issuer'],
      body: 'reissue',
      responseSchema: 'IssuedCertificate',
      responses: {
        201: 'As issue',
        400: 'Invalid body',
        403: 'Another institution',
        404: 'Unknown',
        409: 'Not current',
      },
      async handle({ principal, params, body }) {
        const result = await reissueCertificate(ports, principal, certificateNoParam(params.no), body);
        return { status: 201, body: result };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/void',
      summary: '作废: void an issued certificate or an unused number of the stock; the number is never reused',
      tag: 'issuing',
      access: ['issuer'],
      body: 'void',
      responseSchema: 'CertificateVoided',
      responses: {
        200: 'Voided',
        400: 'Invalid body',
        403: 'Another institution',
        404: 'Unknown number',
        409: 'Not current',
      },
      handle: ({ principal, params, body }) => ({
        status: 200,
        body: voidCertificate(ports, principal, certificateNoParam(params.no), body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/revoke',
      summary: 'Revoke a fraudulent certificate (health commission decision); verification then answers REVOKED',
      tag: 'issuing',
      access: ['admin'],
      body: 'certificate-revocation',
      responseSchema: 'CertificateRevoked',
      responses: {
        200: 'Revoked',
        400: 'Invalid body',
        401: 'No token',
        403: 'Not an admin',
        404: 'Unknown',
        409: 'Not current',
      },
      handle: ({ principal, params, body }) => ({
        status: 200,
        body: revokeCertificate(ports, principal, certificateNoParam(params.no), body.reason),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/claim-code',
      summary: 'Hand the parents a new claim code; the previous one stops working',
      tag: 'issuing',
      access: ['issuer'],
      responseSchema: 'ClaimCode',
      responses: { 200: '{certificateNo, claimCode}', 403: 'Another institution', 404: 'Unknown' },
      handle: ({ principal, params }) => {
        const record = ownCertificate(ports, principal, certificateNoParam(params.no));
        return {
          status: 200,
          body: {
            certificateNo: record.certificateNo,
            claimCode: newClaimCode(ports, principal, record.certificateNo),
          },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/certificates/:no/household-registration',
      summary: "落户 feedback: the child's ID number, registration date and police unit",
      tag: 'police',
      access: ['police'],
      body: 'household-registration',
      responseSchema: 'HouseholdRegistered',
      responses: { 201: 'Recorded', 400: 'Invalid body', 404: 'Unknown', 409: 'ALREADY_REGISTERED or not current' },
      handle: ({ principal, params, body }) => ({
        status: 201,
        body: recordHouseholdRegistration(ports, principal, certificateNoParam(params.no), body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/citizen/claims',
      summary:
        "The parents open their e-certificate: number, mother's ID number and claim code → a token for that certificate",
      tag: 'citizen',
      access: 'public',
      body: 'citizen-claim',
      responseSchema: 'AccessToken',
      responses: { 200: '{accessToken, expiresIn}', 400: 'Invalid body', 401: 'Wrong claim', 429: 'Too many attempts' },
      handle: ({ body }) => ({
        status: 200,
        body: claimCertificate(ports, deps.tokens, body),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
  ];
}
