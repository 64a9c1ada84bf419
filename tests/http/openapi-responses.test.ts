import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { backfillBatch } from '../../src/domain/lifecycle/backfill.ts';
import { BINARY_MEDIA_TYPES } from '../../src/http/openapi.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { demoPoliceUnit } from '../../src/setup/demo-trust-domain.ts';
import {
  applicationBodyFor,
  certificateFor,
  chinaTime,
  deliveryBodyFor,
  type FixtureRecord,
  fixtureRecords,
  withAnotherMother,
  withBirthTime,
} from '../fixtures/records.ts';
import { testEnvironment } from './demo-data-dir.ts';
import { startTestService, type TestService } from './harness.ts';
import {
  bornBefore,
  childIdNumber,
  chinaDateOf,
  claimToken,
  demo,
  frozenClock,
  type Issued,
  issueApplication,
  issueBirth,
  qrTextOf,
  recordDelivery,
  type Staff,
  staffOf,
  submitApplication,
} from './lifecycle-helpers.ts';
import { type Receiver, startReceiver } from './webhook-receiver.ts';

/**
 * Every route of the served OpenAPI document is called, and what it answers is checked against
 * what the document says it answers: the status is documented, and the body validates (ajv) against
 * the documented schema of that status and media type. A route this table does not call, or whose
 * success response has no real schema, fails here, so a new route cannot go undocumented.
 */

const { now: NOW } = frozenClock();
let t = NOW.getTime();
const clock = { now: () => new Date(t) };

let svc: TestService;
let gz: Staff;
let openApi: OpenApiDocument;
let receiver: Receiver;

interface MediaType {
  schema?: Record<string, unknown>;
  example?: unknown;
  'x-itemSchema'?: Record<string, unknown>;
}
interface Operation {
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

/** A request of the table: who calls (a demo role, a citizen token, or nobody) and what. */
interface Call {
  token?: () => Promise<string | undefined>;
  path: string;
  json?: unknown;
  body?: Uint8Array;
  headers?: Record<string, string>;
}

/** An RFC 3161 TimeStampReq: version 1, a SHA-256 imprint of zeros, certReq. */
const timestampQuery = Buffer.from(`30390201013031300d060960864801650304020105000420${'00'.repeat(32)}0101ff`, 'hex');

const made = {} as {
  read: Issued;
  toReplace: Issued;
  toReissue: Issued;
  toVoid: Issued;
  toRegister: Issued;
  toRevoke: Issued;
  toClaim: Issued;
  applicationToIssue: string;
  deliveryId: string;
  signedJson: unknown;
  pdf: Uint8Array;
  citizen: string;
  bjKid: string;
  statusList: string;
  subscription: string;
  subscriptionToRemove: string;
  deliveredId: string;
  /** 线上申领: applications of the parents, each left in the state its calls need. */
  online: Record<'story' | 'toCorrect' | 'toReturn', OnlineApplication> & { codeToApply: string };
  backfilledNo: string;
  archiveId: string;
  /** 预约取证: slots of the Guangzhou institution and appointments left for the table's calls. */
  collection: { slot: string; other: string; toClose: string; toHandOver: string; toChange: string; date: string };
};

interface OnlineApplication {
  id: string;
  token: string;
  code: string;
}

const births = {
  read: bornBefore(fixtureRecords[0]!, NOW, 1),
  toReplace: bornBefore(fixtureRecords[2]!, NOW, 3),
  toReissue: bornBefore(fixtureRecords[3]!, NOW, 4),
  toVoid: bornBefore(fixtureRecords[4]!, NOW, 5),
  toRegister: bornBefore(fixtureRecords[5]!, NOW, 6),
  toRevoke: bornBefore(fixtureRecords[6]!, NOW, 10),
  toClaim: bornBefore(fixtureRecords[1]!, NOW, 2),
  toIssue: withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 7), 1),
  toApply: withAnotherMother(bornBefore(fixtureRecords[2]!, NOW, 8), 1),
  onlineStory: withAnotherMother(bornBefore(fixtureRecords[0]!, NOW, 12), 2),
  onlineToCorrect: withAnotherMother(bornBefore(fixtureRecords[2]!, NOW, 13), 2),
  onlineToReturn: withAnotherMother(bornBefore(fixtureRecords[3]!, NOW, 14), 2),
  onlineToApply: withAnotherMother(bornBefore(fixtureRecords[5]!, NOW, 15), 2),
  toCollect: withAnotherMother(bornBefore(fixtureRecords[1]!, NOW, 16), 3),
};

/** What the parents type online: the newborn's name, the father and who applies (the mother). */
const parentsItems = (record: FixtureRecord, newbornName = record.newborn.name) => ({
  newborn: { name: newbornName },
  father: record.father,
  applicant: {
    name: record.mother.name,
    relation: 'mother',
    idType: record.mother.idType,
    idNumber: record.mother.idNumber,
  },
});
const parentsOf = (application: OnlineApplication) => async () => application.token;
const returnReason = '新生儿姓名与户口簿拟登记姓名不一致，请核对';

