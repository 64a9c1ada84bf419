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
 * Adds an invisible signature field whose value is a placeholder sized for the CMS, and returns
 * the signer that will fill it in.
 */
export function addSignaturePlaceholder(doc: PDFDocument, options: PdfSignatureOptions): KeyStoreCmsSigner {
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
  return signer;
}

/** Fills the saved PDF's byte range and signature value: a CMS detached signature over the whole file but the value. */
export async function signSavedPdf(pdf: Uint8Array, signer: KeyStoreCmsSigner, signingTime: Date): Promise<Uint8Array> {
  const signed = await new SignPdf().sign(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length), signer, signingTime);
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.length);
}

/**
 * Saves and signs the document (adbe.pkcs7.detached: the SubFilter every reader supports).
 */
export async function saveSigned(doc: PDFDocument, options: PdfSignatureOptions): Promise<Uint8Array> {
  const signer = addSignaturePlaceholder(doc, options);
  return signSavedPdf(await doc.save(), signer, options.signingTime);
}
