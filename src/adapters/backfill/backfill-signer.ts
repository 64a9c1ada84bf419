import type { CertificateSigner } from '../../domain/lifecycle/ports.ts';
import type { SigningKey } from '../../domain/ports.ts';
import { signCredentials } from '../jws/sign-credentials.ts';
import type { SealedKeyStore } from '../keystore/sealed-key-store.ts';

/**
 * Both signatures of a back-issued e-licence, as certificate-production.ts's signer makes them,
 * without that module's PDF half: a back-issuance thread renders no PDF, and loading pdf-lib,
 * fontkit and the layout cost each thread ~0.9 s of its start and ~25 MB. `activeKey` may answer
 * from a memo (one key lookup per batch); the QR is not tried with zlib (docs/backfill.md).
 */
export function createBackfillSigner(
  keyStore: SealedKeyStore,
  activeKey: (institutionCreditCode: string) => SigningKey = (code) => keyStore.activeKey(code),
): CertificateSigner {
  return {
    async sign(payload, issuedAt) {
      const key = activeKey(payload.certificate.issuer.creditCode);
      const signed = await signCredentials(payload, key, keyStore, { now: () => issuedAt }, { compressQr: false });
      return {
        signedJson: JSON.stringify(signed.signedJson),
        qrText: signed.qr,
        licenceDigest: signed.licenceDigest,
        kid: key.kid,
      };
    },
  };
}
