import { decodeBase64url, decodeUtf8 } from './base64url.ts';
import { isRecord, malformed, type ParseOutcome } from './presented-credential.ts';
import { MAX_QR_TEXT_LENGTH } from './profile.ts';
import { decodeQrClaims, TRUNCATION_MARK } from './qr-claims.ts';

/** JSON of a base64url segment, or null. */
export function decodeJsonSegment(segment: string): unknown {
  const bytes = decodeBase64url(segment);
  const text = bytes && decodeUtf8(bytes);
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Format check of a QR text: exactly `header.payload.signature`, each canonical base64url, a
 * JSON object header with string `alg` and `kid`, and a payload that decodes to QR claims.
 * Anything else — a BOM, whitespace, a trailing character, oversize text — is malformed.
 */
export function parseQrToken(text: unknown): ParseOutcome {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_QR_TEXT_LENGTH) return malformed;
  const parts = text.split('.');
  if (parts.length !== 3) return malformed;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJsonSegment(headerPart);
  const payload = decodeBase64url(payloadPart);
  const signature = decodeBase64url(signaturePart);
  if (!isRecord(header) || !payload || !signature) return malformed;
  if (typeof header.alg !== 'string' || typeof header.kid !== 'string') return malformed;
  const claims = decodeQrClaims(payload);
  if (!claims) return malformed;
  const display = (name: string, truncated: boolean) => (truncated ? `${name}${TRUNCATION_MARK}` : name);
  return {
    ok: true,
    credential: {
      kind: 'qr',
      header,
      kid: header.kid,
      signingInput: `${headerPart}.${payloadPart}`,
      signature,
      x5c: null,
      signedAtMs: claims.issuedAt * 1000,
      issuerCreditCode: claims.licenceIdTail.slice(0, 18),
      certificateNo: claims.certificateNo,
      claimedDigest: claims.licenceDigest,
      issuerName: null,
      licenceId: null,
      licenceIdTail: claims.licenceIdTail,
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
