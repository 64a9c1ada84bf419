/**
 * Loader of the known-answer vectors, for every route that verifies (the in-process verifier,
 * the HTTP route, the offline CLI). TEST ONLY material.
 */
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SigningKeyRecord } from '../../src/domain/trust/ports.ts';
import type { TrustList } from '../../src/domain/trust/build-trust-list.ts';
import { createTrustStore, type TrustStore } from '../../src/domain/trust/create-trust-store.ts';
import type { Clock } from '../../src/domain/ports.ts';
import type { CertificateRegister, QrCodec } from '../../src/domain/verification/ports.ts';
import type { RegisterVectorEntry, Vector } from './vector-cases.ts';
import { createCoseQrCodec } from '../../src/adapters/cose/cose-qr-codec.ts';

export const vectorsDirectory = path.dirname(fileURLToPath(import.meta.url));

export interface VectorContext {
  /** The instant every vector is verified at. */
  now: string;
  licenceTypeCode: string;
  trustList: TrustList;
  register: RegisterVectorEntry[];
  /** The key register rows (public), to seed a signing_keys table. */
  keys: SigningKeyRecord[];
}

export interface LoadedVectors {
  context: VectorContext;
  vectors: Vector[];
  trust: TrustStore;
  register: CertificateRegister;
  qr: QrCodec;
  clock: Clock;
  /** Path of the offline bundle made from the same context (for the CLI). */
  bundleFile: string;
  rootPemFile: string;
}

export function loadVectors(): LoadedVectors {
  const read = (file: string) => JSON.parse(readFileSync(path.join(vectorsDirectory, file), 'utf8'));
  const context = read('context.json') as VectorContext;
  const vectors = (read('vectors.json') as { vectors: Vector[] }).vectors;
  return {
    context,
    vectors,
    trust: createTrustStore(context.trustList, nodeX509),
    register: registerOf(context.register),
    qr: createCoseQrCodec(),
    clock: { now: () => new Date(context.now) },
    bundleFile: path.join(vectorsDirectory, 'bundle.json'),
    rootPemFile: path.join(vectorsDirectory, 'root.pem'),
  };
}

/** The vectors' register, looked up by certificate number (as the service's database is). */
export function registerOf(entries: readonly RegisterVectorEntry[]): CertificateRegister {
  const byNumber = new Map(entries.map((entry) => [entry.certificateNo, entry]));
  return {
    lookup(certificateNo) {
      const entry = byNumber.get(certificateNo);
      return entry
        ? { status: entry.status, supersededBy: entry.supersededBy ?? null, householdRegistered: entry.householdRegistered === true }
        : null;
    },
  };
}
