import type { ELicencePayload } from '../../domain/certificate.ts';
import type { Clock, KeyStore, SigningKey } from '../../domain/ports.ts';
import type { FlattenedJws } from './flattened-jws.ts';
import { licenceDigest } from './licence-digest.ts';
import { signELicence } from './sign-elicence.ts';
import { signQrToken } from './sign-qr-token.ts';

export interface SignedCredentials {
  signedJson: FlattenedJws;
  qr: string;
  /** `licenceDigest(signedJson)`: what the QR and the register entry bind to. */
  licenceDigest: string;
  /** The signing time both carry (whole seconds). */
  signedAt: Date;
}

/** Both signatures of one e-licence, with one signing time. */
export async function signCredentials(
  payload: ELicencePayload,
  key: SigningKey,
  keyStore: KeyStore,
  clock: Clock,
  options: { compressQr?: boolean } = {},
): Promise<SignedCredentials> {
  // Whole seconds: `sigT` and the QR's issue time have second precision and must agree.
  const signedAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
  const signedJson = await signELicence(payload, key, keyStore, { signedAt });
  const digest = licenceDigest(signedJson);
  const qr = await signQrToken(payload, { licenceDigest: digest }, key, keyStore, {
    signedAt,
    ...(options.compressQr !== undefined && { compress: options.compressQr }),
  });
  return { signedJson, qr, licenceDigest: digest, signedAt };
}
