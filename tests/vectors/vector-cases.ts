/** The known-answer cases: how each credential is made and the exact result it must give. */
import { createHmac } from 'node:crypto';
import { flipS } from '../../src/adapters/pki/p256-low-s.ts';
import type { ELicencePayload, Institution } from '../../src/domain/certificate.ts';
import type { CheckName, CheckResult, VerificationResult } from '../../src/domain/verification/result.ts';
import { sampleLicence } from '../adapters/pki-test-kit.ts';
import { type FixtureDomain, HOSPITAL_A, HOSPITAL_B } from './fixture-domain.ts';
import {
  b64,
  credentials,
  elicenceHeader,
  fixtureKeyStore,
  flipCharacter,
  hs256WithPublicKey,
  qrParts,
  qrText,
  shown,
  signingKeyOf,
  signRaw,
} from './vector-credentials.ts';

export interface Vector {
  name: string;
  description: string;
  input: { qr?: unknown; signedJson?: unknown };
  expected: VerificationResult;
}

export const SIGNED_AT = '2026-11-21T02:15:30Z';

/** The status list every vector certificate has its place in (its token is in bundle.json). */
export const STATUS_LIST_URI = 'https://bc.example.cn/api/v1/status-lists/1';
export const STATUS_LIST_SIZE = 1024;
/** Random-looking, fixed places: the register assigns random indexes. */
const statusIndexOf = (certificateNo: string) => (Number(certificateNo.slice(1)) * 7919) % STATUS_LIST_SIZE;

const payloadFor = (certificateNo: string, institution: Institution = HOSPITAL_A): ELicencePayload =>
  sampleLicence({
    certificateNo,
    institution,
    serial: `VECTOR${certificateNo.slice(1)}0000`,
    status: { idx: statusIndexOf(certificateNo), uri: STATUS_LIST_URI },
  });

const checks = (...list: `${CheckName}:${CheckResult}`[]) =>
  list.map((entry) => {
    const [name, result] = entry.split(':') as [CheckName, CheckResult];
    return { name, result };
  });
const OK = checks('format:pass', 'signature:pass', 'issuer:pass', 'status:pass');
const OK_PAIR = [...OK, ...checks('consistency:pass')];
const MALFORMED: VerificationResult = {
  valid: false,
  status: 'unknown',
  reason: 'MALFORMED',
  householdRegistered: false,
  checks: checks('format:fail'),
};
const BAD_SIGNATURE: VerificationResult = {
  valid: false,
  status: 'unknown',
  reason: 'BAD_SIGNATURE',
  householdRegistered: false,
  checks: checks('format:pass', 'signature:fail'),
};

const valid = (payload: ELicencePayload, signedAt = SIGNED_AT, pair = false, householdRegistered = false) => ({
  valid: true,
  status: 'valid' as const,
  certificate: shown(payload, signedAt),
  householdRegistered,
  checks: pair ? OK_PAIR : OK,
});

export interface RegisterVectorEntry {
  certificateNo: string;
  status: 'valid' | 'superseded' | 'void' | 'revoked';
  supersededBy?: string;
  householdRegistered?: true;
}

/** The status list place of a register entry (for the bundle's status list). */
export const statusPlaceOf = (entry: RegisterVectorEntry) => ({ idx: statusIndexOf(entry.certificateNo), uri: STATUS_LIST_URI });

/** Register entries the vectors' context holds. */
export const REGISTER: RegisterVectorEntry[] = [
  { certificateNo: 'Q440000001', status: 'valid' as const },
  { certificateNo: 'Q440000003', status: 'superseded' as const, supersededBy: 'Q440000005' },
  { certificateNo: 'Q440000004', status: 'valid' as const },
  { certificateNo: 'Q440000005', status: 'valid' as const },
  { certificateNo: 'Q440000006', status: 'valid' as const, householdRegistered: true as const },
  { certificateNo: 'Q440000007', status: 'void' as const },
  { certificateNo: 'Q440000008', status: 'valid' as const },
  { certificateNo: 'Q440000009', status: 'valid' as const },
  { certificateNo: 'Q440000010', status: 'valid' as const },
  { certificateNo: 'Q440000011', status: 'revoked' as const },
];

