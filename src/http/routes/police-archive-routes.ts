import {
  archiveForPolice,
  listPoliceArchives,
  type PoliceArchivePorts,
  readPoliceArchive,
} from '../../domain/lifecycle/police-archives.ts';
import { defineRoute, type Route } from '../route.ts';

const purposeQuery = {
  name: 'purpose',
  required: true,
  description: 'Why the archive is made or read (2–200 characters), recorded in the audit log',
};

/** The police archive (留档): archive an e-licence for a household case, read it back beside today's status. */
export function policeArchiveRoutes(deps: { archives: PoliceArchivePorts }): Route[] {
  const ports = deps.archives;
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/police-archives',
      summary:
        "Archive an e-licence as it is now (signed e-licence, verification result and time, officer, purpose) for a household case of the officer's unit",
      tag: 'police',
      access: ['police'],
      body: 'police-archive',
      query: [purposeQuery],
      responseSchema: 'PoliceArchiveCreated',
      responses: {
        201: 'Archived: {id, …, archived: {verifiedAt, result}}',
        400: 'Invalid body or PURPOSE_REQUIRED',
        401: 'No token',
        403: 'Not police, or the account has no police unit',
        404: 'Unknown certificate',
      },
      handle: async ({ principal, body, query }) => ({
        status: 201,
        body: await archiveForPolice(ports, principal, body, query.purpose),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/police-archives',
      summary: "The officer's unit's archives of one household case, oldest first",
      tag: 'police',
      access: ['police'],
      query: [{ name: 'caseNo', required: true, description: 'The household case number' }, purposeQuery],
      responseSchema: 'PoliceArchiveList',
      responses: { 200: '{results: [...]}', 400: 'No caseNo, or PURPOSE_REQUIRED', 401: 'No token', 403: 'Role' },
      handle: ({ principal, query }) => ({
        status: 200,
        body: listPoliceArchives(ports, principal, query.caseNo, query.purpose),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/v1/police-archives/:id',
      summary: 'One archive of the own unit: the archived signed e-licence, the result then and the status now',
      tag: 'police',
      access: ['police'],
      query: [purposeQuery],
      responseSchema: 'PoliceArchive',
      responses: {
        200: 'The archive with the result then (archived) and now side by side',
        400: 'PURPOSE_REQUIRED',
        401: 'No token',
        403: "Another police unit's archive",
        404: 'Unknown archive',
      },
      handle: async ({ principal, params, query }) => ({
        status: 200,
        body: await readPoliceArchive(ports, principal, params.id ?? '', query.purpose),
        headers: { 'Cache-Control': 'no-store' },
      }),
    }),
  ];
}
