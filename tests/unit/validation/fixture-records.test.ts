import { describe, expect, it } from 'vitest';
import { checkBody } from '../../../src/validation/index.ts';
import {
  applicationBodyFor,
  certificateFor,
  chinaTime,
  deliveryBodyFor,
  fixtureRecords,
  isInstitutionalBirth,
  testContext,
  withBirthTime,
} from '../../fixtures/records.ts';

const ctx = testContext();

describe.each(fixtureRecords.filter(isInstitutionalBirth).map((record) => [record.case, record] as const))(
  'institutional fixture record: %s',
  (_name, record) => {
    it('is a valid delivery record', () => {
      expect(checkBody('delivery', deliveryBodyFor(record), ctx)).toMatchObject({ ok: true });
    });
  },
);

describe.each(fixtureRecords.map((record) => [record.case, record] as const))('fixture record: %s', (_name, record) => {
  it('is a valid application', () => {
    expect(checkBody('application', applicationBodyFor(record), ctx)).toMatchObject({ ok: true });
  });

  it('is a valid certificate', () => {
    expect(checkBody('certificate', certificateFor(record), ctx)).toMatchObject({ ok: true });
  });

  it('stays valid when moved to a recent birth time, with ages recomputed', () => {
    const now = new Date('2031-06-01T12:00+08:00');
    const moved = withBirthTime(record, chinaTime(new Date(now.getTime() - 3_600_000)));
    expect(moved.newborn.birthTime).toBe('2031-06-01T11:00+08:00');
    const certificate = { ...certificateFor(moved), issueDate: '2031-06-01' };
    expect(checkBody('certificate', certificate, testContext({ now }))).toMatchObject({ ok: true });
  });
});