const as = (role: string, at?: 'gz' | 'bj') => () => svc.token(role, at);
const purpose = `purpose=${encodeURIComponent('核验出生医学证明')}`;
/** A period holding every birth of this test (each born hours before NOW). */
const period = `from=${chinaDateOf(new Date(NOW.getTime() - 30 * 86_400_000))}&to=${chinaDateOf(new Date(NOW.getTime() + 86_400_000))}`;
const sharing = `${period}&purpose=${encodeURIComponent('出生一件事：户口登记')}`;

/** One or more requests per route, each answered with a documented status. */
const calls: Record<string, () => Call[]> = {
  'GET /healthz': () => [{ path: '/healthz' }],
  'GET /openapi.json': () => [{ path: '/openapi.json' }],
  'POST /api/v1/auth/token': () => {
    const admin = svc.accounts.find((a) => a.role === 'admin')!;
    return [
      { path: '/api/v1/auth/token', json: { username: admin.username, password: admin.password } },
      { path: '/api/v1/auth/token', json: { username: admin.username, password: 'not the password at all' } },
    ];
  },
  'POST /api/v1/auth/sign-out': () => [
    {
      token: async () => {
        const auditor = svc.accounts.find((a) => a.role === 'auditor')!;
        const res = await svc.request('POST', '/api/v1/auth/token', {
          json: { username: auditor.username, password: auditor.password },
        });
        return res.body.accessToken as string;
      },
      path: '/api/v1/auth/sign-out',
    },
  ],
  'POST /api/v1/deliveries': () => [
    {
      token: as('midwife', 'gz'),
      path: '/api/v1/deliveries',
      json: deliveryBodyFor(bornBefore(fixtureRecords[3]!, NOW, 11)),
    },
    { token: as('midwife', 'gz'), path: '/api/v1/deliveries', json: {} },
  ],
  'POST /api/v1/applications': () => [
    {
      token: as('issuer', 'gz'),
      path: '/api/v1/applications',
      json: applicationBodyFor(births.toApply, made.deliveryId),
    },
  ],
  'POST /api/v1/applications/:id/issue': () => [
    { token: as('issuer', 'gz'), path: `/api/v1/applications/${made.applicationToIssue}/issue` },
    // A retry answers 200 with the same certificate.
    { token: as('issuer', 'gz'), path: `/api/v1/applications/${made.applicationToIssue}/issue` },
  ],
  'GET /api/v1/certificates': () => [
    {
      token: as('police'),
      path: `/api/v1/certificates?motherIdNumber=${births.read.mother.idNumber}&${purpose}`,
    },
    { token: as('agency'), path: `/api/v1/certificates?motherIdNumber=${births.read.mother.idNumber}&${purpose}` },
  ],
  'GET /api/v1/certificates/:no': () => [
    { token: as('issuer', 'gz'), path: made.read.links.self },
    { token: as('police'), path: `${made.toRegister.links.self}?${purpose}` },
    { token: as('issuer', 'gz'), path: made.toReplace.links.self },
    { token: as('issuer', 'gz'), path: '/api/v1/certificates/Q440000001' },
    // A back-issued (补录) paper certificate: the record says so.
    { token: as('issuer', 'gz'), path: `/api/v1/certificates/${made.backfilledNo}` },
  ],
  'GET /api/v1/certificates/:no/signed.json': () => [
    { token: as('issuer', 'gz'), path: made.read.links.signedJson },
    { token: async () => made.citizen, path: made.read.links.signedJson },
  ],
  'GET /api/v1/certificates/:no/pdf': () => [{ token: as('issuer', 'gz'), path: made.read.links.pdf }],
  'POST /api/v1/certificates/:no/replacements': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/certificates/${made.toReplace.certificateNo}/replacements`,
      json: { reason: '更正新生儿姓名', changes: { newborn: { name: '艾力·买买江' } } },
    },
  ],
  'POST /api/v1/certificates/:no/reissues': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/certificates/${made.toReissue.certificateNo}/reissues`,
      json: { reason: '原证遗失' },
    },
  ],
  'POST /api/v1/certificates/:no/void': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/certificates/${made.toVoid.certificateNo}/void`,
      json: { reason: 'PRINT_ERROR' },
    },
  ],
  'POST /api/v1/certificates/:no/revoke': () => [
    {
      token: as('admin'),
      path: `/api/v1/certificates/${made.toRevoke.certificateNo}/revoke`,
      json: { reason: '冒用他人身份申领' },
    },
  ],
  'POST /api/v1/certificates/:no/claim-code': () => [
    { token: as('issuer', 'gz'), path: `/api/v1/certificates/${made.toClaim.certificateNo}/claim-code` },
  ],
  'POST /api/v1/certificates/:no/household-registration': () => [
    {
      token: as('police'),
      path: `/api/v1/certificates/${made.toRegister.certificateNo}/household-registration`,
      json: {
        childIdNumber: childIdNumber(births.toRegister.newborn.birthTime.slice(0, 10), births.toRegister.newborn.sex),
        registeredOn: chinaDateOf(NOW),
        policeUnit: '广州市公安局天河区分局天河南派出所',
        registeredName: '改了名',
        householdPlace: { divisionCode: '440106', address: '广东省广州市天河区体育东路 88 号' },
      },
    },
  ],
  'POST /api/v1/police-archives': () => [
    {
      token: as('police'),
      path: `/api/v1/police-archives?${purpose}`,
      json: { certificateNo: made.read.certificateNo, caseNo: 'HJ-2026-0001' },
    },
  ],
  'GET /api/v1/police-archives': () => [
    { token: as('police'), path: `/api/v1/police-archives?caseNo=HJ-2026-0001&${purpose}` },
  ],
  'GET /api/v1/police-archives/:id': () => [
    { token: as('police'), path: `/api/v1/police-archives/${made.archiveId}?${purpose}` },
  ],
  'POST /api/v1/citizen/claims': () => [
    {
      path: '/api/v1/citizen/claims',
      json: {
        certificateNo: made.read.certificateNo,
        motherIdNumber: births.read.mother.idNumber,
        claimCode: made.read.claimCode,
      },
    },
  ],
  'POST /api/v1/citizen/applications': () => {
    const apply = (applicationCode: string) => ({
      path: '/api/v1/citizen/applications',
      json: {
        applicationCode,
        motherIdNumber: births.onlineToApply.mother.idNumber,
        ...parentsItems(births.onlineToApply),
      },
    });
    // A wrong code (401), the code from the delivery record (201), the same code again (409).
    return [apply('ABCDEFGHJK'), apply(made.online.codeToApply), apply(made.online.codeToApply)];
  },
  'POST /api/v1/citizen/application-sessions': () => [
    {
      path: '/api/v1/citizen/application-sessions',
      json: { applicationCode: made.online.story.code, motherIdNumber: births.onlineStory.mother.idNumber },
    },
  ],
  'GET /api/v1/citizen/applications/:id': () => [
    { token: parentsOf(made.online.story), path: `/api/v1/citizen/applications/${made.online.story.id}` },
    { token: parentsOf(made.online.toCorrect), path: `/api/v1/citizen/applications/${made.online.toCorrect.id}` },
    { token: parentsOf(made.online.toReturn), path: `/api/v1/citizen/applications/${made.online.toReturn.id}` },
    { token: parentsOf(made.online.story), path: `/api/v1/citizen/applications/${made.online.toReturn.id}` },
    { path: `/api/v1/citizen/applications/${made.online.story.id}` },
  ],
  'PUT /api/v1/citizen/applications/:id': () => [
    {
      token: parentsOf(made.online.toCorrect),
      path: `/api/v1/citizen/applications/${made.online.toCorrect.id}`,
      json: parentsItems(births.onlineToCorrect, '李沐阳'),
    },
    {
      token: parentsOf(made.online.story),
      path: `/api/v1/citizen/applications/${made.online.story.id}`,
      json: parentsItems(births.onlineStory),
    },
  ],
  'GET /api/v1/citizen/applications/:id/pdf': () => [
    { token: parentsOf(made.online.story), path: `/api/v1/citizen/applications/${made.online.story.id}/pdf` },
    { token: parentsOf(made.online.toReturn), path: `/api/v1/citizen/applications/${made.online.toReturn.id}/pdf` },
  ],
  'GET /api/v1/citizen/applications/:id/signed.json': () => [
    {
      token: parentsOf(made.online.story),
      path: `/api/v1/citizen/applications/${made.online.story.id}/signed.json`,
    },
  ],
  'GET /api/v1/applications': () => [
    { token: as('issuer', 'gz'), path: '/api/v1/applications' },
    { token: as('issuer', 'gz'), path: '/api/v1/applications?status=returned' },
    { token: as('issuer', 'gz'), path: '/api/v1/applications?status=issued' },
    { token: as('issuer', 'gz'), path: '/api/v1/applications?status=lost' },
  ],
  'POST /api/v1/applications/:id/return': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/applications/${made.online.toReturn.id}/return`,
      json: { reason: returnReason },
    },
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/applications/${made.online.story.id}/return`,
      json: { reason: returnReason },
    },
  ],
  'POST /api/v1/verifications': () => [
    { path: '/api/v1/verifications', json: { signedJson: made.signedJson } },
    { path: '/api/v1/verifications', json: { signedJson: 'not a signed e-licence' } },
    { path: '/api/v1/verifications', body: made.pdf, headers: { 'content-type': 'application/pdf' } },
  ],
  'GET /.well-known/jwks.json': () => [{ path: '/.well-known/jwks.json' }],
  'GET /api/v1/trust-list': () => [{ path: '/api/v1/trust-list' }],
  'GET /api/v1/trust-bundle': () => [{ token: as('police'), path: '/api/v1/trust-bundle' }],
  'GET /api/v1/status-lists/:id': () => [{ path: made.statusList }, { path: '/api/v1/status-lists/999' }],
  'GET /api/v1/pki/root.crl': () => [{ path: '/api/v1/pki/root.crl' }],
  'GET /api/v1/pki/root.crt': () => [{ path: '/api/v1/pki/root.crt' }],
  'POST /api/v1/timestamps': () => [
    { path: '/api/v1/timestamps', body: timestampQuery, headers: { 'content-type': 'application/timestamp-query' } },
    {
      path: '/api/v1/timestamps',
      body: Buffer.from('not a query'),
      headers: { 'content-type': 'application/timestamp-query' },
    },
  ],
  'POST /api/v1/subscriptions': () => [
    {
      token: as('admin'),
      path: '/api/v1/subscriptions',
      json: {
        url: 'http://127.0.0.1:9/birth-events',
        eventTypes: ['cn.birth-certificate.household-registered'],
        divisions: ['440100'],
        description: '广州市公安局户政：出生一件事',
      },
    },
    {
      token: as('admin'),
      path: '/api/v1/subscriptions',
      json: { url: 'http://gaj.example.gov.cn/birth-events', eventTypes: ['cn.birth-certificate.issued'] },
    },
  ],
  'GET /api/v1/subscriptions': () => [{ token: as('admin'), path: '/api/v1/subscriptions' }],
  'DELETE /api/v1/subscriptions/:id': () => [
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscriptionToRemove}` },
    { token: as('admin'), path: '/api/v1/subscriptions/sub_unknown' },
  ],
  'POST /api/v1/subscriptions/:id/secret-rotation': () => [
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/secret-rotation` },
  ],
  'GET /api/v1/subscriptions/:id/deliveries': () => [
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/deliveries` },
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/deliveries?status=delivered&limit=2` },
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/deliveries?limit=0` },
  ],
  'POST /api/v1/subscriptions/:id/deliveries/:deliveryId/replay': () => [
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/deliveries/${made.deliveredId}/replay` },
    { token: as('admin'), path: `/api/v1/subscriptions/${made.subscription}/deliveries/dlv_unknown/replay` },
  ],
  'GET /api/v1/exports/births': () => [
    { token: as('agency'), path: `/api/v1/exports/births?${sharing}&format=csv` },
    { token: as('statistician'), path: `/api/v1/exports/births?${period}&format=ndjson` },
    { token: as('agency'), path: `/api/v1/exports/births?${period}&format=csv` },
  ],
  'GET /api/v1/exports/births/manifest': () => [
    { token: as('agency'), path: `/api/v1/exports/births/manifest?${sharing}&division=440100` },
    { token: as('statistician'), path: `/api/v1/exports/births/manifest?${period}&institution=${demo.gz.creditCode}` },
  ],
  'GET /api/v1/institutions': () => [{ token: as('admin'), path: '/api/v1/institutions' }],
  'POST /api/v1/institutions/:creditCode/number-ranges': () => [
    {
      token: as('admin'),
      path: `/api/v1/institutions/${demo.bj.creditCode}/number-ranges`,
      json: { prefix: 'P', firstNo: 110_100_001, lastNo: 110_100_100 },
    },
  ],
  'POST /api/v1/institutions/:creditCode/signing-keys': () => [
    { token: as('admin'), path: `/api/v1/institutions/${demo.bj.creditCode}/signing-keys` },
  ],
  'POST /api/v1/signing-keys/:kid/revoke': () => [
    {
      token: as('admin'),
      path: `/api/v1/signing-keys/${made.bjKid}/revoke`,
      json: { reason: '私钥疑似泄露' },
    },
    { token: as('admin'), path: `/api/v1/signing-keys/${'A'.repeat(43)}/revoke`, json: { reason: '私钥疑似泄露' } },
  ],
  'GET /api/v1/reports/sex-ratio': () => [
    { token: as('statistician'), path: '/api/v1/reports/sex-ratio' },
    { token: as('statistician'), path: '/api/v1/reports/sex-ratio?groupBy=division' },
    { token: as('statistician'), path: '/api/v1/reports/sex-ratio?groupBy=month' },
  ],
  'GET /api/v1/reports/certificate-usage-by-institution': () => [
    { token: as('statistician'), path: '/api/v1/reports/certificate-usage-by-institution' },
    { token: as('statistician'), path: '/api/v1/reports/certificate-usage-by-institution?from=2026-13-01' },
  ],
  'GET /api/v1/reports/birth-register': () => [
    { token: as('statistician'), path: `/api/v1/reports/birth-register?institution=${demo.gz.creditCode}` },
  ],
  'GET /api/v1/reports/certificate-usage': () => [
    { token: as('statistician'), path: `/api/v1/reports/certificate-usage?institution=${demo.gz.creditCode}` },
  ],
  'GET /api/v1/audit-events': () => [
    { token: as('auditor'), path: '/api/v1/audit-events?limit=2' },
    { token: as('auditor'), path: '/api/v1/audit-events?action=certificate.issued&from=2020-01-01' },
    { token: as('auditor'), path: '/api/v1/audit-events?certificateNo=bad' },
  ],
  'GET /api/v1/audit-events/verify': () => [
    { token: as('auditor'), path: '/api/v1/audit-events/verify' },
    { token: as('auditor'), path: `/api/v1/audit-events/verify?seq=1&hash=${'0'.repeat(64)}` },
  ],
  'GET /api/v1/audit-events/head': () => [{ token: as('auditor'), path: '/api/v1/audit-events/head' }],
  'GET /api/v1/audit-checkpoints': () => [{ token: as('auditor'), path: '/api/v1/audit-checkpoints' }],
  'GET /api/v1/audit-checkpoints/export': () => [{ token: as('auditor'), path: '/api/v1/audit-checkpoints/export' }],
  'POST /api/v1/audit-checkpoints': () => [{ token: as('auditor'), path: '/api/v1/audit-checkpoints' }],
  'GET /api/v1/accounts': () => [{ token: as('admin'), path: '/api/v1/accounts' }],
  'GET /api/v1/accounts/locks': () => [{ token: as('admin'), path: '/api/v1/accounts/locks' }],
  'POST /api/v1/accounts/:username/unlock': () => [
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/unlock' },
  ],
  'POST /api/v1/accounts/:username/revoke-tokens': () => [
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/revoke-tokens' },
  ],
  'POST /api/v1/accounts/:username/disable': () => [
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/disable' },
  ],
  'POST /api/v1/accounts/:username/enable': () => [
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/enable' },
  ],
  'GET /api/v1/accounts/:username/identity-links': () => [
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/identity-links' },
  ],
  'POST /api/v1/accounts/:username/identity-links': () => [
    {
      token: as('admin'),
      path: '/api/v1/accounts/openapi-target/identity-links',
      json: { issuer: 'https://idp.wsjkw.example.gov.cn', subject: 'openapi-subject' },
    },
  ],
  'POST /api/v1/accounts/:username/identity-links/remove': () => [
    {
      token: as('admin'),
      path: '/api/v1/accounts/openapi-target/identity-links/remove',
      json: { issuer: 'https://idp.wsjkw.example.gov.cn', subject: 'openapi-subject' },
    },
  ],
  'PUT /api/v1/accounts/:username/police-unit': () => [
    {
      token: as('admin'),
      path: `/api/v1/accounts/${svc.accounts.find((a) => a.role === 'police')!.username}/police-unit`,
      json: { policeUnit: demoPoliceUnit },
    },
    { token: as('admin'), path: '/api/v1/accounts/openapi-target/police-unit', json: { policeUnit: demoPoliceUnit } },
    { token: as('admin'), path: '/api/v1/accounts/nobody-here/police-unit', json: { policeUnit: demoPoliceUnit } },
  ],
  'POST /api/v1/accounts/:username/password': () => [
    {
      token: as('admin'),
      path: '/api/v1/accounts/openapi-target/password',
      json: { password: 'quiet harbour lanterns at dusk' },
    },
  ],
  'GET /api/v1/institutions/:code/collection-slots': () => [
    { path: `/api/v1/institutions/${demo.gz.creditCode}/collection-slots` },
    { path: '/api/v1/institutions/12440106000000000X/collection-slots' },
  ],
  'POST /api/v1/institutions/:code/collection-slots': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`,
      json: {
        startsAt: chinaMinute(NOW.getTime() + 50 * 3_600_000),
        endsAt: chinaMinute(NOW.getTime() + 51 * 3_600_000),
        capacity: 5,
      },
    },
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`,
      json: { startsAt: chinaMinute(NOW.getTime() - 3_600_000), endsAt: chinaMinute(NOW.getTime()), capacity: 5 },
    },
  ],
  'POST /api/v1/collection-slots/:id/close': () => [
    { token: as('issuer', 'gz'), path: `/api/v1/collection-slots/${made.collection.toClose}/close` },
    { token: as('issuer', 'gz'), path: '/api/v1/collection-slots/SAAAAAAAAAAAAAAAA/close' },
  ],
  'GET /api/v1/institutions/:code/collection-appointments': () => [
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments?date=${made.collection.date}`,
    },
    { token: as('issuer', 'gz'), path: `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments` },
    {
      token: as('issuer', 'gz'),
      path: `/api/v1/institutions/${demo.gz.creditCode}/collection-appointments?date=tomorrow`,
    },
  ],
  'POST /api/v1/collection-appointments/:id/handover': () => [
    { token: as('issuer', 'gz'), path: `/api/v1/collection-appointments/${made.collection.toHandOver}/handover` },
    { token: as('issuer', 'gz'), path: `/api/v1/collection-appointments/${made.collection.toHandOver}/handover` },
  ],
  'GET /api/v1/citizen/appointments': () => [
    { token: async () => made.citizen, path: '/api/v1/citizen/appointments' },
    { token: parentsOf(made.online.story), path: '/api/v1/citizen/appointments' },
    { path: '/api/v1/citizen/appointments' },
  ],
  'POST /api/v1/citizen/appointments': () => [
    { token: async () => made.citizen, path: '/api/v1/citizen/appointments', json: { slotId: made.collection.slot } },
    // The online application's token: its birth already has an appointment.
    {
      token: parentsOf(made.online.story),
      path: '/api/v1/citizen/appointments',
      json: { slotId: made.collection.slot },
    },
    { token: async () => made.citizen, path: '/api/v1/citizen/appointments', json: { slotId: 'x' } },
  ],
  'PUT /api/v1/citizen/appointments/:id': () => [
    {
      token: parentsOf(made.online.story),
      path: `/api/v1/citizen/appointments/${made.collection.toChange}`,
      json: { slotId: made.collection.other },
    },
    {
      token: async () => made.citizen,
      path: `/api/v1/citizen/appointments/${made.collection.toChange}`,
      json: { slotId: made.collection.other },
    },
  ],
  'DELETE /api/v1/citizen/appointments/:id': () => [
    { token: parentsOf(made.online.story), path: `/api/v1/citizen/appointments/${made.collection.toChange}` },
    { token: parentsOf(made.online.story), path: `/api/v1/citizen/appointments/${made.collection.toChange}` },
  ],
};

