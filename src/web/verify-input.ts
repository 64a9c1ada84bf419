import type { PdfInspector, VerificationPorts } from '../domain/verification/ports.ts';
import { verify } from '../domain/verification/verify.ts';
import { verifyPdf } from '../domain/verification/verify-pdf.ts';
import type { Validate } from '../http/validate.ts';
import type { VerifyOutcome } from './pages/verify.tsx';

/** The same use cases as POST /api/v1/verifications, for what a page received. */
export async function verifyQrText(ports: VerificationPorts, validate: Validate, qr: string): Promise<VerifyOutcome> {
  const body = validate('verification', { qr });
  return { result: await verify(body, ports), checkedAt: ports.clock.now() };
}

const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);
export const isPdf = (bytes: Buffer) => startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]);
const isImage = (b: Buffer) =>
  startsWith(b, [0x89, 0x50, 0x4e, 0x47]) ||
  startsWith(b, [0xff, 0xd8, 0xff]) ||
  startsWith(b, [0x47, 0x49, 0x46]) ||
  (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && b.subarray(8, 12).toString('latin1') === 'WEBP');

export type UploadVerification = { kind: 'verified'; outcome: VerifyOutcome } | { kind: 'unknown' } | { kind: 'no-qr' };

/** A PDF, a signed.json, or a photo of the QR code (decoded on the server, so no JavaScript is needed). */
export async function verifyUpload(
  deps: {
    verification: VerificationPorts;
    pdf: PdfInspector;
    decodeQrImage: (image: Uint8Array) => Promise<string | null>;
  },
  validate: Validate,
  bytes: Buffer,
): Promise<UploadVerification> {
  const checkedAt = () => deps.verification.clock.now();
  if (isPdf(bytes)) {
    return {
      kind: 'verified',
      outcome: { result: await verifyPdf(bytes, deps.pdf, deps.verification), checkedAt: checkedAt() },
    };
  }
  if (isImage(bytes)) {
    const qr = await deps.decodeQrImage(bytes);
    if (qr === null) return { kind: 'no-qr' };
    return { kind: 'verified', outcome: await verifyQrText(deps.verification, validate, qr) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { kind: 'unknown' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'unknown' };
  const body = validate('verification', { signedJson: parsed });
  return { kind: 'verified', outcome: { result: await verify(body, deps.verification), checkedAt: checkedAt() } };
}
