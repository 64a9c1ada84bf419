import type { CertificateStatus } from '../../domain/certificate.ts';
import type { KeyStore } from '../../domain/ports.ts';
import { TRUST_BUNDLE_TYP } from '../../domain/verification/profile.ts';
import { type FlattenedJws, signJwsParts } from '../jws/flattened-jws.ts';
import type { SigningKeyRecord } from '../keystore/signing-key-repository.ts';
import { pemToX5c } from '../pki/pem.ts';
import type { TrustList } from './build-trust-list.ts';

/** One certificate number in the status snapshot. Optional members appear only when set. */
export interface RegisterSnapshotEntry {
  certificateNo: string;
  status: CertificateStatus;
  supersededBy?: string;
  householdRegistered?: true;
  /** base64url SHA-256 of the e-licence's signing input: catches a genuine-looking forgery. */
  licenceDigest?: string;
}

export interface OfflineBundlePayload {
  version: 1;
  /** The register as of this instant; statuses may have changed since. */
  asOf: string;
  trustList: TrustList;
  register: RegisterSnapshotEntry[];
}

export interface OfflineBundleRequest {
  trustList: TrustList;
  register: readonly RegisterSnapshotEntry[];
  asOf: Date;
  /** The active trust-list signing key (purpose `trust-list`), not the root: the root stays offline. */
  signer: SigningKeyRecord;
  keyStore: KeyStore;
}

/**
 * The offline bundle: trust list + status snapshot in one flattened JWS signed by the
 * trust-list key, whose certificate (in x5c) chains to the root the bundle carries. A verifier
 * should pin that root out of band; the signature then proves the whole bundle came from it.
 */
export async function buildOfflineBundle(request: OfflineBundleRequest): Promise<FlattenedJws> {
  if (request.signer.purpose !== 'trust-list') throw new TypeError('Offline bundles are signed by a trust-list key');
  const payload: OfflineBundlePayload = {
    version: 1,
    asOf: request.asOf.toISOString(),
    trustList: request.trustList,
    register: [...request.register].sort((a, b) => a.certificateNo.localeCompare(b.certificateNo)),
  };
  const header = {
    alg: 'ES256',
    typ: TRUST_BUNDLE_TYP,
    kid: request.signer.kid,
    x5c: [pemToX5c(request.signer.x509Pem)],
  };
  return signJwsParts(header, Buffer.from(JSON.stringify(payload), 'utf8'), request.signer.kid, request.keyStore);
}
