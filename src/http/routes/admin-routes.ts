import { parseOffsetDateTime } from '../../domain/check/offset-date-time.ts';
import { DomainError, invalidRequest } from '../../domain/errors.ts';
import type { InstitutionRecord } from '../../domain/institution.ts';
import { receiveNumberRange, type StockAdministration } from '../../domain/number-stock-administration.ts';
import { type KeyAdministration, revokeKey, rotateInstitutionKey } from '../../domain/trust/key-administration.ts';
import { defineRoute, type Route } from '../route.ts';

interface AdminDeps {
  keys: KeyAdministration;
}

/** An ISO date-time with offset and optional milliseconds, checked field by field; undefined if impossible. */
function instantOf(text: string): number | undefined {
  const fraction = /\.(\d{1,3})(?=Z|[+-])/.exec(text);
  const parsed = parseOffsetDateTime(text.replace(/\.\d{1,3}(?=Z|[+-])/, ''));
  return parsed ? parsed.instantMs + (fraction ? Number(fraction[1]!.padEnd(3, '0')) : 0) : undefined;
}

/** Health-commission administration: number stock and institution signing keys. */
export function adminRoutes(deps: AdminDeps): Route[] {
  const { institutions, audit, clock } = deps.keys;
  const institution = (creditCode: string | undefined): InstitutionRecord => {
    const found = creditCode ? institutions.find(creditCode) : null;
    if (!found) throw new DomainError('NOT_FOUND', `No institution ${creditCode}`);
    return found;
  };
  const stock: StockAdministration = {
    institutions,
    audit,
    clock,
    transaction: (work) => deps.keys.register.transaction(work),
  };

  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/institutions',
      summary: 'Institutions with their number stock',
      tag: 'admin',
      access: ['admin', 'statistician', 'auditor'],
      responseSchema: 'InstitutionList',
      responses: { 200: '{institutions: [...]}' },
      handle: () => ({
        status: 200,
        body: {
          institutions: institutions.list().map((i) => ({
            ...i,
            numberRanges: institutions.numberRanges(i.creditCode).map(({ institution: _i, ...range }) => ({
              ...range,
              remaining: range.lastNo - range.nextNo + 1,
            })),
          })),
        },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/institutions/:creditCode/number-ranges',
      summary: 'Record certificate-number stock received by an institution (ranges never overlap)',
      tag: 'admin',
      access: ['admin'],
      body: 'number-range',
      responseSchema: 'NumberRange',
      responses: { 201: 'The range', 400: 'Invalid body', 404: 'Unknown institution', 409: 'Overlaps a range' },
      load: (params) => institution(params.creditCode),
      handle: ({ principal, loaded: target, body: range }) => ({
        status: 201,
        body: receiveNumberRange(stock, principal, target.creditCode, range),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/institutions/:creditCode/signing-keys',
      summary: "Rotate the institution's signing key: a new key and certificate; the old one keeps verifying",
      tag: 'admin',
      access: ['admin'],
      responseSchema: 'NewSigningKey',
      responses: { 201: 'The new key (public material)', 404: 'Unknown institution' },
      async handle({ principal, params }) {
        const target = institution(params.creditCode);
        const key = await rotateInstitutionKey(deps.keys, principal, target.creditCode);
        return { status: 201, body: { kid: key.kid, institutionCreditCode: key.institutionCreditCode, x5c: key.x5c } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/signing-keys/:kid/revoke',
      summary: 'Revoke a signing key from a given time: e-licences it signed from then on fail with ISSUER_REVOKED',
      tag: 'admin',
      access: ['admin'],
      body: 'key-revocation',
      responseSchema: 'RevokedSigningKey',
      responses: { 200: 'The revoked key', 400: 'Invalid body', 404: 'Unknown key', 409: 'Already revoked' },
      handle: ({ principal, params, body: request }) => {
        const revokedAt = request.revokedAt === undefined ? undefined : instantOf(request.revokedAt);
        if (request.revokedAt !== undefined && revokedAt === undefined) {
          throw invalidRequest([{ path: 'revokedAt', message: 'revokedAt must be a real date and time' }]);
        }
        const revoked = revokeKey(deps.keys, principal, {
          kid: params.kid ?? '',
          ...(revokedAt !== undefined && { revokedAt: new Date(revokedAt) }),
          reason: request.reason,
          institutionKeysOnly: true,
        });
        return {
          status: 200,
          body: {
            kid: revoked.kid,
            status: revoked.status,
            revokedAt: revoked.revokedAt,
            reason: revoked.revocationReason,
          },
        };
      },
    }),
  ];
}
