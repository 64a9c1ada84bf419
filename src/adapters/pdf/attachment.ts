import {
  AFRelationship,
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { InflationBudget } from './capped-decode.ts';

/** The signed e-licence (flattened JWS JSON, exactly as served at `signed.json`). */
export const ELICENCE_ATTACHMENT = 'elicence.json';
/** The QR text, so a verifier needs no image decoder; inspectPdf checks the drawing matches it. */
export const QR_TEXT_ATTACHMENT = 'qr.txt';

export async function attachCertificateFiles(doc: PDFDocument, signedJson: string, qrText: string, now: Date) {
  const encoder = new TextEncoder();
  await doc.attach(encoder.encode(signedJson), ELICENCE_ATTACHMENT, {
    mimeType: 'application/json',
    description: '出生医学证明电子证照 signed e-licence (JWS JSON serialization)',
    creationDate: now,
    modificationDate: now,
    afRelationship: AFRelationship.Data,
  });
  await doc.attach(encoder.encode(qrText), QR_TEXT_ATTACHMENT, {
    mimeType: 'text/plain',
    description: 'Text of the QR code printed on the page',
    creationDate: now,
    modificationDate: now,
    afRelationship: AFRelationship.Data,
  });
}

function decodeName(value: unknown): string | null {
  if (value instanceof PDFHexString || value instanceof PDFString) return value.decodeText();
  return null;
}

function collectNames(node: PDFDict, out: Map<string, PDFRawStream>, depth: number) {
  // The name tree is attacker-controlled input: bound its depth.
  if (depth > 8) return;
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (names) {
    for (let i = 0; i + 1 < names.size(); i += 2) {
      const name = decodeName(names.lookup(i));
      const spec = names.lookup(i + 1);
      if (name === null || !(spec instanceof PDFDict)) continue;
      const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
      const stream = ef?.lookup(PDFName.of('F'));
      if (stream instanceof PDFRawStream && !out.has(name)) out.set(name, stream);
    }
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  if (kids) {
    for (let i = 0; i < kids.size(); i++) {
      const kid = kids.lookup(i);
      if (kid instanceof PDFDict) collectNames(kid, out, depth + 1);
    }
  }
}

/** The embedded files of a loaded document by file name (first one wins), not yet decoded. */
export function findAttachments(doc: PDFDocument): Map<string, PDFRawStream> {
  const out = new Map<string, PDFRawStream>();
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  if (tree) collectNames(tree, out, 0);
  return out;
}

/** Every embedded file decoded, within `budget` (for tests and tools; verification decodes only what it needs). */
export function readAttachments(doc: PDFDocument, budget = new InflationBudget()): Map<string, Uint8Array> {
  return new Map([...findAttachments(doc)].map(([name, stream]) => [name, budget.decode(stream)]));
}
