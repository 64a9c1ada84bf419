import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumbersIn } from '../../src/domain/audit/audit-browse.ts';
import { fixtureRecords, withAnotherMother } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, type Issued, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;
let auditor: string;
const issued: Issued[] = [];
// A real citizen ID number (check character holds) that a police officer typed into a purpose.
const typedId = '440106199305121249';

beforeAll(async () => {
  svc = await startTestService();
  auditor = await svc.token('auditor');
  const gz = await staffOf(svc, 'gz');
  for (const serial of [1, 2]) {
    issued.push(await issueBirth(svc, gz, withAnotherMother(bornBefore(fixtureRecords[0]!, new Date(), 2), serial)));
  }
  const police = await svc.token('police');
  const purpose = encodeURIComponent(`核验 ${typedId} 的出生证明`);
  const read = await svc.request('GET', `/api/v1/certificates/${issued[0]!.certificateNo}?purpose=${purpose}`, {
    token: police,
  });
  expect(read.status).toBe(200);
});
afterAll(async () => {
  await svc?.stop();
});

const browse = async (query: string) => svc.request('GET', `/api/v1/audit-events?${query}`, { token: auditor });

describe('GET /api/v1/audit-events', () => {
  it('filters by certificate number and action, newest first', async () => {
    const no = issued[1]!.certificateNo;
    const res = await browse(`certificateNo=${no.toLowerCase()}`);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { action: string; target: string }) => [e.action, e.target])).toEqual([
      ['certificate.issued', no],
    ]);
    const issues = (await browse('action=certificate.issued')).body.events;
    expect(issues.map((e: { target: string }) => e.target)).toEqual([no, issued[0]!.certificateNo]);
    expect(issues[0].seq).toBeGreaterThan(issues[1].seq);
  });

  it('pages with nextBefore until the oldest event', async () => {
    const all = (await browse('limit=500')).body.events as { seq: number }[];
    const seen: number[] = [];
    let query = 'limit=2';
    for (;;) {
      const page = (await browse(query)).body;
      seen.push(...page.events.map((e: { seq: number }) => e.seq));
      if (page.nextBefore === undefined) break;
      expect(page.events).toHaveLength(2);
      query = `limit=2&before=${page.nextBefore}`;
    }
    expect(seen).toEqual(all.map((e) => e.seq));
    expect(seen.at(-1)).toBe(1);
  });

  it('filters by actor and by a time range (China-time dates, to exclusive)', async () => {
    const police = svc.accounts.find((a) => a.role === 'police')!.username;
    const byPolice = (await browse(`actor=${police}`)).body.events;
    expect(byPolice.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['certificate.read', police],
    ]);
    expect((await browse('from=2000-01-01&to=2000-01-02')).body.events).toEqual([]);
    const today = (await browse(`from=${new Date(Date.now() - 86_400_000).toISOString()}`)).body.events;
    expect(today.length).toBe((await browse('limit=500')).body.events.length);
  });

  it('masks an ID number typed into free text and marks the event', async () => {
    const [read] = (await browse('action=certificate.read')).body.events;
    expect(read.purpose).toBe('核验 440106********1249 的出生证明');
    expect(read.masked).toBe(true);
    expect(JSON.stringify((await browse('limit=500')).body)).not.toContain(typedId);
  });

  it('names each malformed filter', async () => {
    const res = await browse('from=2026-02-30&to=yesterday&certificateNo=Q1&limit=501&before=0&actor=%00');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'from',
      'to',
      'actor',
      'certificateNo',
      'before',
      'limit',
    ]);
    expect((await browse('from=2026-05-02&to=2026-05-01')).body.error.details).toEqual([
      { path: 'to', message: 'to must be after from' },
    ]);
  });

  it('is for auditors only', async () => {
    const res = await svc.request('GET', '/api/v1/audit-events', { token: await svc.token('statistician') });
    expect(res.status).toBe(403);
  });
});

describe('maskIdNumbersIn', () => {
  it('masks 18-character ID numbers whose check character holds and old 15-digit ones, nothing else', () => {
    expect(maskIdNumbersIn('a 44010619930512124X b')).toBe('a 44010619930512124X b');
    expect(maskIdNumbersIn('44010619930512124x')).toBe('44010619930512124x');
    expect(maskIdNumbersIn('id 440106199305121249.')).toBe('id 440106********1249.');
    expect(maskIdNumbersIn('old 440106930512124')).toBe('old 440106*****2124');
    // A credit code, a certificate number, a longer number: left alone.
    expect(maskIdNumbersIn('124401064554012343 Q440000001 4401061993051212490')).toBe(
      '124401064554012343 Q440000001 4401061993051212490',
    );
  });
});
