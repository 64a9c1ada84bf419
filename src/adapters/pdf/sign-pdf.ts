import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ADOBE_PKCS7_DETACHED } from '@signpdf/utils';
import type { PDFDocument } from 'pdf-lib';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { KeyStoreCmsSigner } from './cms-signer.ts';

export interface PdfSignatureOptions {
  keyStore: KeyStore;
  signingKey: SigningKey;
  signingTime: Date;
  /** ASCII only: @signpdf writes these as PDF literal strings, which cannot carry Chinese. */
  reason: string;
  location: string;
}

/**
 * Saves the document with an invisible signature field and signs it: a CMS detached signature
 * (adbe.pkcs7.detached, the SubFilter every reader supports) over the whole file except the
 * signature value itself.
 */
export async function saveSigned(doc: PDFDocument, options: PdfSignatureOptions): Promise<Uint8Array> {
  const signer = new KeyStoreCmsSigner(options.keyStore, options.signingKey);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: options.reason,
    contactInfo: '',
    name: options.signingKey.institutionCreditCode,
    location: options.location,
    signingTime: options.signingTime,
    // Hex digits: two per CMS byte.
    signatureLength: signer.maxSignatureBytes() * 2,
    subFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
  });
  const unsigned = await doc.save();
  const signed = await new SignPdf().sign(
    Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.length),
    signer,
    options.signingTime,
  );
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.length);
}
