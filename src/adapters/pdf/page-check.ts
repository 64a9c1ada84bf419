import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFName, type PDFObject, type PDFPage, PDFRawStream, PDFRef } from 'pdf-lib';
import type { ELicencePayload } from '../../domain/certificate.ts';
import type { CountryDirectory } from '../../domain/codes/countries.ts';
import type { DivisionDirectory } from '../../domain/ports.ts';
import { certificateViewOf } from '../certificate-view-of.ts';
import { InflationBudget } from './capped-decode.ts';
import { type FontSet, loadFonts } from './fonts.ts';
import { buildCertificateDocument, PAGE_LAYOUTS } from './render.ts';

/**
 * Walks at most this deep into a page's resources: our pages need 17 levels (the font files of
 * the fixed-layer form XObjects: page → XObject → form → its resources → font → … → FontFile2).
 */
const MAX_DEPTH = 20;

/**
 * Everything that decides what page 1 looks like, as text: its boxes and rotation, its content
 * streams (decoded), and the whole resource graph it draws with — fonts with their embedded
 * programs and ToUnicode maps, the QR form, the seal — streams by digest. Annotations can paint
 * over a page too: only invisible signature fields are allowed.
 */
function pageFingerprint(doc: PDFDocument, budget: InflationBudget): string[] | null {
  if (doc.getPageCount() !== 1) return null;
  const page: PDFPage = doc.getPage(0);
  const out: string[] = [
    `media ${JSON.stringify(page.getMediaBox())}`,
    `crop ${JSON.stringify(page.getCropBox())}`,
    `rotate ${page.getRotation().angle}`,
  ];
  for (const key of ['UserUnit', 'Group', 'TrimBox', 'BleedBox', 'ArtBox']) {
    const value = page.node.get(PDFName.of(key));
    if (value !== undefined) out.push(`${key} ${value.toString()}`);
  }
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) return null;
    out.push(`content ${digest(budget.decode(stream))}`);
  }
  const seen = new Map<PDFRef, number>();
  const walk = (value: PDFObject | undefined, depth: number): string => {
    if (depth > MAX_DEPTH) throw new RangeError('resources nest too deeply');
    if (value instanceof PDFRef) {
      const visited = seen.get(value);
      if (visited !== undefined) return `@${visited}`;
      seen.set(value, seen.size);
      return walk(doc.context.lookup(value), depth + 1);
    }
    if (value instanceof PDFRawStream) return `stream(${walk(value.dict, depth + 1)} ${digest(budget.decode(value))})`;
    if (value instanceof PDFDict) {
      const entries = [...value.entries()]
        .filter(([key]) => key !== PDFName.of('Length'))
        .map(([key, v]) => `${key.toString()} ${walk(v, depth + 1)}`)
        .sort();
      return `<<${entries.join(' ')}>>`;
    }
    if (value instanceof PDFArray)
      return `[${value
        .asArray()
        .map((v) => walk(v, depth + 1))
        .join(' ')}]`;
    return value === undefined ? 'none' : value.toString();
  };
  out.push(`resources ${walk(page.node.Resources(), 0)}`);
  const annots = page.node.Annots();
  for (const ref of annots?.asArray() ?? []) {
    const annot = doc.context.lookup(ref);
    if (!(annot instanceof PDFDict)) return null;
    const invisibleSignature =
      annot.get(PDFName.of('Subtype')) === PDFName.of('Widget') &&
      annot.get(PDFName.of('FT')) === PDFName.of('Sig') &&
      (annot.lookupMaybe(PDFName.of('Rect'), PDFArray)?.asArray() ?? []).every((n) => n.toString() === '0');
    if (!invisibleSignature) return null;
  }
  return out;
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64url');

function payloadOf(signedJsonText: string): ELicencePayload {
  const payload = (JSON.parse(signedJsonText) as { payload: string }).payload;
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ELicencePayload;
}

function signingTimeOf(signedJsonText: string): Date {
  const header = JSON.parse(
    Buffer.from((JSON.parse(signedJsonText) as { protected: string }).protected, 'base64url').toString('utf8'),
  ) as { sigT: string };
  return new Date(header.sigT);
}

/**
 * Offline binding of the printed page to the e-licence: re-renders the page from the e-licence's
 * items in each layout certificates were issued with (the renderer is deterministic: same fonts,
 * same subset, same object order) and compares
 * the presented page with it by content, fonts and annotations included. Any difference — other
 * names drawn over the page, a swapped glyph program, an annotation painted on top — is a
 * mismatch. Needs the same fonts as the issuing service (Noto Serif SC, plus fonts-noto-cjk for
 * CJK Ext-B names). Only for PDFs whose signature and e-licence have already been verified.
 */
export function createPageChecker(directories: { divisions: DivisionDirectory; countries: CountryDirectory }) {
  let fonts: FontSet | null = null;
  return async (bytes: Uint8Array, contents: { signedJsonText: string; qrText: string }): Promise<boolean> => {
    try {
      fonts ??= loadFonts();
      const payload = payloadOf(contents.signedJsonText);
      const input = {
        view: certificateViewOf(payload.certificate, directories),
        qrText: contents.qrText,
        licenceId: payload.licence.id,
        signedJson: contents.signedJsonText,
        fonts,
        now: signingTimeOf(contents.signedJsonText),
      };
      // Fonts are the largest streams of a page (a CJK subset, some hundred KB); offline only.
      const budget = new InflationBudget({ perStreamBytes: 8 * 1024 * 1024, totalBytes: 32 * 1024 * 1024 });
      const got = pageFingerprint(await PDFDocument.load(bytes, { updateMetadata: false }), budget);
      if (got === null) return false;
      // A PDF keeps the layout it was issued with: compare with each, the current one first.
      for (const layout of PAGE_LAYOUTS) {
        const want = pageFingerprint(
          await PDFDocument.load(await (await buildCertificateDocument(input, layout)).save()),
          budget,
        );
        if (want !== null && want.length === got.length && want.every((line, i) => line === got[i])) return true;
      }
      return false;
    } catch {
      return false;
    }
  };
}
