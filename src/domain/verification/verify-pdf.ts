import { decodeBase64url, decodeUtf8, encodeBase64url } from './base64url.ts';
import { judgeKeyAt, resolveX5cKey } from './check-issuer.ts';
import type {
  PdfInspectionFailure,
  PdfInspector,
  PdfSignatureReading,
  PdfTimestamp,
  VerificationPorts,
} from './ports.ts';
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
  RESOURCE_LIMIT: 'MALFORMED',
  NO_SIGNATURE: 'BAD_SIGNATURE',
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  MODIFIED_AFTER_SIGNING: 'BAD_SIGNATURE',
  UNTRUSTED_SIGNER: 'UNTRUSTED_ISSUER',
  SIGNER_REVOKED: 'ISSUER_REVOKED',
  NO_ELICENCE: 'MALFORMED',
  BAD_ELICENCE: 'MALFORMED',
  NO_QR_TEXT: 'MALFORMED',
  QR_MISMATCH: 'DATA_MISMATCH',
  NOT_ISSUED: 'DATA_MISMATCH',
  PAGE_MISMATCH: 'DATA_MISMATCH',
};

const standardBase64 = (bytes: Uint8Array): string => {
  const url = encodeBase64url(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
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

const refused = (failure: PdfInspectionFailure, detail: string, reason = reasonOf[failure]): PdfVerificationResult => ({
  valid: false,
  status: 'unknown',
  reason,
  householdRegistered: false,
  checks: [{ name: 'pdf', result: 'fail' }],
  pdf: { failure, detail },
});

/**
 * The time a timestamp proves, when its TSA certificate chains to the root as the trust domain's
 * timestamp authority and was valid at that time; null otherwise.
 */
function provenTime(timestamp: PdfTimestamp | null, ports: VerificationPorts): number | null {
  if (!timestamp || !ports.jws.checkTimestampAuthority) return null;
  const check = ports.jws.checkTimestampAuthority(timestamp.chainDer.map(standardBase64), ports.trust.rootX509());
  if (!check.trusted) return null;
  const at = timestamp.genTime.getTime();
  return at >= Date.parse(check.notBefore) && at <= Date.parse(check.notAfter) ? at : null;
}

/**
 * When the PDF was signed. The signature timestamp's time (PAdES B-T) when our timestamp
 * authority vouches for it: the signing key is judged then, so a PDF stays valid after its
 * certificate expires or its key is revoked later. Not the /M entry: that is the signer's own
 * claim, and a stolen key could backdate it to before its revocation. Legacy PDFs (before
 * timestamps) carry a CMS signing-time, the same kind of claim, judged as before; a PDF with
 * neither is judged as signed now.
 */
function signingTimeOf(signature: Extract<PdfSignatureReading, { ok: true }>, ports: VerificationPorts, nowMs: number) {
  return provenTime(signature.timestamp, ports) ?? signature.signingTime?.getTime() ?? nowMs;
}

/**
 * The PDF signature's own key, judged like the e-licence's: its certificate must chain to the
 * root as a trusted signing key, and the key must have been good at the PDF's signing time (a
 * PDF signed at or after the key's revocation is ISSUER_REVOKED, whatever the e-licence inside
 * says).
 */
async function checkPdfSigner(
  signature: Extract<PdfSignatureReading, { ok: true }>,
  ports: VerificationPorts,
  nowMs: number,
): Promise<PdfVerificationResult | { institution: string }> {
  const x5c = [signature.signerCertDer, ...signature.chainDer.slice(1)].map(standardBase64);
  const leaf = ports.jws.readX5cLeaf(x5c[0]!);
  const resolved = leaf && (await resolveX5cKey(x5c, leaf.kid, ports.jws, ports.trust));
  if (!resolved) return refused('UNTRUSTED_SIGNER', 'the PDF signer is not a trusted institution signing key');
  // Bytes after the signature are only accepted under our own document timestamps (PAdES B-LTA).
  if (signature.documentTimestamps.some((timestamp) => provenTime(timestamp, ports) === null)) {
    return refused('MODIFIED_AFTER_SIGNING', "a document timestamp is not from the trust domain's timestamp authority");
  }
  const signedAt = signingTimeOf(signature, ports, nowMs);
  const judged = judgeKeyAt(resolved, signedAt, nowMs);
  if (judged.result === 'pass') return { institution: resolved.key.institution.creditCode };
  return judged.reason === 'ISSUER_REVOKED'
    ? refused('SIGNER_REVOKED', "the PDF was signed at or after its key's revocation")
    : refused('UNTRUSTED_SIGNER', 'the PDF signing key was not valid at the PDF signing time');
}

/**
 * A PDF e-certificate, cheapest checks first: the PDF signature (nothing inflated yet) and its
 * signer's trust at its signing time; then the embedded e-licence and the QR on the page, which
 * must be signed with the PDF signer's certificate and go through the one verifier together;
 * last, the page must be the one issued — online the register's digest of the issued PDF,
 * offline a comparison of the page with the e-licence (`pageMatches`).
 */
export async function verifyPdf(
  bytes: Uint8Array,
  pdf: PdfInspector,
  ports: VerificationPorts,
): Promise<PdfVerificationResult> {
  const nowMs = ports.clock.now().getTime();
  const signature = await pdf.readSignature(bytes);
  if (!signature.ok) return refused(signature.reason, signature.detail);
  const signer = await checkPdfSigner(signature, ports, nowMs);
  if (!('institution' in signer)) return signer;

  const contents = await pdf.readContents(bytes);
  if (!contents.ok) return refused(contents.reason, contents.detail);
  const leaf = x5cLeafOf(contents.signedJsonText);
  const notItsSigner = () =>
    refused('BAD_SIGNATURE', 'the PDF was not signed with the certificate that signed its e-licence', 'DATA_MISMATCH');
  if (!leaf) return notItsSigner();
  const result = await verify({ signedJson: contents.signedJsonText, qr: contents.qrText }, ports);
  /*
   * Normally the PDF is signed with the e-licence's own certificate. A back-issued certificate's
   * PDF is made on its first download, and when the institution's key was rotated out between
   * the import and that download, its current key signs the PDF (docs/backfill.md): a PDF
   * signer other than the e-licence's is accepted only as a trusted key of the same
   * institution, judged at the PDF's own signing time above, around an e-licence that verifies.
   */
  if (
    leaf !== encodeBase64url(signature.signerCertDer) &&
    (!result.certificate || result.certificate.issuer.creditCode !== signer.institution)
  ) {
    return notItsSigner();
  }
  const checked: PdfVerificationResult = { ...result, checks: [{ name: 'pdf', result: 'pass' }, ...result.checks] };
  // Only a genuine, trusted e-licence names a register entry worth comparing the page with.
  if (!result.certificate || result.reason === 'UNTRUSTED_ISSUER' || result.reason === 'ISSUER_REVOKED') {
    return checked;
  }
  const mismatch = await pageBindingFailure(
    bytes,
    signature.fileDigest,
    result.certificate.certificateNo,
    contents,
    pdf,
    ports,
  );
  if (!mismatch) return checked;
  return {
    ...checked,
    valid: false,
    reason: 'DATA_MISMATCH',
    checks: [
      ...checked.checks.filter((check) => check.name !== 'consistency'),
      { name: 'consistency', result: 'fail' },
    ],
    pdf: mismatch,
  };
}

async function pageBindingFailure(
  bytes: Uint8Array,
  fileDigest: string,
  certificateNo: string,
  contents: { signedJsonText: string; qrText: string },
  pdf: PdfInspector,
  ports: VerificationPorts,
): Promise<PdfVerificationResult['pdf'] | null> {
  const entry = await ports.register.lookup(certificateNo, null);
  const issued = entry !== null && typeof entry === 'object' ? entry : null;
  if (issued?.pdfDigest) {
    return issued.pdfDigest === fileDigest || issued.earlierPdfDigests?.includes(fileDigest)
      ? null
      : { failure: 'NOT_ISSUED', detail: 'this PDF is not the one issued for the certificate' };
  }
  if (pdf.pageMatches) {
    return (await pdf.pageMatches(bytes, contents))
      ? null
      : { failure: 'PAGE_MISMATCH', detail: 'the page does not print what the embedded e-licence says' };
  }
  return null;
}
