import type { ApplicationBody } from '../rules/bodies.ts';
import type { CrossCheckFinding } from './cross-check.ts';
import type { ApplicationRecord } from './records.ts';

/*
 * 线上申领: the ports of the online application. The application code (申领码) printed on the
 * discharge papers is kept hashed, like a claim code; the parents' token is scoped to one
 * application and kept hashed too.
 */

export interface ApplicationCodeEntry {
  deliveryId: string;
  motherIdNumber: string;
  /** Wrong attempts that knew the mother's ID number; the code stops working at the limit. */
  failures: number;
}

export interface OnlineApplicationEntry {
  applicationId: string;
  deliveryId: string;
  /** Set while the application is back with the parents for correction. */
  returnReason: string | null;
  returnedAt: string | null;
}

export type QueueStatus = 'submitted' | 'returned' | 'issued';

export interface QueuedApplication {
  application: ApplicationRecord;
  channel: 'online' | 'walk-in';
}

export interface OnlineApplicationStore {
  setCode(deliveryId: string, codeHash: string, motherIdNumber: string, at: Date): void;
  findCode(codeHash: string): ApplicationCodeEntry | null;
  /** Counts one wrong attempt against every code of this mother; returns the highest count. */
  recordFailure(motherIdNumber: string): number | null;
  resetFailures(deliveryId: string): void;

  insert(applicationId: string, deliveryId: string): void;
  find(applicationId: string): OnlineApplicationEntry | null;
  byDelivery(deliveryId: string): OnlineApplicationEntry | null;
  markReturned(applicationId: string, reason: string, by: string, at: Date): void;
  /** The parents' corrected items replace the application's; the return is cleared. */
  resubmit(applicationId: string, input: ApplicationBody, at: Date): void;

  /** An institution's applications in one state, oldest first. */
  queue(institution: string, status: QueueStatus): QueuedApplication[];

  issueToken(applicationId: string, ttlSeconds: number, now: Date): { token: string; expiresInSeconds: number };
  /** The application a live token opens, or null. */
  resolveToken(token: string, now: Date): string | null;
  /** Ends one token (the parents sign out); false if it was unknown or already ended. */
  revokeToken(token: string): boolean;
}

export interface QueueEntry {
  id: string;
  channel: 'online' | 'walk-in';
  status: QueueStatus;
  deliveryId: string | null;
  createdAt: string;
  newborn: { name: string };
  mother: { name: string };
  applicant: { name: string; relation: string };
  returnReason?: string;
  certificateNo?: string;
  checks: CrossCheckFinding[];
}
