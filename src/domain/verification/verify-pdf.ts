import { decodeBase64url, decodeUtf8, encodeBase64url } from './base64url.ts';
import type { PdfInspectionFailure, PdfInspector, VerificationPorts } from './ports.ts';
import type { VerificationReason, VerificationResult } from './result.ts';
import { verify } from './verify.ts';

export type PdfVerificationResult = Omit<VerificationResult, 'checks'> & {
  checks: { name: VerificationResult['checks'][number]['name'] | 'pdf'; result: 'pass' | 'fail' | 'skip' }[];
  pdf?: { failure: PdfInspectionFailure; detail: string };
};

const reasonOf: Record<PdfInspectionFailure, VerificationReason> = {
  NOT_PDF: 'MALFORMED',
  TRUNCATED: 'MALFORMED',
  MALFORMED: 'MALFORMED',
  NO_SIGNATURE: 'BAD_SIGNATURE',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  MODIFIED_AFTER_SIGNING: 'BAD_SIGNATURE',
  NO_ELICENCE: 'MALFORMED',
  BAD_ELICENCE: 'MALFORMED',
  NO_QR_TEXT: 'MALFORMED',
  QR_MISMATCH: 'DATA_MISMATCH',
};

/** The e-licence's leaf certificate (x5c[0], base64 DER) in base64url, or null. */
function x5cLeafOf(signedJsonText: string): string | null {
  try {
    const protectedPart = JSON.parse(signedJsonText).protected;
    const bytes = typeof protectedPart === 'string' ? decodeBase64url(protectedPart) : null;
    const text = bytes && decodeUtf8(bytes);
    if (!text) return null;
    const leaf = JSON.parse(text).x5c?.[0];
    return typeof leaf === 'string' ? leaf.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : null;
  } catch {
    return null;
  }
}

const refused = (failure: PdfInspectionFailure, detail: string, reason: VerificationReason): PdfVerificationResult => ({
  valid: false,
  status: 'unknown',
  reason,
  householdRegistered: false,
  checks: [{ name: 'pdf', result: 'fail' }],
  pdf: { failure, detail },
});

/**
 * A PDF e-certificate: its PDF signature must be intact over the whole file and made with the
 * certificate that signed the embedded e-licence; then the embedded e-licence and the QR on the
 * page go through the one verifier together (which also checks they belong to each other).
 */
export async function verifyPdf(
  bytes: Uint8Array,
  pdf: PdfInspector,
  ports: VerificationPorts,
): Promise<PdfVerificationResult> {
  const inspection = await pdf.inspect(bytes);
  if (!inspection.ok) return refused(inspection.reason, inspection.detail, reasonOf[inspection.reason]);
  const leaf = x5cLeafOf(inspection.signedJsonText);
  const signer = inspection.signature.signerCertDer;
  if (!leaf || !signer || leaf !== encodeBase64url(signer)) {
    return refused(
      'BAD_SIGNATURE',
      'the PDF was not signed with the certificate that signed its e-licence',
      'DATA_MISMATCH',
    );
  }
  const result = await verify({ signedJson: inspection.signedJsonText, qr: inspection.qrText }, ports);
  return { ...result, checks: [{ name: 'pdf', result: 'pass' }, ...result.checks] };
}
