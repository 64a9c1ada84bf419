import type { Clock } from '../ports.ts';
import { decodeBase64url, decodeUtf8, encodeBase64url } from '../verification/base64url.ts';
import type { AuditAnchor, AuditChainReport, AuditLog } from './audit-event.ts';

/**
 * A signed checkpoint: the chain head {seq, hash, at} in a compact JWS (ES256) signed with the
 * service's audit key. The key's private half is in the key store, not in the database, so
 * someone who can only write the database cannot make one; every checkpoint pins the chain up
 * to its `seq`, and an auditor who keeps the published checkpoints elsewhere pins it for good.
 */
export interface AuditCheckpoint {
  /** 1, 2, 3 … in the order they were signed. */
  number: number;
  seq: number;
  hash: string;
  at: string;
  kid: string;
  jws: string;
}

/** `typ` of a checkpoint's JWS header. */
export const AUDIT_CHECKPOINT_TYP = 'audit-checkpoint+jws';

/** Where checkpoints are kept next to the log (append-only). */
export interface AuditCheckpointStore {
  append(checkpoint: Omit<AuditCheckpoint, 'number'>): AuditCheckpoint;
  list(): AuditCheckpoint[];
  newest(): AuditCheckpoint | null;
}

/** The service's audit key: signs with the key store and checks against the key store's own copy. */
export interface AuditKey {
  /** The current audit key, null when none is provisioned. */
  active(): { kid: string; x5c: string[] } | null;
  /** ES256, IEEE P1363 (r‖s). */
  sign(kid: string, data: Uint8Array): Promise<Uint8Array>;
  /**
   * Whether `signature` is by audit key `kid` as the key store holds it — the public key comes
   * from the key store's encrypted file, never from the database, which a writer could replace.
   * false for any failure; never throws.
   */
  verify(kid: string, data: Uint8Array, signature: Uint8Array): boolean;
}

export interface AuditCheckpointPorts {
  audit: AuditLog;
  checkpoints: AuditCheckpointStore;
  key: AuditKey;
  clock: Clock;
}

export type CheckpointProblem = 'BAD_SIGNATURE' | 'CHAIN_MISMATCH' | 'MISSING';

/** The chain report, checked against every signed checkpoint (and an anchor the auditor kept). */
export interface AuditVerification extends AuditChainReport {
  /** How many signed checkpoints were checked. */
  checkpoints: number;
  /** The newest checkpoint whose signature and head held: events up to its seq are pinned. */
  pinnedThrough?: number;
  /** Why `intact` is false, when a checkpoint says so. */
  checkpoint?: { number: number; seq: number; at: string; problem: CheckpointProblem };
}

const utf8 = new TextEncoder();
const genesisSeq = 0;

/** The JWS signing input of a head, and its header: what is signed, in one place. */
function signingInput(kid: string, x5c: string[], head: { seq: number; hash: string; at: string }): string {
  const header = { alg: 'ES256', typ: AUDIT_CHECKPOINT_TYP, kid, x5c };
  const payload = { seq: head.seq, hash: head.hash, at: head.at };
  return `${encodeBase64url(utf8.encode(JSON.stringify(header)))}.${encodeBase64url(utf8.encode(JSON.stringify(payload)))}`;
}

const parseJson = (part: string | undefined): Record<string, unknown> | null => {
  const bytes = part === undefined ? null : decodeBase64url(part);
  const text = bytes && decodeUtf8(bytes);
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

/** Whether the checkpoint's JWS is by our audit key and says exactly what its columns say. */
function signatureHolds(key: AuditKey, checkpoint: AuditCheckpoint): boolean {
  const parts = checkpoint.jws.split('.');
  if (parts.length !== 3) return false;
  const header = parseJson(parts[0]);
  const payload = parseJson(parts[1]);
  const signature = decodeBase64url(parts[2]!);
  if (!header || !payload || signature?.length !== 64) return false;
  if (header.alg !== 'ES256' || header.typ !== AUDIT_CHECKPOINT_TYP || header.kid !== checkpoint.kid) return false;
  if (payload.seq !== checkpoint.seq || payload.hash !== checkpoint.hash || payload.at !== checkpoint.at) return false;
  return key.verify(checkpoint.kid, utf8.encode(`${parts[0]}.${parts[1]}`), signature);
}

/**
 * Signs the chain head and keeps the checkpoint: on the timer only when the head moved since the
 * newest checkpoint (`onlyIfMoved`), on demand always. Remembers the newest checkpoint it signed,
 * so while the process runs a checkpoint deleted from the database is noticed too.
 */
export function createAuditCheckpointer(ports: AuditCheckpointPorts) {
  let lastSigned: AuditCheckpoint | null = null;

  async function sign(options: { onlyIfMoved: boolean }): Promise<AuditCheckpoint | null> {
    const key = ports.key.active();
    if (!key) return null;
    const head = ports.audit.head();
    const newest = ports.checkpoints.newest();
    if (options.onlyIfMoved && (head.seq === genesisSeq || newest?.seq === head.seq)) return null;
    const at = ports.clock.now().toISOString();
    const input = signingInput(key.kid, key.x5c, { ...head, at });
    const signature = await ports.key.sign(key.kid, utf8.encode(input));
    if (signature.length !== 64) throw new TypeError('The key store returned a signature that is not ES256 P1363');
    const checkpoint = ports.checkpoints.append({
      seq: head.seq,
      hash: head.hash,
      at,
      kid: key.kid,
      jws: `${input}.${encodeBase64url(signature)}`,
    });
    lastSigned = checkpoint;
    return checkpoint;
  }

  function verify(anchor?: AuditAnchor): AuditVerification {
    const checkpoints = ports.checkpoints.list();
    const broken = (checkpoint: AuditCheckpoint, problem: CheckpointProblem, report: AuditChainReport) => ({
      ...report,
      intact: false,
      firstBrokenAt: Math.min(report.firstBrokenAt ?? checkpoint.seq, checkpoint.seq),
      checkpoints: checkpoints.length,
      checkpoint: { number: checkpoint.number, seq: checkpoint.seq, at: checkpoint.at, problem },
    });
    const unsigned = checkpoints.find((checkpoint) => !signatureHolds(ports.key, checkpoint));
    if (unsigned) return broken(unsigned, 'BAD_SIGNATURE', ports.audit.verify());
    if (lastSigned && !checkpoints.some((c) => c.number === lastSigned!.number && c.jws === lastSigned!.jws)) {
      return broken(lastSigned, 'MISSING', ports.audit.verify());
    }
    const pinned = checkpoints.filter((checkpoint) => checkpoint.seq > genesisSeq);
    const report = ports.audit.verify([...pinned, ...(anchor ? [anchor] : [])]);
    const failed = report.intact ? undefined : pinned.find((c) => c.seq === report.failedAnchorSeq);
    const { failedAnchorSeq: _internal, ...chain } = report;
    if (failed) return broken(failed, 'CHAIN_MISMATCH', chain);
    const pinnedThrough = pinned.reduce((max, c) => Math.max(max, c.seq), 0);
    return { ...chain, checkpoints: checkpoints.length, ...(pinnedThrough > 0 ? { pinnedThrough } : {}) };
  }

  return { sign, verify, list: () => ports.checkpoints.list() };
}

export type AuditCheckpointer = ReturnType<typeof createAuditCheckpointer>;
