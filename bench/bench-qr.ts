/**
 * `npm run bench:qr`: sizes and speeds of the BC1: QR profile and of token status lists.
 *  - QR version at level M for every fixture record and for the worst case the schema allows;
 *  - a status list of 10,000,000 entries with 1 % not valid: compressed size, and the time to
 *    change one entry and re-sign the list (against a same-run baseline: deflate alone);
 *  - in-process QR verification (against a same-run baseline: one bare ES256 verification).
 */
import 'reflect-metadata';
import { createPublicKey, verify as nodeVerify, randomInt } from 'node:crypto';
import { createCoseQrCodec } from '../src/adapters/cose/cose-qr-codec.ts';
import { createNodeJwsVerifier } from '../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../src/adapters/jws/sign-credentials.ts';
import { encodeQrModules } from '../src/adapters/pdf/qr-drawing.ts';
import { nodeX509 } from '../src/adapters/pki/node-x509.ts';
import { zlibCompression } from '../src/adapters/status-lists/zlib-compression.ts';
import { signStatusListToken } from '../src/domain/status-lists/status-list-token.ts';
import { packStatuses, STATUS_VALUE } from '../src/domain/status-lists/status-values.ts';
import { buildTrustList } from '../src/domain/trust/build-trust-list.ts';
import { createTrustStore } from '../src/domain/trust/create-trust-store.ts';
import type { VerificationPorts } from '../src/domain/verification/ports.ts';
import { readQrClaims } from '../src/domain/verification/qr-claims.ts';
import { verify } from '../src/domain/verification/verify.ts';
import { createTestDomain, sampleLicence, TYPE_CODE, worstCaseLicence } from '../tests/adapters/pki-test-kit.ts';
import { certificateFor, fixtureRecords } from '../tests/fixtures/records.ts';

const now = new Date('2026-11-21T02:15:30Z');
const domain = await createTestDomain();
/** The default PUBLIC_BASE_URL; a deployment's own host name is about as long. */
const STATUS = { idx: 40_000, uri: 'http://localhost:3000/api/v1/status-lists/1' };

console.log(`node ${process.version}\n\nQR version at level M (alphanumeric), status uri ${STATUS.uri}`);
const versions: number[] = [];
const codec = createCoseQrCodec();
async function report(label: string, payload: ReturnType<typeof sampleLicence>) {
  const { qr } = await signCredentials(payload, domain.keyA, domain.keyStore, { now: () => now });
  const { version } = encodeQrModules(qr);
  versions.push(version);
  const claims = readQrClaims(codec.decode(qr)!.claims, TYPE_CODE)!;
  const cut = (name: string, truncated: boolean) => (truncated ? `${name}… (cut)` : name);
  const names = `${cut(claims.newbornName, claims.newbornNameTruncated)} / ${cut(claims.motherName, claims.motherNameTruncated)}`;
  console.log(`  ${label.padEnd(34)} v${version}  ${String(qr.length).padStart(3)} chars  ${names}`);
}
for (const [index, record] of fixtureRecords.entries()) {
  const certificate = certificateFor(record);
  await report(`record ${index} ${record.case}`.slice(0, 34), {
    ...sampleLicence({
      newbornName: certificate.newborn.name,
      motherName: certificate.mother.name,
      birthTime: certificate.newborn.birthTime,
      status: STATUS,
    }),
  });
}
const typical = [...versions].sort((a, b) => a - b)[Math.floor(versions.length / 2)]!;
await report('worst case (names cut, flagged)', worstCaseLicence());
console.log(
  `  median of the fixture records: v${typical}; worst: v${Math.max(...versions)} (goals: typical ≤ 11, all ≤ 13)`,
);

const ENTRIES = 10_000_000;
const nonValid = new Map<number, number>();
while (nonValid.size < ENTRIES / 100) nonValid.set(randomInt(ENTRIES), 1 + randomInt(3));
const entries = () => [...nonValid].map(([idx, value]) => ({ idx, value }));
const signer = domain.register.active('status-list')!;
const bits = packStatuses(ENTRIES, entries());
const resign = async () => {
  nonValid.set(randomInt(ENTRIES), STATUS_VALUE.void);
  return signStatusListToken({
    uri: STATUS.uri,
    bits: packStatuses(ENTRIES, entries()),
    issuedAt: now,
    signer,
    keyStore: domain.keyStore,
    x509: nodeX509,
    compression: zlibCompression,
  });
};
const token = await resign();
const compressed = zlibCompression.deflate(bits).length;
const time = async (runs: number, work: () => unknown) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await work();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
};
const resignMs = await time(5, resign);
const deflateMs = await time(5, () => zlibCompression.deflate(bits));
console.log(`\nStatus list, ${ENTRIES.toLocaleString('en')} entries, 1 % not valid (2 bits each)`);
console.log(
  `  raw ${(bits.length / 1024).toFixed(0)} KB, zlib ${(compressed / 1024).toFixed(0)} KB, token ${(token.length / 1024).toFixed(0)} KB (goal ≤ 220 KB compressed)`,
);
console.log(
  `  change one entry + pack + deflate + sign: ${resignMs.toFixed(1)} ms (goal ≤ 50 ms); deflate alone ${deflateMs.toFixed(1)} ms; ratio ${(resignMs / deflateMs).toFixed(2)}`,
);

const { qr } = await signCredentials(sampleLicence({ status: STATUS }), domain.keyA, domain.keyStore, {
  now: () => now,
});
const ports: VerificationPorts = {
  trust: createTrustStore(
    buildTrustList({
      rootX509Pem: domain.register.active('root')!.x509Pem,
      keys: domain.register.list(),
      licenceTypeCode: TYPE_CODE,
      issuedAt: now,
    }),
    nodeX509,
  ),
  register: { lookup: () => ({ status: 'valid', supersededBy: null, householdRegistered: false }) },
  jws: createNodeJwsVerifier(),
  qr: createCoseQrCodec(),
  clock: { now: () => now },
};
const cose = createCoseQrCodec().decode(qr)!;
const key = createPublicKey({ key: { ...domain.keyA.publicJwk }, format: 'jwk' });
if (!(await verify({ qr }, ports)).valid) throw new Error('the benchmark QR does not verify');
const RUNS = 5000;
await time(500, () => verify({ qr }, ports));
const verifyMs = await time(RUNS, () => verify({ qr }, ports));
const bareMs = await time(RUNS, () =>
  nodeVerify('sha256', cose.toBeSigned, { key, dsaEncoding: 'ieee-p1363' }, cose.signature),
);
console.log(`\nIn-process QR verification (${RUNS} runs)`);
console.log(
  `  verify({qr}): ${verifyMs.toFixed(3)} ms/op (goal ≤ 0.2 ms); bare ES256 verify ${bareMs.toFixed(3)} ms/op; ratio ${(verifyMs / bareMs).toFixed(2)}`,
);
domain.close();
