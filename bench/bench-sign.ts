/**
 * Time to sign one e-licence (flattened JWS + QR token) through the file key store, per
 * operation, on one core. Target: < 1 ms for both signatures. Run: `tsx bench/bench-sign.ts [n]`.
 */
import { signCredentials } from '../src/adapters/jws/sign-credentials.ts';
import { signELicence } from '../src/adapters/jws/sign-elicence.ts';
import { signQrToken } from '../src/adapters/jws/sign-qr-token.ts';
import { createTestDomain, sampleLicence, worstCaseLicence } from '../tests/adapters/pki-test-kit.ts';

const iterations = Number(process.argv[2] ?? 5000);
const domain = await createTestDomain();
const clock = { now: () => new Date('2026-11-21T02:15:30Z') };
const payload = sampleLicence();
const worst = worstCaseLicence();
const signed = await signELicence(payload, domain.keyA, domain.keyStore);

async function measure(label: string, operation: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await operation(); // warm-up: JIT, key decryption and caches
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await operation();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  console.log(
    `${label.padEnd(40)} ${(wallMs / iterations).toFixed(3)} ms/op wall  ${(cpuMs / iterations).toFixed(3)} ms/op cpu  ${Math.round((iterations * 1000) / wallMs)} ops/s`,
  );
}

console.log(`node ${process.version}, ${iterations} iterations`);
await measure('signed e-licence (flattened JWS)', () => signELicence(payload, domain.keyA, domain.keyStore));
await measure('QR credential (BC1: COSE_Sign1 over CWT, base45)', () =>
  signQrToken(payload, signed, domain.keyA, domain.keyStore),
);
await measure('both signatures of one e-licence', () => signCredentials(payload, domain.keyA, domain.keyStore, clock));
await measure('both, worst case (names cut to fit)', () => signCredentials(worst, domain.keyA, domain.keyStore, clock));
domain.close();
