import { createHash } from 'node:crypto';
import type { VerificationPorts } from '../domain/verification/ports.ts';
import type { VerificationReason, VerificationResult } from '../domain/verification/result.ts';
import { verify } from '../domain/verification/verify.ts';
import { inspectPdf, type PdfInspectionFailure } from './pdf/index.ts';

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

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function x5cLeafOf(signedJsonText: string): Uint8Array | null {
  try {
    const header = JSON.parse(Buffer.from(JSON.parse(signedJsonText).protected, 'base64url').toString('utf8'));
    return typeof header.x5c?.[0] === 'string' ? Buffer.from(header.x5c[0], 'base64') : null;
  } catch {
    return null;
  }
}

/**
 * A PDF e-certificate: its PDF signature must be intact over the whole file and made with the
 * certificate that signed the embedded e-licence; then the embedded e-licence and the QR on the
 * page go through the one verifier together (which also checks they belong to each other).
 */
export async function verifyPdf(bytes: Uint8Array, ports: VerificationPorts): Promise<PdfVerificationResult> {
  const inspection = await inspectPdf(bytes);
  if (!inspection.ok) {
    return {
      valid: false,
      status: 'unknown',
      reason: reasonOf[inspection.reason],
      householdRegistered: false,
      checks: [{ name: 'pdf', result: 'fail' }],
      pdf: { failure: inspection.reason, detail: inspection.detail },
    };
  }
  const leaf = x5cLeafOf(inspection.signedJsonText);
  const signer = inspection.signature.signerCertDer;
  if (!leaf || !signer || sha256(leaf) !== sha256(signer)) {
    return {
      valid: false,
      status: 'unknown',
      reason: 'DATA_MISMATCH',
      householdRegistered: false,
      checks: [{ name: 'pdf', result: 'fail' }],
      pdf: {
        failure: 'BAD_SIGNATURE',
        detail: 'the PDF was not signed with the certificate that signed its e-licence',
      },
    };
  }
  const result = await verify({ signedJson: inspection.signedJsonText, qr: inspection.qrText }, ports);
  return { ...result, checks: [{ name: 'pdf', result: 'pass' }, ...result.checks] };
}
