import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { ANNOTATION_FLAGS, DEFAULT_BYTE_RANGE_PLACEHOLDER, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFArray, PDFDict, type PDFDocument, PDFHexString, PDFName, PDFNumber, type PDFRef, PDFString } from 'pdf-lib';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import {
  DocumentTimestampSigner,
  KeyStoreCmsSigner,
  TIMESTAMP_TOKEN_MAX_BYTES,
  type Timestamper,
} from './cms-signer.ts';
import { appendIncrementalUpdate } from './incremental-update.ts';

/** What the PAdES levels beyond B-B need from the trust domain. */
export interface PadesServices {
  /** The trust domain's timestamp authority (B-T signature timestamp, B-LTA document timestamp). */
  timestamp: Timestamper;
  /** For the DSS (B-LT): the certificates (DER) and CRLs (DER) a validator needs, root included. */
  validationData(): Promise<ValidationData>;
}

export interface ValidationData {
  certificates: Uint8Array[];
  crls: Uint8Array[];
}

export interface PdfSignatureOptions {
  keyStore: KeyStore;
  signingKey: SigningKey;
  signingTime: Date;
  /** ASCII only: @signpdf writes these as PDF literal strings, which cannot carry Chinese. */
  reason: string;
  location: string;
  /** Absent: a B-B signature only (no timestamp authority in this trust domain). */
  pades?: PadesServices | null;
}

/**
 * Adds an invisible signature field whose value is a placeholder sized for the CMS, and returns
 * the signer that will fill it in. The /M entry is the claimed signing time (the CMS has none).
 */
export function addSignaturePlaceholder(doc: PDFDocument, options: PdfSignatureOptions): KeyStoreCmsSigner {
  const signer = new KeyStoreCmsSigner(options.keyStore, options.signingKey, options.pades?.timestamp ?? null);
  pdflibAddPlaceholder({
    pdfDoc: doc,
    reason: options.reason,
    contactInfo: '',
    name: options.signingKey.institutionCreditCode,
    location: options.location,
    signingTime: options.signingTime,
    // Hex digits: two per CMS byte.
    signatureLength: signer.maxSignatureBytes() * 2,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
  });
  return signer;
}

const asBytes = (buffer: Buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);

/** Fills the saved PDF's byte range and signature value: a CAdES detached signature over the whole file but the value. */
export async function signSavedPdf(pdf: Uint8Array, signer: KeyStoreCmsSigner): Promise<Uint8Array> {
  return asBytes(await new SignPdf().sign(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length), signer));
}

/** B-LT: a Document Security Store (ISO 32000-2 §12.8.4.3) with the certificates and CRLs, as an incremental update. */
export function appendDss(pdf: Uint8Array, data: ValidationData, live?: PDFDocument): Promise<Uint8Array> {
  return appendIncrementalUpdate(
    pdf,
    (doc) => {
      const streams = (items: Uint8Array[]) => items.map((der) => doc.context.register(doc.context.stream(der)));
      const certs = streams(data.certificates);
      const crls = streams(data.crls);
      const dss = doc.context.register(doc.context.obj({ Certs: doc.context.obj(certs), CRLs: doc.context.obj(crls) }));
      doc.catalog.set(PDFName.of('DSS'), dss);
      return [...certs, ...crls, dss, doc.context.trailerInfo.Root as PDFRef];
    },
    live,
  );
}

/**
 * B-LTA: a document timestamp (SubFilter ETSI.RFC3161) over the whole file as it is, in an
 * invisible field of its own, as an incremental update. Also what re-timestamping adds.
 */
export async function appendDocumentTimestamp(
  pdf: Uint8Array,
  timestamp: Timestamper,
  live?: PDFDocument,
): Promise<Uint8Array> {
  let count = 0;
  const prepared = await appendIncrementalUpdate(
    pdf,
    (doc) => {
      const { context } = doc;
      const page = doc.getPage(0);
      const byteRange = PDFArray.withContext(context);
      byteRange.push(PDFNumber.of(0));
      for (let i = 0; i < 3; i++) byteRange.push(PDFName.of(DEFAULT_BYTE_RANGE_PLACEHOLDER));
      const value = context.register(
        context.obj({
          Type: 'DocTimeStamp',
          Filter: 'Adobe.PPKLite',
          SubFilter: 'ETSI.RFC3161',
          ByteRange: byteRange,
          Contents: PDFHexString.of('00'.repeat(TIMESTAMP_TOKEN_MAX_BYTES)),
        }),
      );
      const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
      const fields = form.lookup(PDFName.of('Fields'), PDFArray);
      count = fields.size() + 1;
      const appearance = context.register(context.formXObject([], { BBox: [0, 0, 0, 0], Resources: {} }));
      const widget = context.register(
        context.obj({
          Type: 'Annot',
          Subtype: 'Widget',
          FT: 'Sig',
          Rect: [0, 0, 0, 0],
          V: value,
          T: PDFString.of(`DocumentTimestamp${count}`),
          F: ANNOTATION_FLAGS.PRINT,
          P: page.ref,
          AP: { N: appearance },
        }),
      );
      fields.push(widget);
      const annots = page.node.lookup(PDFName.of('Annots'), PDFArray);
      annots.push(widget);
      const changed: PDFRef[] = [value, appearance, widget, page.ref];
      // The containers are written again wherever they live: as objects of their own or inside the page/catalog.
      const formRef = doc.catalog.get(PDFName.of('AcroForm'));
      changed.push(formRef instanceof PDFDict ? (doc.context.trailerInfo.Root as PDFRef) : (formRef as PDFRef));
      for (const [holder, key] of [
        [form, 'Fields'],
        [page.node, 'Annots'],
      ] as const) {
        const ref = holder.get(PDFName.of(key));
        if (ref && !(ref instanceof PDFArray)) changed.push(ref as PDFRef);
      }
      return changed;
    },
    live,
  );
  return asBytes(await new SignPdf().sign(Buffer.from(prepared), new DocumentTimestampSigner(timestamp)));
}

/**
 * Written in one go: by default pdf-lib waits for a timer (at least 1 ms) after every 50 objects,
 * idle time that doubled a certificate's wall time (~60 objects, ~3 ms of work). Same bytes.
 */
export const SAVE_OPTIONS = { useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY } as const;

/** Saves and signs the document: PAdES B-B, or with `pades` B-T → B-LT (DSS) → B-LTA (document timestamp). */
export async function saveSigned(doc: PDFDocument, options: PdfSignatureOptions): Promise<Uint8Array> {
  const signer = addSignaturePlaceholder(doc, options);
  // Plain objects and a classic cross-reference table: the incremental updates that follow add
  // objects numbered after the last one, which pdf-lib cannot see inside object streams.
  const signed = await signSavedPdf(await doc.save(SAVE_OPTIONS), signer);
  if (!options.pades) return signed;
  // The updates are made on the document just saved, not on a parse of the file: same objects.
  const withDss = await appendDss(signed, await options.pades.validationData(), doc);
  return appendDocumentTimestamp(withDss, options.pades.timestamp, doc);
}
