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
}

export interface AuditLog {
  record(event: AuditEventInput, now: Date): AuditEvent;
  verify(): AuditChainReport;
}
