/**
 * Makes the known-answer vectors ONCE: `tsx tests/vectors/generate.ts [--force]`.
 * Refuses to overwrite existing vectors without --force: vectors that change silently prove
 * nothing. The fixture keys (TEST ONLY) are created on the very first run and reused after.
 * Before writing, every vector is run through the verifier and must give its stated result.
 */
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createCoseQrCodec } from '../../src/adapters/cose/cose-qr-codec.ts';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { zlibCompression } from '../../src/adapters/status-lists/zlib-compression.ts';
import { signStatusListToken } from '../../src/domain/status-lists/status-list-token.ts';
import { packStatuses, STATUS_VALUE } from '../../src/domain/status-lists/status-values.ts';
import { buildOfflineBundle } from '../../src/domain/trust/build-offline-bundle.ts';
import { buildTrustList } from '../../src/domain/trust/build-trust-list.ts';
import { createTrustStore } from '../../src/domain/trust/create-trust-store.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { TYPE_CODE } from '../adapters/pki-test-kit.ts';
import { fixtureDomain, TIMELINE } from './fixture-domain.ts';
import { registerOf, type VectorContext } from './load-vectors.ts';
import { buildVectors, REGISTER, STATUS_LIST_SIZE, STATUS_LIST_URI, statusPlaceOf } from './vector-cases.ts';
import { fixtureKeyStore } from './vector-credentials.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const output = (file: string) => path.join(here, file);

async function main(): Promise<void> {
  if (existsSync(output('vectors.json')) && !process.argv.includes('--force')) {
    console.error('tests/vectors/vectors.json exists; regenerate only deliberately, with --force');
    process.exitCode = 1;
    return;
  }
  const domain = await fixtureDomain();
  const root = domain.records.find((record) => record.purpose === 'root')!;
  const now = new Date(TIMELINE.now);
  const trustList = buildTrustList({ rootX509Pem: root.x509Pem, keys: domain.records, licenceTypeCode: TYPE_CODE, issuedAt: now });
  const context: VectorContext = { now: TIMELINE.now, licenceTypeCode: TYPE_CODE, trustList, register: REGISTER, keys: domain.records };
  const vectors = await buildVectors(domain);

  const ports = {
    trust: createTrustStore(trustList, nodeX509),
    register: registerOf(REGISTER),
    jws: createNodeJwsVerifier(),
    qr: createCoseQrCodec(),
    clock: { now: () => now },
  };
  for (const vector of vectors) {
    const actual = await verify(vector.input, ports);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(actual)), vector.expected)) {
      throw new Error(`${vector.name}: expected ${JSON.stringify(vector.expected)}\n got ${JSON.stringify(actual)}`);
    }
  }

  const keyStore = fixtureKeyStore(domain);
  const statusSigner = domain.records.find((record) => record.purpose === 'status-list')!;
  const statusList = await signStatusListToken({
    uri: STATUS_LIST_URI,
    bits: packStatuses(
      STATUS_LIST_SIZE,
      REGISTER.map((entry) => ({ idx: statusPlaceOf(entry).idx, value: STATUS_VALUE[entry.status] })),
    ),
    issuedAt: now,
    signer: statusSigner,
    keyStore,
    x509: nodeX509,
    compression: zlibCompression,
  });
  const signer = domain.records.find((record) => record.purpose === 'trust-list')!;
  const bundle = await buildOfflineBundle({ trustList, statusLists: [statusList], asOf: now, signer, keyStore, x509: nodeX509 });
  const note = 'TEST ONLY: made with the committed fixture keys of tests/vectors/keys. Never trust this root.';
  writeFileSync(output('context.json'), `${JSON.stringify(context, null, 2)}\n`);
  writeFileSync(output('vectors.json'), `${JSON.stringify({ note, generatedAt: new Date().toISOString(), vectors }, null, 2)}\n`);
  writeFileSync(output('bundle.json'), `${JSON.stringify(bundle, null, 2)}\n`);
  writeFileSync(output('root.pem'), root.x509Pem);
  console.log(`wrote ${vectors.length} vectors`);
}

await main();
