import type { Request } from 'express';
import { applicationQueue, returnApplication } from '../../domain/lifecycle/application-review.ts';
import {
  type ApplicationValidator,
  applicationOfToken,
  applicationStatus,
  applyOnline,
  correctApplication,
  downloaderOf,
  type OnlinePorts,
  reopenApplication,
} from '../../domain/lifecycle/online-applications.ts';
import { readPdf, readSignedJson } from '../../domain/lifecycle/reads.ts';
import { bearerToken, defineRoute, type Route } from '../route.ts';

const noStore = { 'Cache-Control': 'no-store' };

/** 线上申领: the parents' routes (token of their one application) and the issuer's queue and return. */
export function onlineApplicationRoutes(deps: {
  online: OnlinePorts;
  /** The composed application is checked as POST /api/v1/applications checks its body. */
  validateApplication: ApplicationValidator;
}): Route[] {
  const { online: ports, validateApplication } = deps;
  const opened = (req: Request, id: string | undefined) => applicationOfToken(ports, bearerToken(req), id ?? '');

  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/citizen/applications',
      summary:
        "线上申领: the parents apply with the application code and the mother's ID number → a token for this application",
      tag: 'citizen',
      access: 'public',
      body: 'citizen-application',
      responseSchema: 'CitizenApplicationSubmitted',
      responses: {
        201: '{id, status, accessToken, expiresIn}',
        400: 'Invalid body (the same field checks as POST /api/v1/applications)',
        401: "Wrong application code or mother's ID number (after 10 wrong tries the code is locked)",
        409: 'Already applied with this code, or the birth already has its certificate',
        429: 'Too many attempts',
      },
      handle: ({ body }) => ({
        status: 201,
        body: applyOnline(ports, validateApplication, body),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/citizen/application-sessions',
      summary: "The parents open their online application again with the code and the mother's ID number",
      tag: 'citizen',
      access: 'public',
      body: 'citizen-application-session',
      responseSchema: 'CitizenApplicationSession',
      responses: {
        200: '{id, accessToken, expiresIn}',
        400: 'Invalid body',
        401: 'Wrong code or ID number',
        404: 'No application made with this code yet',
        429: 'Too many attempts',
      },
      handle: ({ body }) => ({
        status: 200,
        body: reopenApplication(ports, body),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/citizen/applications/:id',
      summary: "The online application's status (Authorization: Bearer <the application's token>)",
      tag: 'citizen',
      access: 'public',
      responseSchema: 'CitizenApplicationStatus',
      responses: {
        200: '{id, status: submitted | returned | issued, returnReason?, certificateNo?}',
        401: 'No or expired application token',
        403: 'The token opens another application',
      },
      handle: ({ req, params }) => ({
        status: 200,
        body: applicationStatus(ports, opened(req, params.id)),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/citizen/applications/:id',
      summary: 'The parents correct a returned application; it goes back to the queue as submitted',
      tag: 'citizen',
      access: 'public',
      body: 'citizen-application-correction',
      responseSchema: 'CitizenApplicationStatus',
      responses: {
        200: 'The status, now submitted',
        400: 'Invalid body',
        401: 'No or expired application token',
        403: 'The token opens another application',
        409: 'Not returned',
      },
      // The token is checked before the body: a caller without it learns nothing from a 400.
      load: (params, req) => opened(req, params.id),
      handle: ({ loaded: application, body }) => {
        return {
          status: 200,
          body: correctApplication(ports, validateApplication, application, body),
          headers: noStore,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/citizen/applications/:id/pdf',
      summary: 'Once issued: the PDF e-certificate, with the application token',
      tag: 'citizen',
      access: 'public',
      responses: { 200: 'The PDF', 401: 'No token', 403: 'Another application', 409: 'Not issued yet' },
      responseMediaType: 'application/pdf',
      handle: async ({ req, params }) => {
        const actor = downloaderOf(opened(req, params.id));
        const no = actor.certificateNo!;
        return {
          status: 200,
          body: await readPdf(ports, actor, no, undefined),
          contentType: 'application/pdf',
          headers: { ...noStore, 'Content-Disposition': `attachment; filename="${no}.pdf"` },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/citizen/applications/:id/signed.json',
      summary: 'Once issued: the signed e-licence, with the application token',
      tag: 'citizen',
      access: 'public',
      responses: { 200: 'The flattened JWS', 401: 'No token', 403: 'Another application', 409: 'Not issued yet' },
      responseSchema: 'SignedELicence',
      handle: ({ req, params }) => {
        const actor = downloaderOf(opened(req, params.id));
        return {
          status: 200,
          body: Buffer.from(readSignedJson(ports, actor, actor.certificateNo!, undefined)),
          contentType: 'application/json',
          headers: noStore,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/applications',
      summary: "The issuer's queue: the institution's applications, online and walk-in, with the cross-check preview",
      tag: 'issuing',
      access: ['issuer'],
      responseSchema: 'ApplicationQueue',
      query: [{ name: 'status', required: false, description: 'submitted (default), returned or issued' }],
      responses: { 200: '{applications: [...]}', 400: 'Unknown status', 401: 'No token', 403: 'Not an issuer' },
      handle: ({ principal, query }) => ({
        status: 200,
        body: applicationQueue(ports, principal, query.status),
        headers: noStore,
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/applications/:id/return',
      summary: 'Send an online application back to the parents for correction',
      tag: 'issuing',
      access: ['issuer'],
      body: 'application-return',
      responseSchema: 'ApplicationReturned',
      responses: {
        200: '{id, status: returned, returnReason}',
        400: 'Invalid body',
        403: 'Another institution',
        404: 'No such application',
        409: 'Not submitted, or a walk-in application',
      },
      handle: ({ principal, params, body }) => ({
        status: 200,
        body: returnApplication(ports, principal, params.id ?? '', body.reason),
      }),
    }),
  ];
}
