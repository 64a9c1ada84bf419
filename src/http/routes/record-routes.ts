import type { LifecyclePorts } from '../../domain/lifecycle/ports.ts';
import { readCertificate, readPdf, readSignedJson, searchByMother } from '../../domain/lifecycle/reads.ts';
import { defineRoute, type Route } from '../route.ts';

const purposeQuery = {
  name: 'purpose',
  required: false,
  description: 'Why the record is read (1–200 characters); required for police and agencies, recorded in the audit log',
};

export function recordRoutes(deps: { lifecycle: LifecyclePorts }): Route[] {
  const ports = deps.lifecycle;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/certificates',
      summary: "Find certificates by the mother's ID number (agencies: verification fields only)",
      tag: 'records',
      access: ['police', 'agency', 'admin'],
      query: [{ name: 'motherIdNumber', required: true, description: "The mother's ID document number" }, purposeQuery],
      responses: {
        200: '{results: [...]}',
        400: 'PURPOSE_REQUIRED or no motherIdNumber',
        401: 'No token',
        403: 'Role',
      },
      handle: ({ principal, query }) => ({
        status: 200,
        body: searchByMother(ports, principal, query.motherIdNumber, query.purpose),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/certificates/:no',
      summary: 'The record: surface items, e-licence envelope, status, successor, history, household registration',
      tag: 'records',
      access: ['issuer', 'police', 'admin'],
      query: [purposeQuery],
      responses: { 200: 'The record', 400: 'PURPOSE_REQUIRED', 403: 'Another institution', 404: 'Unknown' },
      handle: ({ principal, params, query }) => ({
        status: 200,
        body: readCertificate(ports, principal, params.no ?? '', query.purpose),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/certificates/:no/signed.json',
      summary: 'The signed e-licence (flattened JWS)',
      tag: 'records',
      access: ['issuer', 'police', 'admin', 'citizen'],
      query: [purposeQuery],
      responses: { 200: 'The flattened JWS', 400: 'PURPOSE_REQUIRED', 403: 'Not yours', 404: 'Unknown' },
      responseSchema: 'SignedELicence',
      handle: ({ principal, params, query }) => {
        const signedJson = readSignedJson(ports, principal, params.no ?? '', query.purpose);
        return {
          status: 200,
          body: Buffer.from(signedJson),
          contentType: 'application/json',
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/certificates/:no/pdf',
      summary: 'The signed PDF e-certificate',
      tag: 'records',
      access: ['issuer', 'police', 'admin', 'citizen'],
      query: [purposeQuery],
      responses: { 200: 'The PDF', 400: 'PURPOSE_REQUIRED', 403: 'Not yours', 404: 'Unknown' },
      responseMediaType: 'application/pdf',
      handle: ({ principal, params, query }) => {
        const no = params.no ?? '';
        return {
          status: 200,
          body: readPdf(ports, principal, no, query.purpose),
          contentType: 'application/pdf',
          headers: { 'Cache-Control': 'no-store', 'Content-Disposition': `attachment; filename="${no}.pdf"` },
        };
      },
    }),
  ];
}
