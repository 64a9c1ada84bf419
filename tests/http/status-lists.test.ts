import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
const issued: { certificateNo: string; idx: number; uri: string }[] = [];

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
const valueAt = (token: string, idx: number) => {
  const bits = inflateSync(Buffer.from(payloadOf(token).status_list.lst, 'base64url'));
  return (bits[idx >> 2]! >> ((idx % 4) * 2)) & 3;
};
const list = async () => {
  const res = await svc.request('GET', '/api/v1/status-lists/1');
  return { res, token: String(res.body) };
};

beforeAll(async () => {
  svc = await startTestService();
  const staff = await staffOf(svc, 'gz');
  const issuer = await svc.token('issuer', 'gz');
  for (const record of fixtureRecords.slice(0, 3)) {
    const { certificateNo } = await issueBirth(svc, staff, bornBefore(record, new Date(), 1));
    const signed = (await svc.request('GET', `/api/v1/certificates/${certificateNo}/signed.json`, { token: issuer }))
      .body;
    const { status_list } = JSON.parse(Buffer.from(signed.payload, 'base64url').toString('utf8')).status;
    issued.push({ certificateNo, ...status_list });
  }
});
afterAll(async () => {
  await svc?.stop();
});

describe('status lists', () => {
  it('give every certificate of an institution and year its own random place in one list', () => {
    expect(new Set(issued.map((entry) => entry.uri))).toEqual(new Set(['http://localhost:3000/api/v1/status-lists/1']));
    expect(new Set(issued.map((entry) => entry.idx)).size).toBe(issued.length);
    for (const { idx } of issued) expect(idx >= 0 && idx < 65_536).toBe(true);
  });

  it('are served to anyone as a signed, cacheable application/statuslist+jwt with sub, iat, exp and ttl', async () => {
    const { res, token } = await list();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
    expect(res.headers.get('cache-control')).toBe('public, max-age=30');
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'statuslist+jwt', x5c: [expect.any(String)] });
    const payload = payloadOf(token);
    expect(payload).toMatchObject({ sub: issued[0]!.uri, ttl: 60, status_list: { bits: 2 } });
    expect(payload.exp - payload.iat).toBe(86_400);
    for (const { idx } of issued) expect(valueAt(token, idx)).toBe(0);
  });

  it('are not re-signed while nothing changed, and show a void in the very next token', async () => {
    const first = (await list()).token;
    expect((await list()).token).toBe(first);
    const voided = issued[1]!;
    const res = await svc.request('POST', `/api/v1/certificates/${voided.certificateNo}/void`, {
      token: await svc.token('issuer', 'gz'),
      json: { reason: 'ENTRY_ERROR' },
    });
    expect(res.status).toBe(200);
    const after = (await list()).token;
    expect(after).not.toBe(first);
    expect(issued.map(({ idx }) => valueAt(after, idx))).toEqual([0, 2, 0]);
  });

  it('answer 404 for a list that does not exist, whatever the id looks like', async () => {
    for (const id of ['999', 'abc', '0', '1e3']) {
      const res = await svc.request('GET', `/api/v1/status-lists/${id}`);
      expect([id, res.status, res.body.error.code]).toEqual([id, 404, 'NOT_FOUND']);
    }
    // A control character in a path parameter is refused before any lookup.
    const control = await svc.request('GET', '/api/v1/status-lists/%00');
    expect([control.status, control.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('leave no certificate number in the offline bundle', async () => {
    const res = await svc.request('GET', '/api/v1/trust-bundle', { token: await svc.token('police') });
    const payload = JSON.parse(Buffer.from(res.body.payload, 'base64url').toString('utf8'));
    expect(Object.keys(payload).sort()).toEqual(['asOf', 'statusLists', 'trustList', 'version']);
    expect(payload.statusLists).toHaveLength(1);
    expect(JSON.stringify(payload)).not.toMatch(new RegExp(issued.map((entry) => entry.certificateNo).join('|')));
  });
});