/** `2026-12-01T09:00+08:00` for an instant: the minute in China time. */
const chinaMinute = (ms: number) => `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16)}+08:00`;

/**
 * 预约取证: slots a day ahead; one family (a claim token) booked to be handed over, the online
 * application's family booked to be moved and cancelled, and a slot to close.
 */
async function collectionAppointments(): Promise<typeof made.collection> {
  const publish = async (hoursAhead: number) => {
    const startsAt = NOW.getTime() + hoursAhead * 3_600_000;
    const res = await svc.request('POST', `/api/v1/institutions/${demo.gz.creditCode}/collection-slots`, {
      token: gz.issuer,
      json: { startsAt: chinaMinute(startsAt), endsAt: chinaMinute(startsAt + 3_600_000), capacity: 3 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const [slot, other, toClose] = [await publish(26), await publish(28), await publish(30)];
  const book = async (token: string) => {
    const res = await svc.request('POST', '/api/v1/citizen/appointments', { token, json: { slotId: slot } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const toCollect = await issueBirth(svc, gz, births.toCollect);
  const toHandOver = await book(await claimToken(svc, toCollect, births.toCollect.mother.idNumber));
  const toChange = await book(made.online.story.token);
  const date = chinaDateOf(new Date(NOW.getTime() + 26 * 3_600_000));
  return { slot, other, toClose, toHandOver, toChange, date };
}

beforeAll(async () => {
  svc = await startTestService({ clock, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
  gz = await staffOf(svc, 'gz');
  // An agency's endpoint on loopback, subscribed before the births so their events reach it.
  receiver = await startReceiver();
  receiver.now = clock.now;
  const subscribe = async (url: string) => {
    const res = await svc.request('POST', '/api/v1/subscriptions', {
      token: await svc.token('admin'),
      json: { url, eventTypes: ['cn.birth-certificate.issued'] },
    });
    return res.body as { id: string; secret: string };
  };
  const subscription = await subscribe(receiver.url);
  receiver.secrets = [subscription.secret];
  made.subscription = subscription.id;
  made.subscriptionToRemove = (await subscribe(`http://127.0.0.1:9/removed`)).id;
  made.read = await issueBirth(svc, gz, births.read);
  made.toReplace = await issueBirth(svc, gz, births.toReplace);
  made.toReissue = await issueBirth(svc, gz, births.toReissue);
  made.toVoid = await issueBirth(svc, gz, births.toVoid);
  made.toRegister = await issueBirth(svc, gz, births.toRegister);
  made.toRevoke = await issueBirth(svc, gz, births.toRevoke);
  made.toClaim = await issueBirth(svc, gz, births.toClaim);
  const toIssue = await recordDelivery(svc, gz.midwife, births.toIssue);
  made.applicationToIssue = (
    await submitApplication(svc, gz.issuer, applicationBodyFor(births.toIssue, toIssue.id))
  ).id;
  made.deliveryId = (await recordDelivery(svc, gz.midwife, births.toApply)).id;
  made.citizen = await claimToken(svc, made.read, births.read.mother.idNumber);
  made.online = await onlineApplications();
  made.collection = await collectionAppointments();
  made.backfilledNo = await backIssuePaperCertificate();
  made.signedJson = (await svc.request('GET', made.read.links.signedJson, { token: gz.issuer })).body;
  made.pdf = (await svc.request('GET', made.read.links.pdf, { token: gz.issuer })).body;
  made.archiveId = (
    await svc.request('POST', `/api/v1/police-archives?${purpose}`, {
      token: await svc.token('police'),
      json: { certificateNo: made.toReissue.certificateNo, caseNo: 'HJ-2026-0002' },
    })
  ).body.id;
  await qrTextOf(made.pdf);
  const { service } = svc.running;
  service.accounts.create(
    {
      username: 'openapi-target',
      passwordHash: await service.hasher.hash('openapi target old password'),
      role: 'statistician',
      institution: null,
    },
    new Date(),
  );
  const jwks = (await svc.request('GET', '/.well-known/jwks.json')).body as {
    keys: { kid: string; institution: { creditCode: string } }[];
  };
  made.bjKid = jwks.keys.find((k) => k.institution.creditCode === demo.bj.creditCode)!.kid;
  const payload = JSON.parse(Buffer.from((made.signedJson as { payload: string }).payload, 'base64url').toString());
  made.statusList = new URL(payload.status.status_list.uri).pathname;
  await svc.running.service.webhooks.drain();
  const deliveries = await svc.request(
    'GET',
    `/api/v1/subscriptions/${made.subscription}/deliveries?status=delivered`,
    {
      token: await svc.token('admin'),
    },
  );
  made.deliveredId = deliveries.body.deliveries[0].id;
  // An export reads the register as of at least 2 minutes ago: let the births settle.
  t += 3 * 60_000;
  openApi = (await svc.request('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await svc?.stop();
  await receiver?.close();
});

/**
 * 线上申领 over HTTP: the midwife records each delivery (its 201 carries the application code), the
 * parents apply with the code. One goes the whole way (returned, corrected, issued: the table
 * downloads it), one is left returned (the table corrects it), one submitted (the table returns
 * it), and one code is left unused (the table applies with it).
 */
async function onlineApplications(): Promise<typeof made.online> {
  const deliver = async (record: FixtureRecord) =>
    (await recordDelivery(svc, gz.midwife, record)).applicationCode as string;
  const apply = async (record: FixtureRecord): Promise<OnlineApplication> => {
    const code = await deliver(record);
    const res = await svc.request('POST', '/api/v1/citizen/applications', {
      json: { applicationCode: code, motherIdNumber: record.mother.idNumber, ...parentsItems(record) },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.id, token: res.body.accessToken, code };
  };
  const giveBack = async (application: OnlineApplication) => {
    const res = await svc.request('POST', `/api/v1/applications/${application.id}/return`, {
      token: gz.issuer,
      json: { reason: returnReason },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const story = await apply(births.onlineStory);
  await giveBack(story);
  const corrected = await svc.request('PUT', `/api/v1/citizen/applications/${story.id}`, {
    token: story.token,
    json: parentsItems(births.onlineStory, '李沐阳'),
  });
  expect(corrected.status, JSON.stringify(corrected.body)).toBe(200);
  await issueApplication(svc, gz.issuer, story.id);
  const toCorrect = await apply(births.onlineToCorrect);
  await giveBack(toCorrect);
  const toReturn = await apply(births.onlineToReturn);
  return { story, toCorrect, toReturn, codeToApply: await deliver(births.onlineToApply) };
}

/** A paper certificate of the Guangzhou institution back-issued as the operator's backfill does it. */
async function backIssuePaperCertificate(): Promise<string> {
  const day = 86_400_000;
  const born = withBirthTime(fixtureRecords[0]!, chinaTime(new Date(NOW.getTime() - 60 * day)));
  const { issuer: _issuer, ...paper } = certificateFor(born, 'P440900001');
  const tools = openOperatorTools(await loadConfig(testEnvironment(svc.dataDir)), clock);
  try {
    const counts = await backfillBatch(tools.backfillPorts(), { username: 'cli', role: 'operator' }, 'openapi-test', [
      {
        line: 1,
        record: {
          ...paper,
          deliveryInstitution: { name: demo.gz.name, creditCode: demo.gz.creditCode },
          issueDate: chinaDateOf(new Date(NOW.getTime() - 50 * day)),
          issuerCreditCode: demo.gz.creditCode,
        },
      },
    ]);
    expect(counts).toEqual({ issued: 1, rejected: 0, skipped: 0 });
  } finally {
    tools.close();
  }
  return 'P440900001';
}

const documentId = 'https://birth-elicence.example/openapi.json';
const pointer = (...segments: string[]) =>
  segments.map((s) => `/${encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))}`).join('');

/** ajv over the served document: each documented schema is compiled where it stands in it. */
function validatorOf(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormatsModule.default(ajv);
  ajv.addFormat('binary', true);
  ajv.addSchema({ ...document, $id: documentId });
  const compiled = new Map<string, ValidateFunction>();
  return (...segments: string[]) => {
    const ref = `${documentId}#${pointer(...segments)}`;
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  };
}

/** The component named by a JWS schema's `payload.contentSchema`, if it has one. */
function payloadSchemaOf(schema: Record<string, unknown> | undefined): string | undefined {
  const name = String(schema?.$ref ?? '')
    .split('/')
    .at(-1);
  const component = name ? openApi.components.schemas[name] : undefined;
  const properties = component?.properties as Record<string, { contentSchema?: { $ref?: string } }> | undefined;
  return properties?.payload?.contentSchema?.$ref?.split('/').at(-1);
}

const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      route: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      path,
      method,
      operation,
    })),
  );

describe('the OpenAPI document against what the routes answer', () => {
  it('has a call for every documented route, and documents every called route', () => {
    expect(Object.keys(calls).sort()).toEqual(
      operationsOf(openApi)
        .map((o) => o.route)
        .sort(),
    );
  });

  it('gives every success response a real schema (not a bare object) and an example it accepts', () => {
    const validate = validatorOf(openApi);
    const bare: string[] = [];
    for (const { route, path, method, operation } of operationsOf(openApi)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 300 || status === '204') continue;
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) bare.push(`${route} ${status}: no content`);
        for (const [type, { schema, example }] of media) {
          if (!schema || (schema.type === 'object' && !schema.properties))
            bare.push(`${route} ${status} ${type}: bare`);
          // A PDF has no meaningful inline example; its schema says binary.
          if (schema?.format === 'binary') continue;
          if (example === undefined) {
            bare.push(`${route} ${status} ${type}: no example`);
            continue;
          }
          const at = ['paths', path, method, 'responses', status, 'content', type];
          const check = validate(...at, 'schema');
          if (!check(example)) bare.push(`${route} ${status} ${type}: example ${JSON.stringify(check.errors)}`);
          if (media[0] && type === 'application/x-ndjson') {
            const line = validate(...at, 'x-itemSchema');
            for (const text of String(example).split('\n').filter(Boolean)) {
              if (!line(JSON.parse(text))) bare.push(`${route} ${status}: example line ${JSON.stringify(line.errors)}`);
            }
          }
        }
      }
    }
    expect(bare).toEqual([]);
  });

  it('answers every route with a documented status and a body its schema accepts', async () => {
    const validate = validatorOf(openApi);
    const problems: string[] = [];
    const succeeded = new Set<string>();
    for (const { route, path, method, operation } of operationsOf(openApi)) {
      for (const call of calls[route]?.() ?? []) {
        const token = await call.token?.();
        const res = await svc.request(method.toUpperCase(), call.path, {
          token,
          json: call.json,
          ...(call.body && { body: call.body }),
          ...(call.headers && { headers: call.headers }),
        });
        const where = `${route} (${call.path}) → ${res.status}`;
        const documented = operation.responses[String(res.status)];
        if (!documented) {
          problems.push(`${where}: status not documented`);
          continue;
        }
        if (res.status < 300) succeeded.add(route);
        if (res.status === 204) continue;
        const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
        const media = documented.content?.[type];
        if (!media) {
          problems.push(`${where}: media type ${type} not documented`);
          continue;
        }
        const check = (value: unknown, ...segments: string[]) => {
          const validator = validate(...segments);
          if (!validator(value)) problems.push(`${where}: ${JSON.stringify(validator.errors?.slice(0, 5))}`);
        };
        const at = ['paths', path, method, 'responses', String(res.status), 'content', type];
        if (type === 'application/pdf') {
          if (Buffer.from(res.body).subarray(0, 5).toString() !== '%PDF-') problems.push(`${where}: not a PDF`);
        } else if (BINARY_MEDIA_TYPES.has(type)) {
          // DER (a CRL, a certificate, a TimeStampResp): a SEQUENCE, whatever it holds.
          if (Buffer.from(res.body)[0] !== 0x30) problems.push(`${where}: not DER`);
        } else if (type === 'application/x-ndjson') {
          const lines = Buffer.from(res.body).toString('utf8').split('\n').filter(Boolean);
          if (lines.length === 0) problems.push(`${where}: no line to check`);
          for (const line of lines) check(JSON.parse(line), ...at, 'x-itemSchema');
        } else if (Buffer.isBuffer(res.body)) {
          // A text body (CSV, a compact JWS): its schema describes the string.
          check(res.body.toString('utf8'), ...at, 'schema');
        } else {
          check(res.body, ...at, 'schema');
          // A signed body documents what its payload holds (contentSchema): that is checked too.
          const payloadSchema = payloadSchemaOf(media.schema);
          if (payloadSchema) {
            const payload = JSON.parse(Buffer.from(String(res.body.payload), 'base64url').toString('utf8'));
            check(payload, 'components', 'schemas', payloadSchema);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(
      operationsOf(openApi)
        .map((o) => o.route)
        .filter((route) => !succeeded.has(route)),
    ).toEqual([]);
  });
});
