import type { SexCode } from '../certificate.ts';
import type { StatusReference } from './ports.ts';
import type { QrClaims } from './qr-claims.ts';

/** A credential that passed the format check: parsed, not yet trusted. */
export interface PresentedCredential {
  kind: 'qr' | 'signed-json';
  header: Readonly<Record<string, unknown>>;
  /** The header's kid: a full thumbprint (signed JSON) or the QR's 8-byte kid in base64url. */
  kid: string;
  /** The bytes the signature covers: the ASCII `protected.payload` (signed JSON) or the COSE Sig_structure (QR). */
  signingInput: Uint8Array;
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
  licenceId: string;
  /** The status list entry the credential names. */
  status: StatusReference;
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
