import { decodeBase64url, decodeJsonSegment } from './base64url.ts';
import { isRecord, malformed, type ParseOutcome } from './presented-credential.ts';
import {
  ELICENCE_TYP,
  MAX_PAYLOAD_LENGTH,
  MAX_PROTECTED_LENGTH,
  MAX_SIGNED_JSON_TEXT_LENGTH,
  MAX_X5C_LENGTH,
} from './profile.ts';
import { readELicencePayload } from './read-elicence-payload.ts';

const MEMBERS = ['payload', 'protected', 'signature'];
const BASE64_DER = /^[A-Za-z0-9+/]{1,8000}={0,2}$/;
const SIGNING_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** The JWS signing input is base64url text: its UTF-8 bytes are its ASCII bytes. */
const ascii = new TextEncoder();

/** Accepts the flattened JSON object or its JSON text (as read from a file). */
function toObject(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  if (input.length > MAX_SIGNED_JSON_TEXT_LENGTH || input.charCodeAt(0) === 0xfeff) return null;
  try {
    return JSON.parse(input);
  } catch {
    return null;
  }
}

/**
 * Format check of a flattened JWS e-licence: exactly `protected`, `payload` and `signature`
 * (an unprotected `header` would carry unsigned parameters), our `typ`, a kid, an x5c chain,
 * a `sigT` signing time, and a payload that reads as an e-licence.
 */
export function parseSignedELicence(input: unknown): ParseOutcome {
  const jws = toObject(input);
  if (!isRecord(jws) || Object.keys(jws).sort().join() !== MEMBERS.join()) return malformed;
  const { protected: protectedPart, payload: payloadPart, signature: signaturePart } = jws;
  if (typeof protectedPart !== 'string' || typeof payloadPart !== 'string' || typeof signaturePart !== 'string') {
    return malformed;
  }
  if (protectedPart.length > MAX_PROTECTED_LENGTH || payloadPart.length > MAX_PAYLOAD_LENGTH) return malformed;
  const header = decodeJsonSegment(protectedPart);
  const signature = decodeBase64url(signaturePart);
  if (!isRecord(header) || !signature) return malformed;
  const { typ, alg, kid, x5c, sigT } = header;
  if (typ !== ELICENCE_TYP || typeof alg !== 'string' || typeof kid !== 'string') return malformed;
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C_LENGTH) return malformed;
  if (!x5c.every((entry): entry is string => typeof entry === 'string' && BASE64_DER.test(entry))) return malformed;
  if (typeof sigT !== 'string' || !SIGNING_TIME.test(sigT) || Number.isNaN(Date.parse(sigT))) return malformed;
  const view = readELicencePayload(decodeJsonSegment(payloadPart));
  if (!view) return malformed;
  return {
    ok: true,
    credential: {
      kind: 'signed-json',
      header,
      kid,
      signingInput: ascii.encode(`${protectedPart}.${payloadPart}`),
      signature,
      x5c,
      signedAtMs: Date.parse(sigT),
      issuerCreditCode: view.issuer.creditCode,
      certificateNo: view.certificateNo,
      claimedDigest: null,
      issuerName: view.issuer.name,
      licenceId: view.licenceId,
      status: view.status,
      newborn: view.newborn,
      mother: view.mother,
      issueDate: view.issueDate,
      qrClaims: null,
    },
  };
}
