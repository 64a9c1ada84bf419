import type { JwsVerifier, RegisterEntry, StatusReference } from './ports.ts';
import type { PresentedCredential } from './presented-credential.ts';

/** The digest binding a credential to its e-licence: claimed by a QR, computed for signed JSON. */
function licenceDigestOf(credential: PresentedCredential, jws: JwsVerifier): string {
  return credential.claimedDigest ?? jws.sha256(credential.signingInput);
}

/** A QR name cut short to fit matches any full name it is the start of. */
function sameName(qrName: string, truncated: boolean, fullName: string): boolean {
  return truncated ? fullName.startsWith(qrName) : qrName === fullName;
}

const sameStatus = (a: StatusReference, b: StatusReference) => a.idx === b.idx && a.uri === b.uri;

function qrMatchesELicence(qr: PresentedCredential, eLicence: PresentedCredential, jws: JwsVerifier): boolean {
  const claims = qr.qrClaims!;
  return (
    sameStatus(qr.status, eLicence.status) &&
    claims.licenceDigest === licenceDigestOf(eLicence, jws) &&
    qr.certificateNo === eLicence.certificateNo &&
    qr.licenceId === eLicence.licenceId &&
    qr.newborn.sex === eLicence.newborn.sex &&
    qr.newborn.birthTime === eLicence.newborn.birthTime &&
    qr.issueDate === eLicence.issueDate &&
    sameName(claims.newbornName, claims.newbornNameTruncated, eLicence.newborn.name) &&
    sameName(claims.motherName, claims.motherNameTruncated, eLicence.mother.name)
  );
}

/**
 * Whether the presented credentials agree with each other (a QR lifted onto another
 * certificate) and with what the register recorded at issue (an identifier, digest or status
 * list entry it holds).
 * null when there is nothing to compare.
 */
export function checkConsistency(
  credentials: readonly PresentedCredential[],
  entry: RegisterEntry | null,
  jws: JwsVerifier,
): 'pass' | 'fail' | null {
  const qr = credentials.find((credential) => credential.kind === 'qr');
  const eLicence = credentials.find((credential) => credential.kind === 'signed-json');
  const comparesRegister = Boolean(entry?.licenceId || entry?.licenceDigest || entry?.statusList);
  if (!(qr && eLicence) && !comparesRegister) return null;
  if (qr && eLicence && !qrMatchesELicence(qr, eLicence, jws)) return 'fail';
  for (const credential of credentials) {
    if (entry?.licenceId && credential.licenceId !== entry.licenceId) return 'fail';
    if (entry?.licenceDigest && licenceDigestOf(credential, jws) !== entry.licenceDigest) return 'fail';
    if (entry?.statusList && !sameStatus(credential.status, entry.statusList)) return 'fail';
  }
  return 'pass';
}
