import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import type {
  PdfContents,
  PdfInspectionFailure,
  PdfInspector,
  PdfSignatureReading,
} from '../../domain/verification/ports.ts';
import { ELICENCE_ATTACHMENT, findAttachments, QR_TEXT_ATTACHMENT } from './attachment.ts';
import { InflationBudget, InflationLimitError } from './capped-decode.ts';
import { type CmsCheck, isTimestampToken, verifyDetachedCms, verifyTimestampToken } from './cms-verify.ts';
import { encodeQrModules, QR_XOBJECT_NAME } from './qr-drawing.ts';

export type { PdfInspectionFailure };

export interface PdfSignatureInfo {
  present: boolean;
  /** The byte-range digest matches and the CMS signature verifies with the signer's certificate. */
  intact: boolean;
  /** The signature covers every byte of the file but its own value. */
  coversWholeFile: boolean;
  signerCertDer: Uint8Array | null;
  /** Every certificate in the CMS, the signer's first: for the caller's chain and trust checks. */
  chainDer: Uint8Array[];
  /** The CMS signing-time attribute (legacy PDFs). */
  signingTime: Date | null;
  /** The signature timestamp's time (PAdES B-T), when intact. */
  timestampTime: Date | null;
  /** Document timestamps (PAdES B-LTA), oldest first. */
  documentTimestampTimes: Date[];
}

interface InspectedParts {
  signedJson: unknown | null;
  /** elicence.json exactly as embedded. */
  signedJsonText: string | null;
  qrText: string | null;
  signature: PdfSignatureInfo;
}

export type PdfInspection =
  | (InspectedParts & { ok: true; signedJson: unknown; signedJsonText: string; qrText: string })
  | (InspectedParts & { ok: false; reason: PdfInspectionFailure; detail: string });

