/**
 * In-process verifier throughput, per operation, on one core: QR, signed e-licence, both, and
 * refusals. Run: `tsx bench/bench-verify.ts [n]`.
 */
import { createCoseQrCodec } from '../src/adapters/cose/cose-qr-codec.ts';
import { createNodeJwsVerifier } from '../src/adapters/jws/node-jws-verifier.ts';
import { signCredentials } from '../src/adapters/jws/sign-credentials.ts';
import { nodeX509 } from '../src/adapters/pki/node-x509.ts';
import { buildTrustList } from '../src/domain/trust/build-trust-list.ts';
import { createTrustStore } from '../src/domain/trust/create-trust-store.ts';
import { createRegisterTrustSource } from '../src/domain/trust/register-trust-source.ts';
import type { VerificationPorts } from '../src/domain/verification/ports.ts';
import { type VerificationInput, verify } from '../src/domain/verification/verify.ts';
import { createTestDomain, sampleLicence, TYPE_CODE } from '../tests/adapters/pki-test-kit.ts';

const iterations = Number(process.argv[2] ?? 10000);
const now = new Date('2026-11-21T02:15:30Z');
const domain = await createTestDomain();
const { signedJson, qr } = await signCredentials(sampleLicence(), domain.keyA, domain.keyStore, { now: () => now });
const register = { lookup: () => ({ status: 'valid' as const, supersededBy: null, householdRegistered: false }) };
const common = { register, jws: createNodeJwsVerifier(), qr: createCoseQrCodec(), clock: { now: () => now } };
const inMemory: VerificationPorts = {
  ...common,
  trust: createTrustStore(
    buildTrustList({
      rootX509Pem: domain.register.active('root')!.x509Pem,
      keys: domain.register.list(),
      licenceTypeCode: TYPE_CODE,
      issuedAt: now,
    }),
    nodeX509,
  ),
};
const sqlite: VerificationPorts = { ...common, trust: createRegisterTrustSource(domain.register, nodeX509, TYPE_CODE) };

async function measure(label: string, input: VerificationInput, ports: VerificationPorts): Promise<void> {
  const expected = await verify(input, ports);
  for (let i = 0; i < 500; i++) await verify(input, ports);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await verify(input, ports);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const outcome = expected.valid ? 'valid' : expected.reason;
  console.log(
    `${label.padEnd(44)} ${(wallMs / iterations).toFixed(3)} ms/op wall  ${(cpuMs / iterations).toFixed(3)} ms/op cpu  ${Math.round((iterations * 1000) / wallMs)} ops/s  (${outcome})`,
  );
}

console.log(`node ${process.version}, ${iterations} iterations`);
await measure('QR, trust list in memory (offline bundle)', { qr }, inMemory);
await measure('QR, trust from SQLite key register', { qr }, sqlite);
await measure('signed e-licence, trust list in memory', { signedJson }, inMemory);
await measure('signed e-licence, SQLite key register', { signedJson }, sqlite);
await measure('QR + signed e-licence', { qr, signedJson }, inMemory);
await measure('tampered QR signature', { qr: `${qr.slice(0, -9)}000000000` }, inMemory);
await measure('malformed input', { qr: `\uFEFF${qr}` }, inMemory);
domain.close();
