import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPoliceUnit } from '../../src/setup/demo-trust-domain.ts';
import { applicationBodyFor, deliveryBodyFor, fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  claimToken,
  demo,
  frozenClock,
  type Issued,
  issueBirth,
  recordDelivery,
  type Staff,
  staffOf,
  submitApplication,
} from './lifecycle-helpers.ts';

/**
 * Who may call what: every route of the service × every kind of caller. The targets (records,
 * certificates, applications) belong to the gz institution, so `…/gz` is the own institution
 * and `…/bj` the other one; `citizen/own` holds a claim token for the certificate read, and
 * `citizen/other` one for another certificate.
 */
const callers = [
  'none',
  'admin',
  'midwife/gz',
  'midwife/bj',
  'issuer/gz',
  'issuer/bj',
  'police',
  'agency',
  'auditor',
  'statistician',
  'citizen/own',
  'citizen/other',
] as const;
type Caller = (typeof callers)[number];

/**
 * The expected status of each call, written out by hand from API.md and the route summaries —
 * never derived from the route table, so a wrong `access` list shows up here.
 * 401 no token, 403 wrong role or institution, otherwise the route's success or another 4xx.
 */
// biome-ignore format: a table reads best aligned
const expected: [route: string, ...statuses: number[]][] = [
  //                                                       none   admin  mw/gz  mw/bj  is/gz  is/bj  police agency audit  stat   cit    cit'
  ['GET /healthz',                                         200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /openapi.json',                                    200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['POST /api/v1/auth/token',                              200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['POST /api/v1/deliveries',                              401,   403,   201,   201,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/applications',                            401,   403,   403,   403,   201,   201,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/applications/:id/issue',                  401,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/certificates',                             401,   200,   403,   403,   403,   403,   200,   200,   403,   403,   403,   403],
  ['GET /api/v1/certificates/:no',                         401,   200,   403,   403,   200,   403,   200,   403,   403,   403,   403,   403],
  ['GET /api/v1/certificates/:no/signed.json',             401,   200,   403,   403,   200,   403,   200,   403,   403,   403,   200,   403],
  ['GET /api/v1/certificates/:no/pdf',                     401,   200,   403,   403,   200,   403,   200,   403,   403,   403,   200,   403],
  ['POST /api/v1/certificates/:no/replacements',           401,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/certificates/:no/reissues',               401,   403,   403,   403,   201,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/certificates/:no/void',                   401,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/certificates/:no/revoke',                 401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/certificates/:no/claim-code',             401,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/certificates/:no/household-registration', 401,   403,   403,   403,   403,   403,   201,   403,   403,   403,   403,   403],
  ['POST /api/v1/police-archives',                        401,   403,   403,   403,   403,   403,   201,   403,   403,   403,   403,   403],
  ['GET /api/v1/police-archives',                         401,   403,   403,   403,   403,   403,   200,   403,   403,   403,   403,   403],
  ['GET /api/v1/police-archives/:id',                     401,   403,   403,   403,   403,   403,   200,   403,   403,   403,   403,   403],
  ['POST /api/v1/citizen/claims',                          200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['POST /api/v1/verifications',                           200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /.well-known/jwks.json',                           200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /api/v1/trust-list',                               200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /api/v1/pki/root.crl',                              200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /api/v1/pki/root.crt',                              200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['POST /api/v1/timestamps',                               200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /api/v1/status-lists/:id',                         200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['GET /api/v1/trust-bundle',                             401,   200,   403,   403,   403,   403,   200,   200,   200,   403,   403,   403],
  ['GET /api/v1/institutions',                             401,   200,   403,   403,   403,   403,   403,   403,   200,   200,   403,   403],
  ['POST /api/v1/institutions/:creditCode/number-ranges',  401,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/institutions/:creditCode/signing-keys',   401,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  // An admin revoking an unknown key: 404, the call itself is allowed.
  ['POST /api/v1/signing-keys/:kid/revoke',                401,   404,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/reports/sex-ratio',                        401,   200,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403],
  ['GET /api/v1/reports/birth-register',                   401,   200,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403],
  ['GET /api/v1/reports/certificate-usage',                401,   200,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403],
  ['GET /api/v1/reports/certificate-usage-by-institution', 401,   200,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403],
  ['GET /api/v1/audit-events',                             401,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  ['GET /api/v1/audit-events/verify',                      401,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  ['GET /api/v1/audit-events/head',                        401,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  // Every caller signs out a token of its own, taken for this call.
  ['POST /api/v1/auth/sign-out',                           401,   204,   204,   204,   204,   204,   204,   204,   204,   204,   204,   204],
  ['GET /api/v1/accounts',                                 401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/accounts/locks',                           401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/unlock',               401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/revoke-tokens',        401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/disable',              401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/enable',               401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/password',             401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['PUT /api/v1/accounts/:username/police-unit',           401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/accounts/:username/identity-links',        401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/identity-links',       401,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/accounts/:username/identity-links/remove', 401,  200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/audit-checkpoints',                        401,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  ['GET /api/v1/audit-checkpoints/export',                 401,   403,   403,   403,   403,   403,   403,   403,   200,   403,   403,   403],
  ['POST /api/v1/audit-checkpoints',                       401,   403,   403,   403,   403,   403,   403,   403,   201,   403,   403,   403],
  ['POST /api/v1/subscriptions',                           401,   201,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/subscriptions',                            401,   200,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  // An admin naming an unknown subscription: 404, the call itself is allowed.
  ['DELETE /api/v1/subscriptions/:id',                     401,   404,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/subscriptions/:id/secret-rotation',       401,   404,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/subscriptions/:id/deliveries',             401,   404,   403,   403,   403,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/subscriptions/:id/deliveries/:deliveryId/replay', 401, 404, 403, 403, 403,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/exports/births',                           401,   403,   403,   403,   403,   403,   403,   200,   403,   200,   403,   403],
  ['GET /api/v1/exports/births/manifest',                  401,   403,   403,   403,   403,   403,   403,   200,   403,   200,   403,   403],
  // 线上申领: the first call applies, every later one finds the code used.
  ['POST /api/v1/citizen/applications',                    201,   409,   409,   409,   409,   409,   409,   409,   409,   409,   409,   409],
  ['POST /api/v1/citizen/application-sessions',            200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  // Only the application's own token opens these; no staff or claim token does.
  ['GET /api/v1/citizen/applications/:id',                 401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401],
  ['PUT /api/v1/citizen/applications/:id',                 401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401],
  ['GET /api/v1/citizen/applications/:id/pdf',             401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401],
  ['GET /api/v1/citizen/applications/:id/signed.json',     401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401,   401],
  ['GET /api/v1/applications',                             401,   403,   403,   403,   200,   200,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/applications/:id/return',                 401,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  // 预约取证: slots are public to read; issuers manage their own institution's, admins any.
  ['GET /api/v1/institutions/:code/collection-slots',       200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  ['POST /api/v1/institutions/:code/collection-slots',      401,   201,   403,   403,   201,   201,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/collection-slots/:id/close',               401,   200,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  ['GET /api/v1/institutions/:code/collection-appointments', 401,  200,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  ['POST /api/v1/collection-appointments/:id/handover',     401,   403,   403,   403,   200,   403,   403,   403,   403,   403,   403,   403],
  // The parents' own appointments: a claim token (or an issued application's); staff tokens are refused.
  ['GET /api/v1/citizen/appointments',                     401,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   200],
  // citizen/own booked in beforeAll: a second booking is ALREADY_BOOKED.
  ['POST /api/v1/citizen/appointments',                    401,   403,   403,   403,   403,   403,   403,   403,   403,   403,   409,   201],
  ['PUT /api/v1/citizen/appointments/:id',                 401,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   403],
  ['DELETE /api/v1/citizen/appointments/:id',              401,   403,   403,   403,   403,   403,   403,   403,   403,   403,   200,   403],
];

const { clock, now: NOW } = frozenClock();

let svc: TestService;
let gz: Staff;
let bj: Staff;
/** What the calls act on, made in beforeAll by the gz staff (and one bj delivery). */
const made = {} as {
  gzDeliveryId: string;
  bjDeliveryId: string;
  applicationToIssue: string;
  read: Issued;
  other: Issued;
  toReplace: Issued;
  toReissue: Issued;
  toVoid: Issued;
  toRegister: Issued;
  toRevoke: Issued;
  citizenOwn: string;
  citizenOther: string;
  signedJson: unknown;
  online: { deliveryId: string; applicationCode: string };
  onlineToReturn: { id: string; applicationCode: string };
  archiveId: string;
  collection: { slot: string; other: string; toClose: string; toHandOver: string; own: string };
};

const births = {
  read: bornBefore(fixtureRecords[0]!, NOW, 1),
  other: bornBefore(fixtureRecords[1]!, NOW, 2),
  toReplace: bornBefore(fixtureRecords[2]!, NOW, 3),
  toReissue: bornBefore(fixtureRecords[3]!, NOW, 4),
  toVoid: bornBefore(fixtureRecords[4]!, NOW, 5),
  toRegister: bornBefore(fixtureRecords[5]!, NOW, 6),
  toRevoke: bornBefore(fixtureRecords[6]!, NOW, 10),
  toIssue: withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 7), 1),
  gzApplication: withAnotherMother(bornBefore(fixtureRecords[2]!, NOW, 8), 1),
  bjApplication: withAnotherMother(bornBefore(fixtureRecords[1]!, NOW, 9, 'bj'), 1),
  online: withAnotherMother(bornBefore(fixtureRecords[5]!, NOW, 11), 1),
  onlineToReturn: withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 12), 2),
  toCollect: withAnotherMother(bornBefore(fixtureRecords[3]!, NOW, 13), 2),
};

/** What the parents type when they apply online. */
const onlineBody = (record: (typeof births)['online'], applicationCode: string) => ({
  applicationCode,
  motherIdNumber: record.mother.idNumber,
  newborn: { name: record.newborn.name },
  father: record.father,
  applicant: {
    name: record.mother.name,
    relation: 'mother',
    idType: record.mother.idType,
    idNumber: record.mother.idNumber,
  },
});

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  bj = await staffOf(svc, 'bj');
  made.read = await issueBirth(svc, gz, births.read);
  made.other = await issueBirth(svc, gz, births.other);
  made.toReplace = await issueBirth(svc, gz, births.toReplace);
  made.toReissue = await issueBirth(svc, gz, births.toReissue);
  made.toVoid = await issueBirth(svc, gz, births.toVoid);
  made.toRegister = await issueBirth(svc, gz, births.toRegister);
  made.toRevoke = await issueBirth(svc, gz, births.toRevoke);
  const toIssue = await recordDelivery(svc, gz.midwife, births.toIssue);
  made.applicationToIssue = (
    await submitApplication(svc, gz.issuer, applicationBodyFor(births.toIssue, toIssue.id))
  ).id;
  made.gzDeliveryId = (await recordDelivery(svc, gz.midwife, births.gzApplication)).id;
  made.bjDeliveryId = (await recordDelivery(svc, bj.midwife, births.bjApplication)).id;
  made.citizenOwn = await claimToken(svc, made.read, births.read.mother.idNumber);
  made.citizenOther = await claimToken(svc, made.other, births.other.mother.idNumber);
  made.signedJson = (await svc.request('GET', made.read.links.signedJson, { token: gz.issuer })).body;
  made.archiveId = (
    await svc.request('POST', `/api/v1/police-archives?${purpose}`, {
      token: await svc.token('police'),
      json: { certificateNo: made.read.certificateNo, caseNo: 'HJ-MATRIX-0' },
    })
  ).body.id;
  // The account the account routes act on: none of the callers, so disabling it signs no caller out.
  const { service } = svc.running;
  service.accounts.create(
    {
      username: 'matrix-target',
      passwordHash: await service.hasher.hash('matrix target old password'),
      role: 'statistician',
      institution: null,
    },
    new Date(),
  );
  const online = await recordDelivery(svc, gz.midwife, births.online);
  made.online = { deliveryId: online.id, applicationCode: online.applicationCode as string };
  const toReturn = await recordDelivery(svc, gz.midwife, births.onlineToReturn);
  const applied = await svc.request('POST', '/api/v1/citizen/applications', {
    json: onlineBody(births.onlineToReturn, toReturn.applicationCode as string),
  });
  made.onlineToReturn = { id: applied.body.id, applicationCode: toReturn.applicationCode as string };
  made.collection = await collectionAppointments();
});

/** 预约取证: gz slots, citizen/own booked (to move and cancel), another family booked to be handed over. */
async function collectionAppointments(): Promise<typeof made.collection> {
  const publish = async (hoursAhead: number) => {
    const res = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
      token: gz.issuer,
      json: slotBody(hoursAhead),
    });
    return res.body.id as string;
  };
  const [slot, other, toClose] = [await publish(26), await publish(28), await publish(30)];
  const book = async (token: string) =>
    (await svc.request('POST', '/api/v1/citizen/appointments', { token, json: { slotId: slot } })).body.id as string;
  const toCollect = await issueBirth(svc, gz, births.toCollect);
  const toHandOver = await book(await claimToken(svc, toCollect, births.toCollect.mother.idNumber));
  return { slot, other, toClose, toHandOver, own: await book(made.citizenOwn) };
}

/** A one-hour collection slot `hoursAhead` hours after NOW, in China time to the minute. */
function slotBody(hoursAhead: number) {
  const minute = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16)}+08:00`;
  const startsAt = NOW.getTime() + hoursAhead * 3_600_000;
  return { startsAt: minute(startsAt), endsAt: minute(startsAt + 3_600_000), capacity: 20 };
}
afterAll(async () => {
  await svc?.stop();
});

/** A token of the caller's own that no other call uses (sign-out ends it). */
async function freshTokenOf(caller: Caller): Promise<string | undefined> {
  if (caller === 'none') return undefined;
  if (caller.startsWith('citizen/')) {
    const [issued, birth] = caller === 'citizen/own' ? [made.read, births.read] : [made.other, births.other];
    return claimToken(svc, issued, birth.mother.idNumber);
  }
  const [role, at] = caller.split('/') as [string, 'gz' | 'bj' | undefined];
  const account = svc.accounts.find((a) => a.role === role && (at === undefined || a.username.endsWith(`-${at}`)))!;
  const res = await svc.request('POST', '/api/v1/auth/token', {
    json: { username: account.username, password: account.password },
  });
  return res.body.accessToken as string;
}

async function tokenOf(caller: Caller): Promise<string | undefined> {
  if (caller === 'none') return undefined;
  if (caller === 'citizen/own') return made.citizenOwn;
  if (caller === 'citizen/other') return made.citizenOther;
  const [role, at] = caller.split('/') as [string, 'gz' | 'bj' | undefined];
  return svc.token(role, at);
}

const purpose = `purpose=${encodeURIComponent('核验出生医学证明')}`;
const atOf = (caller: Caller): 'gz' | 'bj' => (caller.endsWith('/bj') ? 'bj' : 'gz');

/** One request per route: path and body, made so that an allowed caller succeeds. */
/** An RFC 3161 TimeStampReq: version 1, a SHA-256 imprint of 32 zero bytes, certReq. */
const timestampQuery = Buffer.from(`30390201013031300d060960864801650304020105000420${'00'.repeat(32)}0101ff`, 'hex');

const calls: Record<
  string,
  (caller: Caller) => { path: string; json?: unknown; body?: Uint8Array; headers?: Record<string, string> }
> = {
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /openapi.json': () => ({ path: '/openapi.json' }),
  'POST /api/v1/auth/token': () => {
    const admin = svc.accounts.find((a) => a.role === 'admin')!;
    return { path: '/api/v1/auth/token', json: { username: admin.username, password: admin.password } };
  },
  'POST /api/v1/deliveries': (caller) => ({
    path: '/api/v1/deliveries',
    json: deliveryBodyFor(bornBefore(fixtureRecords[3]!, NOW, 10, atOf(caller))),
  }),
  'POST /api/v1/applications': (caller) =>
    atOf(caller) === 'bj'
      ? { path: '/api/v1/applications', json: applicationBodyFor(births.bjApplication, made.bjDeliveryId) }
      : { path: '/api/v1/applications', json: applicationBodyFor(births.gzApplication, made.gzDeliveryId) },
  'POST /api/v1/applications/:id/issue': () => ({ path: `/api/v1/applications/${made.applicationToIssue}/issue` }),
  'GET /api/v1/certificates': () => ({
    path: `/api/v1/certificates?motherIdNumber=${births.read.mother.idNumber}&${purpose}`,
  }),
  'GET /api/v1/certificates/:no': () => ({ path: `${made.read.links.self}?${purpose}` }),
  'GET /api/v1/certificates/:no/signed.json': () => ({ path: `${made.read.links.signedJson}?${purpose}` }),
  'GET /api/v1/certificates/:no/pdf': () => ({ path: `${made.read.links.pdf}?${purpose}` }),
  'POST /api/v1/certificates/:no/replacements': () => ({
    path: `/api/v1/certificates/${made.toReplace.certificateNo}/replacements`,
    json: { reason: '更正新生儿姓名', changes: { newborn: { name: '艾力·买买江' } } },
  }),
  'POST /api/v1/certificates/:no/reissues': () => ({
    path: `/api/v1/certificates/${made.toReissue.certificateNo}/reissues`,
    json: { reason: '原证遗失' },
  }),
  'POST /api/v1/certificates/:no/void': () => ({
    path: `/api/v1/certificates/${made.toVoid.certificateNo}/void`,
    json: { reason: 'PRINT_ERROR' },
  }),
  'POST /api/v1/certificates/:no/revoke': () => ({
    path: `/api/v1/certificates/${made.toRevoke.certificateNo}/revoke`,
    json: { reason: '冒用他人身份申领' },
  }),
  // Not made.read: a new claim code ends the claim tokens of its certificate, citizen/own's among them.
  'POST /api/v1/certificates/:no/claim-code': () => ({
    path: `/api/v1/certificates/${made.toRegister.certificateNo}/claim-code`,
  }),
  'POST /api/v1/certificates/:no/household-registration': () => ({
    path: `/api/v1/certificates/${made.toRegister.certificateNo}/household-registration`,
    json: {
      childIdNumber: childIdNumber(births.toRegister.newborn.birthTime.slice(0, 10), births.toRegister.newborn.sex),
      registeredOn: chinaDateOf(NOW),
      policeUnit: '广州市公安局天河区分局天河南派出所',
    },
  }),
  'POST /api/v1/police-archives': () => ({
    path: `/api/v1/police-archives?${purpose}`,
    json: { certificateNo: made.read.certificateNo, caseNo: 'HJ-MATRIX-1' },
  }),
  'GET /api/v1/police-archives': () => ({ path: `/api/v1/police-archives?caseNo=HJ-MATRIX-1&${purpose}` }),
  'GET /api/v1/police-archives/:id': () => ({ path: `/api/v1/police-archives/${made.archiveId}?${purpose}` }),
  'POST /api/v1/citizen/claims': () => ({
    path: '/api/v1/citizen/claims',
    json: {
      certificateNo: made.other.certificateNo,
      motherIdNumber: births.other.mother.idNumber,
      claimCode: made.other.claimCode,
    },
  }),
  'POST /api/v1/verifications': () => ({ path: '/api/v1/verifications', json: { signedJson: made.signedJson } }),
  'GET /.well-known/jwks.json': () => ({ path: '/.well-known/jwks.json' }),
  'GET /api/v1/trust-list': () => ({ path: '/api/v1/trust-list' }),
  'GET /api/v1/pki/root.crl': () => ({ path: '/api/v1/pki/root.crl' }),
  'GET /api/v1/pki/root.crt': () => ({ path: '/api/v1/pki/root.crt' }),
  'POST /api/v1/timestamps': () => ({
    path: '/api/v1/timestamps',
    body: timestampQuery,
    headers: { 'content-type': 'application/timestamp-query' },
  }),
  'GET /api/v1/status-lists/:id': () => ({ path: '/api/v1/status-lists/1' }),
  'GET /api/v1/trust-bundle': () => ({ path: '/api/v1/trust-bundle' }),
  'GET /api/v1/institutions': () => ({ path: '/api/v1/institutions' }),
  'POST /api/v1/institutions/:creditCode/number-ranges': () => ({
    path: `/api/v1/institutions/${demo.bj.creditCode}/number-ranges`,
    json: { prefix: 'P', firstNo: 110_100_001, lastNo: 110_100_100 },
  }),
  'POST /api/v1/institutions/:creditCode/signing-keys': () => ({
    path: `/api/v1/institutions/${demo.bj.creditCode}/signing-keys`,
  }),
  'POST /api/v1/signing-keys/:kid/revoke': () => ({
    path: `/api/v1/signing-keys/${'A'.repeat(43)}/revoke`,
    json: { reason: '私钥疑似泄露' },
  }),
  'GET /api/v1/reports/sex-ratio': () => ({ path: '/api/v1/reports/sex-ratio' }),
  'GET /api/v1/reports/birth-register': () => ({
    path: `/api/v1/reports/birth-register?institution=${demo.gz.creditCode}`,
  }),
  'GET /api/v1/reports/certificate-usage-by-institution': () => ({
    path: '/api/v1/reports/certificate-usage-by-institution',
  }),
  'GET /api/v1/reports/certificate-usage': () => ({
    path: `/api/v1/reports/certificate-usage?institution=${demo.gz.creditCode}`,
  }),
  'GET /api/v1/audit-events': () => ({ path: '/api/v1/audit-events' }),
  'GET /api/v1/audit-events/verify': () => ({ path: '/api/v1/audit-events/verify' }),
  'GET /api/v1/audit-events/head': () => ({ path: '/api/v1/audit-events/head' }),
  'POST /api/v1/auth/sign-out': () => ({ path: '/api/v1/auth/sign-out' }),
  'GET /api/v1/accounts': () => ({ path: '/api/v1/accounts' }),
  'GET /api/v1/accounts/locks': () => ({ path: '/api/v1/accounts/locks' }),
  'POST /api/v1/accounts/:username/unlock': () => ({ path: '/api/v1/accounts/matrix-target/unlock' }),
  'POST /api/v1/accounts/:username/revoke-tokens': () => ({ path: '/api/v1/accounts/matrix-target/revoke-tokens' }),
  'POST /api/v1/accounts/:username/disable': () => ({ path: '/api/v1/accounts/matrix-target/disable' }),
  'POST /api/v1/accounts/:username/enable': () => ({ path: '/api/v1/accounts/matrix-target/enable' }),
  'POST /api/v1/accounts/:username/password': () => ({
    path: '/api/v1/accounts/matrix-target/password',
    json: { password: 'quiet harbour lanterns at dusk' },
  }),
  // The police account's own unit again: the archive rows read that unit's archives.
  'PUT /api/v1/accounts/:username/police-unit': () => ({
    path: `/api/v1/accounts/${svc.accounts.find((a) => a.role === 'police')!.username}/police-unit`,
    json: { policeUnit: demoPoliceUnit },
  }),
  'GET /api/v1/accounts/:username/identity-links': () => ({ path: '/api/v1/accounts/matrix-target/identity-links' }),
  'POST /api/v1/accounts/:username/identity-links': () => ({
    path: '/api/v1/accounts/matrix-target/identity-links',
    json: { issuer: 'https://idp.wsjkw.example.gov.cn', subject: 'matrix-subject' },
  }),
  'POST /api/v1/accounts/:username/identity-links/remove': () => ({
    path: '/api/v1/accounts/matrix-target/identity-links/remove',
    json: { issuer: 'https://idp.wsjkw.example.gov.cn', subject: 'matrix-subject' },
  }),
  'GET /api/v1/audit-checkpoints': () => ({ path: '/api/v1/audit-checkpoints' }),
  'GET /api/v1/audit-checkpoints/export': () => ({ path: '/api/v1/audit-checkpoints/export' }),
  'POST /api/v1/audit-checkpoints': () => ({ path: '/api/v1/audit-checkpoints' }),
  'POST /api/v1/subscriptions': () => ({
    path: '/api/v1/subscriptions',
    json: { url: 'http://127.0.0.1:9/birth-events', eventTypes: ['cn.birth-certificate.issued'] },
  }),
  'GET /api/v1/subscriptions': () => ({ path: '/api/v1/subscriptions' }),
  'DELETE /api/v1/subscriptions/:id': () => ({ path: '/api/v1/subscriptions/sub_unknown' }),
  'POST /api/v1/subscriptions/:id/secret-rotation': () => ({
    path: '/api/v1/subscriptions/sub_unknown/secret-rotation',
  }),
  'GET /api/v1/subscriptions/:id/deliveries': () => ({ path: '/api/v1/subscriptions/sub_unknown/deliveries' }),
  'POST /api/v1/subscriptions/:id/deliveries/:deliveryId/replay': () => ({
    path: '/api/v1/subscriptions/sub_unknown/deliveries/dlv_unknown/replay',
  }),
  'GET /api/v1/exports/births': () => ({
    path: `/api/v1/exports/births?from=2020-01-01&to=2030-01-01&format=csv&${purpose}`,
  }),
  'GET /api/v1/exports/births/manifest': () => ({
    path: `/api/v1/exports/births/manifest?from=2020-01-01&to=2030-01-01&${purpose}`,
  }),
  'POST /api/v1/citizen/applications': () => ({
    path: '/api/v1/citizen/applications',
    json: onlineBody(births.online, made.online.applicationCode),
  }),
  'POST /api/v1/citizen/application-sessions': () => ({
    path: '/api/v1/citizen/application-sessions',
    json: {
      applicationCode: made.onlineToReturn.applicationCode,
      motherIdNumber: births.onlineToReturn.mother.idNumber,
    },
  }),
  'GET /api/v1/citizen/applications/:id': () => ({ path: `/api/v1/citizen/applications/${made.onlineToReturn.id}` }),
  'PUT /api/v1/citizen/applications/:id': () => ({
    path: `/api/v1/citizen/applications/${made.onlineToReturn.id}`,
    json: onlineBody(births.onlineToReturn, ''),
  }),
  'GET /api/v1/citizen/applications/:id/pdf': () => ({
    path: `/api/v1/citizen/applications/${made.onlineToReturn.id}/pdf`,
  }),
  'GET /api/v1/citizen/applications/:id/signed.json': () => ({
    path: `/api/v1/citizen/applications/${made.onlineToReturn.id}/signed.json`,
  }),
  'GET /api/v1/applications': () => ({ path: '/api/v1/applications?status=submitted' }),
  'POST /api/v1/applications/:id/return': () => ({
    path: `/api/v1/applications/${made.onlineToReturn.id}/return`,
    json: { reason: '请核对父亲的身份证件号码' },
  }),
  'GET /api/v1/institutions/:code/collection-slots': () => ({
    path: `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`,
  }),
  'POST /api/v1/institutions/:code/collection-slots': (caller) => ({
    path: `/api/v1/institutions/${demo[atOf(caller)].creditCode}/collection-slots`,
    json: slotBody(48),
  }),
  'POST /api/v1/collection-slots/:id/close': () => ({
    path: `/api/v1/collection-slots/${made.collection.toClose}/close`,
  }),
  'GET /api/v1/institutions/:code/collection-appointments': () => ({
    path: `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments`,
  }),
  'POST /api/v1/collection-appointments/:id/handover': () => ({
    path: `/api/v1/collection-appointments/${made.collection.toHandOver}/handover`,
  }),
  'GET /api/v1/citizen/appointments': () => ({ path: '/api/v1/citizen/appointments' }),
  'POST /api/v1/citizen/appointments': () => ({
    path: '/api/v1/citizen/appointments',
    json: { slotId: made.collection.slot },
  }),
  'PUT /api/v1/citizen/appointments/:id': () => ({
    path: `/api/v1/citizen/appointments/${made.collection.own}`,
    json: { slotId: made.collection.other },
  }),
  'DELETE /api/v1/citizen/appointments/:id': () => ({ path: `/api/v1/citizen/appointments/${made.collection.own}` }),
};

describe('the access matrix', () => {
  it('has a row for every route the service documents, and a call for every row', async () => {
    const openApi = await svc.request('GET', '/openapi.json');
    const documented = Object.entries(openApi.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const rows = expected.map(([route]) => route);
    expect([...rows].sort()).toEqual([...documented].sort());
    expect(Object.keys(calls).sort()).toEqual([...rows].sort());
    for (const [route, ...statuses] of expected) expect(statuses, route).toHaveLength(callers.length);
  });

  it.each(expected.map(([route, ...statuses]) => [route, statuses] as const))('%s', async (route, statuses) => {
    const want: Record<string, number> = {};
    const got: Record<string, number> = {};
    const bodies: Record<string, unknown> = {};
    for (const [index, caller] of callers.entries()) {
      const { path, json, body, headers } = calls[route]!(caller);
      const method = route.split(' ')[0]!;
      const token = route === 'POST /api/v1/auth/sign-out' ? await freshTokenOf(caller) : await tokenOf(caller);
      const res = await svc.request(method, path, { token, json, ...(body ? { body, headers } : {}) });
      want[caller] = statuses[index]!;
      got[caller] = res.status;
      if (res.status >= 400) bodies[caller] = res.body?.error?.code;
    }
    expect(got, JSON.stringify(bodies)).toEqual(want);
  });

  it("keeps an issuer off the other institution's stock numbers and delivery records", async () => {
    const gzStock = await svc.request('POST', `/api/v1/certificates/${demo.gz.numbers.prefix}440099999/void`, {
      token: bj.issuer,
      json: { reason: 'LOST_BLANK' },
    });
    expect(gzStock.status).toBe(403);
    expect(gzStock.body).toEqual({
      error: { code: 'FORBIDDEN', message: 'The number belongs to another institution', details: [] },
    });
    // Wrong institution → 403, as API.md says; ids are random, so this reveals nothing useful.
    const gzDelivery = await svc.request('POST', '/api/v1/applications', {
      token: bj.issuer,
      json: applicationBodyFor(births.gzApplication, made.gzDeliveryId),
    });
    expect(gzDelivery.status).toBe(403);
    expect(gzDelivery.body.error.details).toEqual([{ path: 'deliveryId', message: 'recorded by another institution' }]);
  });

  it('answers 401 with UNAUTHENTICATED and 403 with FORBIDDEN', async () => {
    const none = await svc.request('GET', made.read.links.self);
    expect(none.body).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message: 'This route needs Authorization: Bearer <accessToken>',
        details: [],
      },
    });
    const otherInstitution = await svc.request('GET', made.read.links.self, { token: bj.issuer });
    expect(otherInstitution.body).toEqual({
      error: { code: 'FORBIDDEN', message: 'The certificate was issued by another institution', details: [] },
    });
  });
});