export async function buildVectors(domain: FixtureDomain): Promise<Vector[]> {
  const { kids } = domain;
  const p1 = payloadFor('Q440000001');
  const main = await credentials(domain, p1, kids.a, SIGNED_AT);
  const resigned = await credentials(domain, p1, kids.a, '2026-11-21T02:16:00Z');
  const keyA = signingKeyOf(domain, kids.a);
  const p1Json = JSON.stringify(p1);
  const vectors: Vector[] = [];
  const add = (name: string, description: string, input: Vector['input'], expected: VerificationResult) =>
    vectors.push({ name, description, input, expected });

  add('valid-signed-json', 'A genuine e-licence', { signedJson: main.signedJson }, valid(p1));
  add('valid-signed-json-text', 'The same, as JSON text ending in a newline (as read from a file)', {
    signedJson: `${JSON.stringify(main.signedJson)}\n`,
  }, valid(p1));
  add('valid-qr', 'A genuine QR token', { qr: main.qr }, valid(p1));
  add('valid-qr-and-signed-json', 'QR and e-licence of one signing', { qr: main.qr, signedJson: main.signedJson }, valid(p1, SIGNED_AT, true));

  const p6 = payloadFor('Q440000006');
  add('valid-household-registered', 'Valid, already used for household registration', {
    qr: (await credentials(domain, p6, kids.a, SIGNED_AT)).qr,
  }, valid(p6, SIGNED_AT, false, true));

  const p9 = payloadFor('Q440000009');
  add('valid-signed-before-rotation', 'Signed by hospital A’s old key before it was rotated out', {
    qr: (await credentials(domain, p9, kids.aOld, '2026-02-01T00:00:00Z')).qr,
  }, valid(p9, '2026-02-01T00:00:00Z'));
  add('retired-key-signed-after-rotation', 'Signed by the old key after its retirement', {
    signedJson: (await credentials(domain, payloadFor('Q440000010'), kids.aOld, '2026-04-01T00:00:00Z')).signedJson,
  }, { valid: false, status: 'unknown', reason: 'UNTRUSTED_ISSUER', householdRegistered: false, checks: checks('format:pass', 'signature:pass', 'issuer:fail') });

  const p4 = payloadFor('Q440000004', HOSPITAL_B);
  add('issuer-revoked-after-signing', 'Hospital B’s key was revoked from 2026-06-01; this was signed before', {
    signedJson: (await credentials(domain, p4, kids.b, '2026-05-20T00:00:00Z')).signedJson,
  }, valid(p4, '2026-05-20T00:00:00Z'));
  const p8 = payloadFor('Q440000008', HOSPITAL_B);
  add('issuer-revoked-before-signing', 'Signed with hospital B’s key after its revocation', {
    qr: (await credentials(domain, p8, kids.b, '2026-06-15T00:00:00Z')).qr,
  }, {
    valid: false,
    status: 'unknown',
    reason: 'ISSUER_REVOKED',
    certificate: shown(p8, '2026-06-15T00:00:00Z'),
    householdRegistered: false,
    checks: checks('format:pass', 'signature:pass', 'issuer:fail'),
  });

  const p3 = payloadFor('Q440000003');
  add('superseded', 'Replaced by Q440000005', { signedJson: (await credentials(domain, p3, kids.a, SIGNED_AT)).signedJson }, {
    valid: false,
    status: 'superseded',
    reason: 'SUPERSEDED',
    supersededBy: 'Q440000005',
    certificate: shown(p3, SIGNED_AT),
    householdRegistered: false,
    checks: checks('format:pass', 'signature:pass', 'issuer:pass', 'status:fail'),
  });
  const p7 = payloadFor('Q440000007');
  add('void', 'Voided in the register', { qr: (await credentials(domain, p7, kids.a, SIGNED_AT)).qr }, {
    valid: false,
    status: 'void',
    reason: 'VOID',
    certificate: shown(p7, SIGNED_AT),
    householdRegistered: false,
    checks: checks('format:pass', 'signature:pass', 'issuer:pass', 'status:fail'),
  });
  const p12 = payloadFor('Q440000011');
  add('revoked', 'Revoked in the register (fraud)', { signedJson: (await credentials(domain, p12, kids.a, SIGNED_AT)).signedJson }, {
    valid: false,
    status: 'revoked',
    reason: 'REVOKED',
    certificate: shown(p12, SIGNED_AT),
    householdRegistered: false,
    checks: checks('format:pass', 'signature:pass', 'issuer:pass', 'status:fail'),
  });
  const p11 = payloadFor('Q449999999');
  add('not-found', 'Genuinely signed, but the number is not in the register', {
    qr: (await credentials(domain, p11, kids.a, SIGNED_AT)).qr,
  }, {
    valid: false,
    status: 'unknown',
    reason: 'NOT_FOUND',
    certificate: shown(p11, SIGNED_AT),
    householdRegistered: false,
    checks: checks('format:pass', 'signature:pass', 'issuer:pass', 'status:fail'),
  });

  const alteredPayload = { ...main.signedJson, payload: b64(p1Json.replace('李沐阳', '李沐阴')) };
  add('payload-altered', 'One character of the newborn’s name changed', { signedJson: alteredPayload }, BAD_SIGNATURE);
  const alteredHeader = {
    ...main.signedJson,
    protected: b64(JSON.stringify({ ...elicenceHeader(keyA, SIGNED_AT), sigT: '2026-11-21T02:15:31Z' })),
  };
  add('header-altered', 'One digit of the signing time changed', { signedJson: alteredHeader }, BAD_SIGNATURE);
  add('signature-altered', 'One character in the middle of the signature changed', {
    signedJson: { ...main.signedJson, signature: flipCharacter(main.signedJson.signature, 40) },
  }, BAD_SIGNATURE);
  // ECDSA malleability: (r, n − s) verifies mathematically; only the low-S form we sign is accepted.
  add('high-s-signed-json', 'The genuine e-licence signature in its high-S twin form (r, n − s)', {
    signedJson: { ...main.signedJson, signature: b64(flipS(Buffer.from(main.signedJson.signature, 'base64url'))) },
  }, BAD_SIGNATURE);
  const highS = qrParts(main.qr);
  highS.signature = Uint8Array.from(flipS(Buffer.from(highS.signature)));
  add('high-s-qr', 'The genuine QR signature in its high-S twin form (r, n − s)', { qr: qrText(highS) }, BAD_SIGNATURE);
  const altered = qrParts(main.qr);
  (altered.claims.get(-65537) as Map<number, unknown>).set(3, 2);
  add('qr-payload-altered', 'The sex claim flipped from 1 to 2, the signature kept', { qr: qrText(altered) }, BAD_SIGNATURE);
  const flipped = qrParts(main.qr);
  flipped.signature = Uint8Array.from(flipped.signature, (byte, index) => (index === 30 ? byte ^ 1 : byte));
  add('qr-signature-altered', 'One bit in the middle of the QR signature changed', { qr: qrText(flipped) }, BAD_SIGNATURE);
  const swapped = qrParts(main.qr);
  swapped.protectedHeader.set(4, Uint8Array.from(Buffer.from(kids.aOld, 'base64url').subarray(0, 8)));
  add('qr-kid-swapped', 'The kid replaced by hospital A’s old key’s, the signature kept', { qr: qrText(swapped) }, BAD_SIGNATURE);

  const strayStore = fixtureKeyStore(domain, domain.privateKeys.get(kids.stray));
  const forged = await credentials(domain, p1, kids.a, SIGNED_AT, strayStore);
  add('wrong-key', 'Claims hospital A’s kid and certificate, signed with another key', { signedJson: forged.signedJson }, BAD_SIGNATURE);
  add('qr-wrong-key', 'QR claiming hospital A’s kid, signed with another key', { qr: forged.qr }, BAD_SIGNATURE);
  add('unknown-kid', 'QR signed by a key the trust list does not know', {
    qr: (await credentials(domain, p1, kids.stray, SIGNED_AT)).qr,
  }, { valid: false, status: 'unknown', reason: 'UNTRUSTED_ISSUER', householdRegistered: false, checks: checks('format:pass', 'signature:skip', 'issuer:fail') });
  add('untrusted-root', 'Self-consistent e-licence whose x5c chains to a root nobody trusts', {
    signedJson: (await credentials(domain, p1, kids.impostor, SIGNED_AT)).signedJson,
  }, { valid: false, status: 'unknown', reason: 'UNTRUSTED_ISSUER', householdRegistered: false, checks: checks('format:pass', 'signature:pass', 'issuer:fail') });
  add('kid-x5c-mismatch', 'kid names hospital B’s key, x5c and signature are hospital A’s', {
    signedJson: signRaw(domain.privateKeys.get(kids.a)!, { ...elicenceHeader(keyA, SIGNED_AT), kid: kids.b }, p1Json),
  }, BAD_SIGNATURE);
  add('crit-header', 'A crit header parameter (RFC 7515 §4.1.11) we do not implement', {
    signedJson: signRaw(domain.privateKeys.get(kids.a)!, { ...elicenceHeader(keyA, SIGNED_AT), crit: ['sigT'] }, p1Json),
  }, BAD_SIGNATURE);
  const hmac = qrParts(main.qr);
  hmac.protectedHeader.set(1, 5);
  add('qr-alg-hmac', 'COSE alg HMAC 256/256 keyed with the institution certificate (algorithm confusion)', {
    qr: qrText(hmac, (data) => new Uint8Array(createHmac('sha256', domain.records.find((r) => r.kid === kids.a)!.x509Pem).update(data).digest())),
  }, BAD_SIGNATURE);
  const legacy = qrParts(main.qr);
  add('hc1-prefix', 'A genuine credential under the health-certificate prefix HC1:', { qr: qrText(legacy, undefined, 'HC1:') }, MALFORMED);
  add('legacy-compact-jws', 'A compact JWS QR text (the profile before BC1:)', {
    qr: `${b64(JSON.stringify({ alg: 'ES256', kid: kids.a.slice(0, 8) }))}.${b64('payload')}.${b64(new Uint8Array(64))}`,
  }, MALFORMED);
  add('hs256-public-key-as-secret', 'HS256 keyed with the institution certificate (algorithm confusion)', {
    signedJson: hs256WithPublicKey({ ...elicenceHeader(keyA, SIGNED_AT), alg: 'HS256' }, p1Json, domain.records.find((r) => r.kid === kids.a)!.x509Pem),
  }, BAD_SIGNATURE);

  add('truncated', 'QR text cut in half', { qr: main.qr.slice(0, Math.floor(main.qr.length / 2)) }, MALFORMED);
  add('bad-base45', 'A lower-case letter (not base45) in the QR text', { qr: `${main.qr.slice(0, 20)}a${main.qr.slice(21)}` }, MALFORMED);
  add('trailing-character', 'QR text followed by a newline', { qr: `${main.qr}\n` }, MALFORMED);
  add('utf8-bom', 'QR text preceded by a UTF-8 byte-order mark', { qr: `\uFEFF${main.qr}` }, MALFORMED);
  add('payload-utf8-bom', 'A correctly signed e-licence whose payload bytes start with a BOM', {
    signedJson: signRaw(domain.privateKeys.get(kids.a)!, elicenceHeader(keyA, SIGNED_AT), `\uFEFF${p1Json}`),
  }, MALFORMED);
  add('oversize', 'A QR text far longer than any QR code holds', { qr: main.qr.repeat(8) }, MALFORMED);
  add('not-a-jws', 'A number where the signed JSON belongs', { signedJson: 42 }, MALFORMED);
  add('qr-digest-mismatch', 'A genuine QR presented with a genuine e-licence of another signing', {
    qr: main.qr,
    signedJson: resigned.signedJson,
  }, {
    valid: false,
    status: 'valid',
    reason: 'DATA_MISMATCH',
    certificate: shown(p1, '2026-11-21T02:16:00Z'),
    householdRegistered: false,
    checks: [...OK, ...checks('consistency:fail')],
  });
  return vectors;
}
