import type { SexCode } from '../certificate.ts';
import type { QrClaims } from './qr-claims.ts';

/** A credential that passed the format check: parsed, not yet trusted. */
export interface PresentedCredential {
  kind: 'qr' | 'signed-json';
  header: Readonly<Record<string, unknown>>;
  /** The header's kid: a full thumbprint (signed JSON) or the 8-character hint (QR). */
  kid: string;
  /** ASCII `protected.payload`, what the signature covers. */
  signingInput: string;
  signature: Uint8Array;
  /** Signed JSON only. */
  x5c: readonly string[] | null;
  signedAtMs: number;
  issuerCreditCode: string;
  certificateNo: string;
  /** The QR's digest claim; for signed JSON it is computed when needed. */
  claimedDigest: string | null;
  /** The issuer name the credential carries (a QR carries only the credit code). */
  issuerName: string | null;
  /** A QR carries the identifier without root arc and type code; they are added from the trust list. */
  licenceId: string | null;
  licenceIdTail: string;
  newborn: { name: string; sex: SexCode; birthTime: string };
  mother: { name: string };
  issueDate: string;
  qrClaims: QrClaims | null;
}

export type ParseOutcome = { ok: true; credential: PresentedCredential } | { ok: false };

export const malformed: ParseOutcome = { ok: false };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
