import type { StatusListAssigner, StatusListStore } from './ports.ts';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The year of issue in China time: the partition key besides the institution. */
export const chinaYearOf = (at: Date): number => new Date(at.getTime() + CHINA_OFFSET_MS).getUTCFullYear();

/**
 * One status list per issuing institution and year. Why this partition: a list changes only
 * when one of its own certificates does, so a void re-signs a few kilobytes, not the country's
 * register; a verifier fetches only the lists of the institutions it sees; a year's list stops
 * growing on 31 December; and a list reveals no more than the QR already shows (issuer, year).
 */
export function createStatusListAssigner(store: Pick<StatusListStore, 'assign' | 'assignAll'>): StatusListAssigner {
  return {
    assign: (certificateNo, institution, issuedAt) =>
      store.assign(certificateNo, { institution, year: chinaYearOf(issuedAt) }),
    assignAll(items, issuedAt) {
      const year = chinaYearOf(issuedAt);
      return store.assignAll(
        items.map(({ certificateNo, institution }) => ({ certificateNo, partition: { institution, year } })),
      );
    },
  };
}
