import { describe, expect, it } from 'vitest';
import { licenceDigest } from '../../../src/adapters/jws/licence-digest.ts';
import { createNodeJwsVerifier } from '../../../src/adapters/jws/node-jws-verifier.ts';
import type { PrincipalOf } from '../../../src/domain/accounts/account.ts';
import { reissueCertificate } from '../../../src/domain/lifecycle/amend.ts';
import { recordHouseholdRegistration } from '../../../src/domain/lifecycle/household.ts';
import {
  archiveForPolice,
  listPoliceArchives,
  type PoliceArchive,
  type PoliceArchivePorts,
  readPoliceArchive,
} from '../../../src/domain/lifecycle/police-archives.ts';
import { loadVectors } from '../../vectors/load-vectors.ts';
import { actors, childIdNumber, failureOf, world } from './world.ts';

/*
 * The police archive (留档) over the in-memory lifecycle ports: the register's e-licence is a real
 * signed one (the known-answer vector of Q440000001, under the vectors' trust list), so what is
 * archived verifies as it would in the service, and the register's later changes (落户, 补发) show
 * in the status now beside the result then.
 */

const vectors = loadVectors();
const signed = vectors.vectors.find((v) => v.name === 'valid-signed-json')!.input.signedJson as {
  protected: string;
  payload: string;
  signature: string;
};
const licenceId = (JSON.parse(Buffer.from(signed.payload, 'base64url').toString('utf8')) as { licence: { id: string } })
  .licence.id;
const PURPOSE = '核验留档';
const UNIT_A = '广州市公安局天河区分局天河南派出所';
const UNIT_B = '广州市公安局越秀区分局北京街派出所';

const officer = (username: string) =>
  ({ role: 'police', accountId: 9, username, institution: null, certificateNo: null }) as PrincipalOf<'police'>;
const officers = {
  a1: officer('police-a1'),
  a2: officer('police-a2'),
  b: officer('police-b'),
  none: officer('police-x'),
};
const unitOf: Record<string, string | null> = {
  'police-a1': UNIT_A,
  'police-a2': UNIT_A,
  'police-b': UNIT_B,
  'police-x': null,
};

/** A world whose first certificate (Q440000001) carries the vector's signed e-licence, with archive ports. */
async function archiveWorld() {
  const w = world();
  const { certificateNo } = await w.issueBirth();
  expect(certificateNo).toBe('Q440000001');
  Object.assign(w.state().certificates.get(certificateNo)!.record, {
    signedJson: JSON.stringify(signed),
    licenceId,
    licenceDigest: licenceDigest(signed),
  });
  const kept = new Map<string, PoliceArchive>();
  const ports: PoliceArchivePorts = {
    ...w.ports,
    archives: {
      insert: (archive) => void kept.set(archive.id, structuredClone(archive)),
      find: (id) => structuredClone(kept.get(id) ?? null),
      byCase: (unit, caseNo) =>
        [...kept.values()].filter((a) => a.policeUnit === unit && a.caseNo === caseNo).map((a) => structuredClone(a)),
    },
    policeUnits: { unitOf: (username) => unitOf[username] ?? null },
    // The in-memory register is the verifier's register too, as the database is in the service.
    verification: {
      ...vectors,
      jws: createNodeJwsVerifier(),
      register: { lookup: (no) => w.ports.register.lookup(no) },
    },
  };
  const audit = (action: string) => w.state().audit.filter((e) => e.action === action);
  return { w, ports, certificateNo, kept, audit };
}

