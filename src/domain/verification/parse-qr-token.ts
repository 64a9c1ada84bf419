import { encodeBase64url } from './base64url.ts';
import type { CborMap, QrCodec } from './ports.ts';
import { malformed, type ParseOutcome } from './presented-credential.ts';
import { COSE_ES256, COSE_HEADER, MAX_QR_TEXT_LENGTH, QR_KID_BYTES, QR_PREFIX } from './profile.ts';
import { readQrClaims, TRUNCATION_MARK } from './qr-claims.ts';

/** Labels a protected header may hold: alg, crit (refused at the signature check) and kid. */
const HEADER_LABELS = new Set<unknown>([COSE_HEADER.alg, 2, COSE_HEADER.kid]);

/**
 * The protected header as the signature check reads it: `alg` named as in JOSE (`ES256` for
 * -7, anything else kept as text so it fails there) and the kid in base64url. Null unless the
 * kid is exactly 8 bytes and nothing but alg, crit and kid is present.
 */
function headerOf(protectedHeader: CborMap): Record<string, unknown> | null {
  if ([...protectedHeader.keys()].some((label) => !HEADER_LABELS.has(label))) return null;
  const alg = protectedHeader.get(COSE_HEADER.alg);
  const kid = protectedHeader.get(COSE_HEADER.kid);
  if (!(kid instanceof Uint8Array) || kid.length !== QR_KID_BYTES || alg === undefined) return null;
  return {
    alg: alg === COSE_ES256 ? 'ES256' : String(alg),
    kid: encodeBase64url(kid),
    ...(protectedHeader.has(2) && { crit: protectedHeader.get(2) }),
  };
}

/**
 * Format check of a QR text: `BC1:` and one canonical encoding of a COSE_Sign1 (ES256 header in
 * the protected bucket, an empty unprotected one) whose payload is our CWT claims set. Anything
 * else — another prefix, a BOM, whitespace, a trailing character, oversize text — is malformed.
 */
export function parseQrToken(text: unknown, codec: QrCodec, licenceTypeCode: string): ParseOutcome {
  if (typeof text !== 'string' || text.length > MAX_QR_TEXT_LENGTH || !text.startsWith(QR_PREFIX)) return malformed;
  const cose = codec.decode(text);
  if (cose?.unprotectedHeader.size !== 0) return malformed;
  const header = headerOf(cose.protectedHeader);
  const claims = readQrClaims(cose.claims, licenceTypeCode);
  if (!header || !claims) return malformed;
  const display = (name: string, truncated: boolean) => (truncated ? `${name}${TRUNCATION_MARK}` : name);
  return {
    ok: true,
    credential: {
      kind: 'qr',
      header,
      kid: header.kid as string,
      signingInput: cose.toBeSigned,
      signature: cose.signature,
      x5c: null,
      signedAtMs: claims.issuedAt * 1000,
      issuerCreditCode: claims.issuerCreditCode,
      certificateNo: claims.certificateNo,
      claimedDigest: claims.licenceDigest,
      issuerName: null,
      licenceId: claims.licenceId,
      status: claims.status,
      newborn: {
        name: display(claims.newbornName, claims.newbornNameTruncated),
        sex: claims.sex,
        birthTime: claims.birthTime,
      },
      mother: { name: display(claims.motherName, claims.motherNameTruncated) },
      issueDate: claims.issueDate,
      qrClaims: claims,
    },
  };
}