const latin1 = { decode: (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1') };
const utf8 = new TextDecoder('utf-8', { fatal: true });
const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

interface FoundSignature {
  check: CmsCheck;
  coversWholeFile: boolean;
  truncated: boolean;
  /** Intact document timestamps after the signature, oldest first (see `coversWholeFile`). */
  documentTimestamps: { genTime: Date; chainDer: Uint8Array[] }[];
  /** Why the document timestamps do not hold, when one does not. */
  timestampProblem: string | null;
}

/** A signed PDF has one signature and a few document timestamps; nothing legitimate needs more. */
const MAX_SIGNATURES = 16;

const emptyCheck = (detail: string): CmsCheck => ({
  intact: false,
  detail,
  signerCertDer: null,
  chainDer: [],
  signingTime: null,
  timestamp: null,
});

/**
 * Finds the signature to check and the document timestamps after it. Every /ByteRange is read
 * (at most MAX_SIGNATURES: a crafted PDF with thousands must not make a public request hash the
 * file thousands of times); the first one that is not a timestamp token is the signature. The
 * file is covered when the signature, or else an intact document timestamp, covers all of it.
 */
function findSignature(bytes: Uint8Array, text: string): FoundSignature | null {
  const ranges: { b: number; c: number; d: number; cms: Uint8Array }[] = [];
  let last: FoundSignature | null = null;
  for (const m of text.matchAll(BYTE_RANGE)) {
    const [a, b, c, d] = m.slice(1, 5).map(Number) as [number, number, number, number];
    const truncated = c + d > bytes.length;
    last = {
      check: emptyCheck('byte range is invalid'),
      coversWholeFile: false,
      truncated,
      documentTimestamps: [],
      timestampProblem: null,
    };
    // The gap between the two ranges must hold exactly the hex /Contents string.
    if (truncated || a !== 0 || b >= c || bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) continue;
    const hex = text.slice(b + 1, c - 1);
    if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) continue;
    if (ranges.length >= MAX_SIGNATURES) return { ...last, check: emptyCheck('too many signatures') };
    ranges.push({ b, c, d, cms: Buffer.from(hex, 'hex') });
  }
  ranges.sort((x, y) => x.c + x.d - (y.c + y.d));
  const signatureIndex = ranges.findIndex((range) => !isTimestampToken(range.cms));
  const signature = ranges[signatureIndex];
  if (!signature) return last;
  const covered = (range: { c: number; d: number }) => range.c + range.d;
  const check = verifyDetachedCms(signature.cms, [
    bytes.subarray(0, signature.b),
    bytes.subarray(signature.c, signature.c + signature.d),
  ]);
  const documentTimestamps: FoundSignature['documentTimestamps'] = [];
  let timestampProblem: string | null = null;
  for (const range of ranges.slice(signatureIndex + 1)) {
    if (!isTimestampToken(range.cms)) {
      timestampProblem = 'a second signature follows the first';
      break;
    }
    const token = verifyTimestampToken(range.cms, [
      bytes.subarray(0, range.b),
      bytes.subarray(range.c, range.c + range.d),
    ]);
    if (!token) {
      timestampProblem = 'a document timestamp does not hold';
      break;
    }
    documentTimestamps.push(token);
  }
  const end = covered(ranges.at(-1)!);
  return {
    check,
    coversWholeFile: timestampProblem === null && end === bytes.length,
    truncated: false,
    documentTimestamps,
    timestampProblem,
  };
}

function parseRects(content: string): Array<[number, number, number, number]> {
  const rects: Array<[number, number, number, number]> = [];
  for (const m of content.matchAll(/(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+re\b/g)) {
    rects.push(m.slice(1, 5).map(Number) as [number, number, number, number]);
  }
  return rects;
}

/** Re-encodes the QR text and compares it module by module with the drawing on page 1. */
function qrDrawingMatches(doc: PDFDocument, qrText: string, budget: InflationBudget): boolean {
  const page = doc.getPages()[0];
  if (!page) return false;
  const form = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict)?.lookup(PDFName.of(QR_XOBJECT_NAME));
  if (!(form instanceof PDFRawStream)) return false;
  const pageContent = page.node.Contents();
  const streams =
    pageContent instanceof PDFArray ? pageContent.asArray().map((r) => doc.context.lookup(r)) : [pageContent];
  const drawn = streams.some(
    (s) => s instanceof PDFRawStream && latin1.decode(budget.decode(s)).includes(`/${QR_XOBJECT_NAME} Do`),
  );
  if (!drawn) return false;

  let expected: ReturnType<typeof encodeQrModules>;
  try {
    expected = encodeQrModules(qrText);
  } catch {
    return false; // more than a QR code can hold
  }
  const n = expected.size;
  const want = new Uint8Array(n * n);
  for (const run of expected.runs) want.fill(1, run.row * n + run.col, run.row * n + run.col + run.length);
  const got = new Uint8Array(n * n);
  for (const [x, y, w, h] of parseRects(latin1.decode(budget.decode(form)))) {
    if (h !== 1 || !Number.isInteger(x) || !Number.isInteger(y) || !Number.isInteger(w)) return false;
    const row = n - 1 - y;
    if (row < 0 || row >= n || x < 0 || x + w > n) return false;
    got.fill(1, row * n + x, row * n + x + w);
  }
  return got.every((v, i) => v === want[i]);
}

/** A signed e-licence with its x5c chain is a few KB; nothing legitimate comes near this. */
const ATTACHMENT_CAP_BYTES = 64 * 1024;

type SignatureRead = { reading: PdfSignatureReading; info: PdfSignatureInfo };

/**
 * The PDF signature alone: the byte range, the CMS and the file digest. Inflates nothing, so it
 * runs before anything else and a PDF from an untrusted signer costs no more than this.
 */
function readSignatureAndInfo(bytes: Uint8Array): SignatureRead {
  const info: PdfSignatureInfo = {
    present: false,
    intact: false,
    coversWholeFile: false,
    signerCertDer: null,
    chainDer: [],
    signingTime: null,
    timestampTime: null,
    documentTimestampTimes: [],
  };
  const refuse = (reason: PdfInspectionFailure, detail: string): SignatureRead => ({
    reading: { ok: false, reason, detail },
    info,
  });
  const text = latin1.decode(bytes);
  if (!text.slice(0, 1024).includes('%PDF-')) return refuse('NOT_PDF', 'no %PDF- header');
  const found = findSignature(bytes, text);
  if (found) {
    const { check } = found;
    Object.assign(info, {
      present: true,
      intact: check.intact,
      coversWholeFile: found.coversWholeFile,
      signerCertDer: check.signerCertDer,
      chainDer: check.chainDer,
      signingTime: check.signingTime,
      timestampTime: check.timestamp?.genTime ?? null,
      documentTimestampTimes: found.documentTimestamps.map((token) => token.genTime),
    });
  }
  if (!text.slice(-1024).includes('%%EOF') || found?.truncated) return refuse('TRUNCATED', 'the file ends early');
  if (!found) return refuse('NO_SIGNATURE', 'no PDF signature');
  if (!found.check.intact || !found.check.signerCertDer) return refuse('BAD_SIGNATURE', found.check.detail);
  if (found.timestampProblem) return refuse('BAD_SIGNATURE', found.timestampProblem);
  if (!found.coversWholeFile) return refuse('MODIFIED_AFTER_SIGNING', 'bytes were added after the signed range');
  return {
    reading: {
      ok: true,
      signerCertDer: found.check.signerCertDer,
      chainDer: found.check.chainDer,
      signingTime: found.check.signingTime,
      timestamp: found.check.timestamp,
      documentTimestamps: found.documentTimestamps,
      fileDigest: createHash('sha256').update(bytes).digest('base64url'),
    },
    info,
  };
}

/** See readSignatureAndInfo. Never throws. */
export function readPdfSignature(bytes: Uint8Array): PdfSignatureReading {
  try {
    return readSignatureAndInfo(bytes).reading;
  } catch {
    return { ok: false, reason: 'MALFORMED', detail: 'the PDF cannot be inspected' };
  }
}

/**
 * The embedded e-licence and QR text, and whether the page draws that QR. Inflates only what
 * that needs — the object streams pdf-lib reads while loading (when routed through the budget,
 * see capped-decode.ts), the two attachments by name, the page content and the QR form — each
 * under a cap. Run it only on a PDF whose signature already holds. Never throws.
 */
export async function readPdfContents(bytes: Uint8Array, budget = new InflationBudget()): Promise<PdfContents> {
  const failure = (reason: PdfInspectionFailure, detail: string): PdfContents => ({ ok: false, reason, detail });
  try {
    let doc: PDFDocument;
    try {
      doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    } catch (error) {
      if (error instanceof InflationLimitError || budget.exceeded) throw error;
      return failure('MALFORMED', 'the PDF structure cannot be read');
    }
    const attachments = findAttachments(doc);
    const json = attachments.get(ELICENCE_ATTACHMENT);
    if (!json) return failure('NO_ELICENCE', `no ${ELICENCE_ATTACHMENT} attachment`);
    let signedJsonText: string;
    try {
      signedJsonText = utf8.decode(budget.decode(json, ATTACHMENT_CAP_BYTES));
      JSON.parse(signedJsonText);
    } catch (error) {
      if (error instanceof InflationLimitError) throw error;
      return failure('BAD_ELICENCE', `${ELICENCE_ATTACHMENT} is not UTF-8 JSON`);
    }
    const qr = attachments.get(QR_TEXT_ATTACHMENT);
    if (!qr) return failure('NO_QR_TEXT', `no ${QR_TEXT_ATTACHMENT} attachment`);
    let qrText: string;
    try {
      qrText = utf8.decode(budget.decode(qr, ATTACHMENT_CAP_BYTES));
    } catch (error) {
      if (error instanceof InflationLimitError) throw error;
      return failure('NO_QR_TEXT', `${QR_TEXT_ATTACHMENT} is not UTF-8`);
    }
    if (!qrDrawingMatches(doc, qrText, budget))
      return failure('QR_MISMATCH', 'the QR code on the page does not encode the QR text');
    return { ok: true, signedJsonText, qrText };
  } catch {
    if (budget.exceeded) return failure('RESOURCE_LIMIT', budget.exceeded);
    return failure('MALFORMED', 'the PDF cannot be inspected');
  }
}

/**
 * Reads a certificate PDF without trusting it: the PDF signature's state, then (when it holds)
 * the embedded e-licence and the QR text. Never throws. In-process: verification of uploaded
 * PDFs runs the same two steps in a worker (worker-pdf-inspector.ts).
 */
export async function inspectPdf(bytes: Uint8Array): Promise<PdfInspection> {
  const parts: InspectedParts = {
    signedJson: null,
    signedJsonText: null,
    qrText: null,
    signature: readSignatureAndInfo(bytes).info,
  };
  const signature = readPdfSignature(bytes);
  if (!signature.ok) return { ...parts, ok: false, reason: signature.reason, detail: signature.detail };
  const contents = await readPdfContents(bytes);
  if (!contents.ok) return { ...parts, ok: false, reason: contents.reason, detail: contents.detail };
  return {
    ...parts,
    ok: true,
    signedJson: JSON.parse(contents.signedJsonText) as unknown,
    signedJsonText: contents.signedJsonText,
    qrText: contents.qrText,
  };
}

/** The verification domain's view of the PDF parser, in this thread (offline verification, tests). */
export const pdfInspector: PdfInspector = {
  readSignature: async (bytes) => readPdfSignature(bytes),
  readContents: (bytes) => readPdfContents(bytes),
};
