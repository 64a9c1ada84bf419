import { eventBy } from '../audit/audit-event.ts';
import { DomainError, invalidRequest } from '../errors.ts';
import type { PoliceArchiveBody } from '../rules/bodies.ts';
import { visibleTextProblems } from '../rules/text-rules.ts';
import type { VerificationPorts } from '../verification/ports.ts';
import type { VerificationResult } from '../verification/result.ts';
import { verify } from '../verification/verify.ts';
import type { LifecyclePorts, PoliceOfficer } from './ports.ts';
import { checkPurpose } from './reads.ts';

/*
 * The police archive (留档): a police unit keeps an e-licence as it was when the officer verified
 * it for a household case — the signed e-licence's bytes, the verification result and its time,
 * the officer, the purpose. Read later, it is verified again, so the result then and the status
 * now stand side by side (a certificate superseded since shows its successor).
 */

export interface PoliceArchive {
  id: string;
  certificateNo: string;
  caseNo: string;
  policeUnit: string;
  /** The officer's username. */
  officer: string;
  purpose: string;
  /** The signed e-licence exactly as the register held it (flattened JWS JSON text). */
  signedJson: string;
  result: VerificationResult;
  verifiedAt: string;
  archivedAt: string;
}

export interface PoliceArchiveStore {
  insert(archive: PoliceArchive): void;
  find(id: string): PoliceArchive | null;
  /** A unit's archives of one case, oldest first. */
  byCase(policeUnit: string, caseNo: string): PoliceArchive[];
}

/** Which police unit an officer acts for (the account's unit), or null when none is set. */
export interface PoliceUnits {
  unitOf(username: string): string | null;
}

export type PoliceArchivePorts = Pick<LifecyclePorts, 'transactions' | 'register' | 'audit' | 'clock' | 'secrets'> & {
  archives: PoliceArchiveStore;
  policeUnits: PoliceUnits;
  verification: VerificationPorts;
};

export const maxCaseNoLength = 50;

function unitOf(ports: PoliceArchivePorts, actor: PoliceOfficer): string {
  const unit = ports.policeUnits.unitOf(actor.username);
  if (unit === null) {
    throw new DomainError('FORBIDDEN', 'This police account belongs to no police unit; an operator must assign one', [
      { path: 'policeUnit', message: 'the account has no police unit' },
    ]);
  }
  return unit;
}

function checkCaseNo(caseNo: unknown): string {
  const text = typeof caseNo === 'string' ? caseNo.trim() : '';
  if (text.length === 0 || [...text].length > maxCaseNoLength || visibleTextProblems(text).length > 0) {
    throw invalidRequest([
      { path: 'caseNo', message: `caseNo must be 1–${maxCaseNoLength} characters of visible text` },
    ]);
  }
  return text;
}

const summaryOf = (a: PoliceArchive) => ({
  id: a.id,
  certificateNo: a.certificateNo,
  caseNo: a.caseNo,
  policeUnit: a.policeUnit,
  officer: a.officer,
  purpose: a.purpose,
  archivedAt: a.archivedAt,
  archived: { verifiedAt: a.verifiedAt, result: a.result },
});

/** Archives the register's e-licence of `certificateNo` as it is now, verified now. */
export async function archiveForPolice(
  ports: PoliceArchivePorts,
  actor: PoliceOfficer,
  body: PoliceArchiveBody,
  purposeParam: unknown,
) {
  const purpose = checkPurpose(actor, purposeParam) ?? '';
  const policeUnit = unitOf(ports, actor);
  const caseNo = checkCaseNo(body.caseNo);
  const record = ports.register.find(body.certificateNo);
  if (!record) throw new DomainError('NOT_FOUND', `No certificate ${body.certificateNo}`);
  const verifiedAt = ports.clock.now();
  const result = await verify({ signedJson: record.signedJson }, ports.verification);
  const archive: PoliceArchive = {
    id: ports.secrets.newId('arc_'),
    certificateNo: record.certificateNo,
    caseNo,
    policeUnit,
    officer: actor.username,
    purpose,
    signedJson: record.signedJson,
    result,
    verifiedAt: verifiedAt.toISOString(),
    archivedAt: ports.clock.now().toISOString(),
  };
  ports.transactions.run(() => {
    ports.archives.insert(archive);
    ports.audit.record(
      eventBy(
        actor,
        'police-archive.created',
        record.certificateNo,
        { archiveId: archive.id, caseNo, policeUnit, status: result.status, valid: result.valid },
        purpose,
      ),
      ports.clock.now(),
    );
  });
  return summaryOf(archive);
}

/**
 * One archive of the officer's own unit (another unit's → FORBIDDEN): the archived e-licence and
 * the result then, and the same e-licence verified now.
 */
export async function readPoliceArchive(
  ports: PoliceArchivePorts,
  actor: PoliceOfficer,
  id: string,
  purposeParam: unknown,
) {
  const purpose = checkPurpose(actor, purposeParam);
  const policeUnit = unitOf(ports, actor);
  const archive = ports.archives.find(id);
  if (!archive) throw new DomainError('NOT_FOUND', `No police archive ${id}`);
  if (archive.policeUnit !== policeUnit) {
    throw new DomainError('FORBIDDEN', "This archive belongs to another police unit's case");
  }
  const checkedAt = ports.clock.now();
  const now = await verify({ signedJson: archive.signedJson }, ports.verification);
  ports.audit.record(
    eventBy(actor, 'police-archive.read', archive.certificateNo, { archiveId: archive.id, policeUnit }, purpose),
    ports.clock.now(),
  );
  return {
    ...summaryOf(archive),
    signedJson: archive.signedJson,
    now: { verifiedAt: checkedAt.toISOString(), result: now },
  };
}

/** The officer's unit's archives of one household case, oldest first, as summaries. */
export function listPoliceArchives(
  ports: PoliceArchivePorts,
  actor: PoliceOfficer,
  caseNoParam: unknown,
  purposeParam: unknown,
) {
  const purpose = checkPurpose(actor, purposeParam);
  const policeUnit = unitOf(ports, actor);
  const caseNo = checkCaseNo(caseNoParam);
  const archives = ports.archives.byCase(policeUnit, caseNo);
  ports.audit.record(
    eventBy(actor, 'police-archive.listed', null, { caseNo, policeUnit, archives: archives.map((a) => a.id) }, purpose),
    ports.clock.now(),
  );
  return { results: archives.map(summaryOf) };
}
