import type { ELicencePayload } from '../../domain/certificate.ts';
import { DomainError } from '../../domain/errors.ts';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { ELICENCE_TYP } from '../../domain/verification/profile.ts';
import { type FlattenedJws, protectedPartOf, signingTime, signJwsParts } from './flattened-jws.ts';

export interface SignOptions {
  /** The signing (= issue) time; revocation is judged against it. Defaults to now. */
  signedAt?: Date;
}

/** An institution signs only its own licences: the key, the envelope and the certificate must agree. */
export function assertKeyFitsLicence(payload: ELicencePayload, key: SigningKey): void {
  const code = key.institutionCreditCode;
  if (payload.licence.issuer.creditCode !== code || payload.certificate.issuer.creditCode !== code) {
    throw new DomainError('SIGNING_KEY_MISMATCH', `Key ${key.kid} belongs to institution ${code}, not to the issuer`, [
      { path: 'licence.issuer.creditCode', item: '签发机构', message: 'must be the signing institution' },
    ]);
  }
}

/**
 * The signed e-licence: a flattened JWS whose protected header is
 * `{alg: ES256, typ: birth-certificate+jws, kid: RFC 7638 thumbprint, x5c, sigT}` and whose
 * payload is the UTF-8 JSON of the e-licence. `sigT` (the JAdES signing-time parameter, not
 * marked `crit` so every JOSE library still verifies it) records when it was signed.
 */
export async function signELicence(
  payload: ELicencePayload,
  key: SigningKey,
  keyStore: KeyStore,
  options: SignOptions = {},
): Promise<FlattenedJws> {
  assertKeyFitsLicence(payload, key);
  const protectedPart = elicenceHeaderPart(key, signingTime(options.signedAt ?? new Date()));
  return signJwsParts(protectedPart, Buffer.from(JSON.stringify(payload), 'utf8'), key.kid, keyStore);
}

/**
 * The protected header's part, made once per key for a run of e-licences it signs in one second
 * (a back-issuance batch, a burst of issues): with the certificate chain it is ~1.6 KB of JSON
 * and base64url, which made up a third of what signing allocated per licence. Kept per key
 * object, as the institutions of a batch take turns.
 */
const lastHeaders = new WeakMap<SigningKey, { sigT: string; part: string }>();
function elicenceHeaderPart(key: SigningKey, sigT: string): string {
  let last = lastHeaders.get(key);
  if (last?.sigT !== sigT) {
    last = { sigT, part: protectedPartOf({ alg: 'ES256', typ: ELICENCE_TYP, kid: key.kid, x5c: key.x5c, sigT }) };
    lastHeaders.set(key, last);
  }
  return last.part;
}
