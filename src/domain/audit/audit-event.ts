import type { Principal } from '../accounts/account.ts';

/** An event of the tamper-evident audit log. Details never hold ID numbers or passwords. */
export interface AuditEventInput {
  action: string;
  actor: string | null;
  role: string | null;
  institution: string | null;
  /** What the event is about, e.g. a certificate number or a username. */
  target: string | null;
  /** Stated by police and agencies for every read. */
  purpose: string | null;
  details: Record<string, unknown>;
}

export interface AuditEvent extends AuditEventInput {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditChainReport {
  intact: boolean;
  events: number;
  /** Sequence number of the first event whose hash or link does not hold. */
  firstBrokenAt?: number;
  /** The anchor (by its seq) that did not hold, when that is why the chain is not intact. */
  failedAnchorSeq?: number;
}

/** A head the auditor wrote down earlier (outside the database): event `seq` had `hash`. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface AuditLog {
  record(event: AuditEventInput, now: Date): AuditEvent;
  /** Events that land together (a back-issued batch), in order, as `record` would append them one by one. */
  recordAll(events: readonly AuditEventInput[], now: Date): void;
  /**
   * Recomputes the chain. With anchors it also proves each anchored event still has the hash
   * it had, and that nothing up to it was cut off: the chain alone cannot tell a log whose
   * newest events were deleted from a shorter one, nor one recomputed after an edit.
   */
  verify(anchors?: AuditAnchor | readonly AuditAnchor[]): AuditChainReport;
  /** The newest event's position and hash, for the auditor to keep outside the database. */
  head(): AuditAnchor;
}

/** The operator at the command line (src/cli): no account, no institution. */
export interface Operator {
  username: string;
  role: 'operator';
  institution?: null;
}

/**
 * Who acts, as far as the audit log cares: a caller (a signed-in principal, a citizen before or
 * after a claim), the operator, or the service itself (`role` null, e.g. voiding numbers at start).
 */
export interface Acting {
  username: string | null;
  role: Principal['role'] | Operator['role'] | null;
  institution?: string | null;
}

/** The event of `actor` doing `action` to `target`: one shape for every caller. */
export function eventBy(
  actor: Acting,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
  purpose: string | null = null,
): AuditEventInput {
  return {
    action,
    actor: actor.username,
    role: actor.role,
    institution: actor.institution ?? null,
    target,
    purpose,
    details,
  };
}