describe('the police archive (留档)', () => {
  it('archives the register’s signed e-licence with its verification, the officer, the unit and the case; audited', async () => {
    const { w, ports, certificateNo, kept, audit } = await archiveWorld();
    const made = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: ' HJ-2026-0001 ' }, PURPOSE);
    expect(made).toMatchObject({
      certificateNo,
      caseNo: 'HJ-2026-0001',
      policeUnit: UNIT_A,
      officer: 'police-a1',
      purpose: PURPOSE,
      archivedAt: w.clock.now().toISOString(),
      archived: { verifiedAt: w.clock.now().toISOString(), result: { valid: true, status: 'valid' } },
    });
    expect(made.id).toMatch(/^arc_/);
    expect(kept.get(made.id)!.signedJson).toBe(JSON.stringify(signed));
    expect(audit('police-archive.created')).toEqual([
      expect.objectContaining({
        actor: 'police-a1',
        role: 'police',
        target: certificateNo,
        purpose: PURPOSE,
        details: { archiveId: made.id, caseNo: 'HJ-2026-0001', policeUnit: UNIT_A, status: 'valid', valid: true },
      }),
    ]);
  });

  it('is read by any officer of the same unit, with the result then and the status now', async () => {
    const { ports, certificateNo, audit } = await archiveWorld();
    const made = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: 'HJ-1' }, PURPOSE);
    const read = await readPoliceArchive(ports, officers.a2, made.id, PURPOSE);
    expect(read.signedJson).toBe(JSON.stringify(signed));
    expect(read.archived.result).toMatchObject({ valid: true, status: 'valid' });
    expect(read.now.result).toMatchObject({ valid: true, status: 'valid', householdRegistered: false });
    expect(audit('police-archive.read').map((e) => [e.actor, e.target, e.details])).toEqual([
      ['police-a2', certificateNo, { archiveId: made.id, policeUnit: UNIT_A }],
    ]);
    expect(
      (await listPoliceArchives(ports, officers.a2, 'HJ-1', PURPOSE)).results.map((a) => [a.id, a.officer]),
    ).toEqual([[made.id, 'police-a1']]);
  });

  it('refuses another unit’s officer: FORBIDDEN to read, and their case lists hold nothing of it', async () => {
    const { ports, certificateNo, audit } = await archiveWorld();
    const made = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: 'HJ-1' }, PURPOSE);
    expect(await failureOf(() => readPoliceArchive(ports, officers.b, made.id, PURPOSE))).toEqual({
      code: 'FORBIDDEN',
      message: "This archive belongs to another police unit's case",
    });
    expect(audit('police-archive.read')).toEqual([]);
    expect((await listPoliceArchives(ports, officers.b, 'HJ-1', PURPOSE)).results).toEqual([]);
    expect(await failureOf(() => readPoliceArchive(ports, officers.a1, 'arc_unknown', PURPOSE))).toEqual({
      code: 'NOT_FOUND',
      message: 'No police archive arc_unknown',
    });
  });

  it('after 落户 and a 补发 keeps the result then and shows the successor now', async () => {
    const { w, ports, certificateNo } = await archiveWorld();
    const made = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: 'HJ-1' }, PURPOSE);
    const birthDate = w.ports.register.find(certificateNo)!.certificate.newborn.birthTime.slice(0, 10);
    recordHouseholdRegistration(w.ports, actors.police, certificateNo, {
      childIdNumber: childIdNumber(birthDate, w.ports.register.find(certificateNo)!.certificate.newborn.sex as '1'),
      registeredOn: w.clock.now().toISOString().slice(0, 10),
      policeUnit: UNIT_A,
    });
    const reissued = await reissueCertificate(w.ports, actors.issuer, certificateNo, { reason: '原证遗失' });
    expect(reissued.certificateNo).toBe('Q440000002');

    const read = await readPoliceArchive(ports, officers.a1, made.id, PURPOSE);
    expect(read.archived.result).toMatchObject({ valid: true, status: 'valid', householdRegistered: false });
    expect(read.now.result).toMatchObject({
      valid: false,
      status: 'superseded',
      reason: 'SUPERSEDED',
      supersededBy: 'Q440000002',
      householdRegistered: true,
    });
    // Archived bytes are what was verified then, not the successor's.
    expect(read.signedJson).toBe(JSON.stringify(signed));
  });

  it('refuses an officer whose account has no unit, and archives nothing', async () => {
    const { ports, certificateNo, kept, audit } = await archiveWorld();
    const refusal = {
      code: 'FORBIDDEN',
      message: 'This police account belongs to no police unit; an operator must assign one',
    };
    expect(
      await failureOf(() => archiveForPolice(ports, officers.none, { certificateNo, caseNo: 'HJ-1' }, PURPOSE)),
    ).toEqual(refusal);
    expect(await failureOf(() => listPoliceArchives(ports, officers.none, 'HJ-1', PURPOSE))).toEqual(refusal);
    const made = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: 'HJ-1' }, PURPOSE);
    expect(await failureOf(() => readPoliceArchive(ports, officers.none, made.id, PURPOSE))).toEqual(refusal);
    expect([...kept.keys()]).toEqual([made.id]);
    expect(audit('police-archive.created').length).toBe(1);
  });

  it('names the case number and the purpose when they are missing, and an unknown certificate is NOT_FOUND', async () => {
    const { ports, certificateNo, kept } = await archiveWorld();
    const caseError = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: '  ' }, PURPOSE).catch(
      (e) => e,
    );
    expect([caseError.code, caseError.details]).toEqual([
      'INVALID_REQUEST',
      [{ path: 'caseNo', message: 'caseNo must be 1–50 characters of visible text' }],
    ]);
    const purposeError = await archiveForPolice(ports, officers.a1, { certificateNo, caseNo: 'HJ-1' }, undefined).catch(
      (e) => e,
    );
    expect([purposeError.code, purposeError.details.map((d: { path: string }) => d.path)]).toEqual([
      'PURPOSE_REQUIRED',
      ['purpose'],
    ]);
    expect(
      await failureOf(() =>
        archiveForPolice(ports, officers.a1, { certificateNo: 'Q449999999', caseNo: 'HJ-1' }, PURPOSE),
      ),
    ).toEqual({ code: 'NOT_FOUND', message: 'No certificate Q449999999' });
    expect(kept.size).toBe(0);
  });
});
