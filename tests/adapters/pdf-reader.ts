/**
 * A small reader of what the certificate PDF draws, for tests: the embedded fonts, their
 * ToUnicode maps and the glyph ids each text-showing operator uses.
 */
import * as fontkit from 'fontkit';
import { decodePDFRawStream, PDFArray, PDFDict, type PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

export interface EmbeddedFont {
  resourceName: string;
  baseFont: string;
  subtype: 'CIDFontType2' | 'CIDFontType0';
  /** CID → text, from the ToUnicode CMap. */
  toUnicode: Map<number, string>;
  /** The parsed font program, when fontkit can read it (TrueType; bare CFF it cannot). */
  program: fontkit.Font | null;
}

export interface ShownText {
  font: EmbeddedFont;
  cids: number[];
}

function decode(stream: unknown): Uint8Array {
  if (!(stream instanceof PDFRawStream)) throw new Error('expected a stream');
  return decodePDFRawStream(stream).decode();
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const units = (m[2] ?? '').match(/.{4}/g)?.map((h) => Number.parseInt(h, 16)) ?? [];
      map.set(Number.parseInt(m[1] ?? '', 16), String.fromCharCode(...units));
    }
  }
  return map;
}

function readFonts(doc: PDFDocument, fonts: PDFDict | undefined, prefix: string, out: Map<string, EmbeddedFont>) {
  for (const [name, ref] of fonts?.entries() ?? []) {
    const type0 = doc.context.lookup(ref, PDFDict);
    const cid = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
    const descriptor = cid.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const subtype = cid.lookup(PDFName.of('Subtype'), PDFName).decodeText() as EmbeddedFont['subtype'];
    const file = descriptor.lookup(PDFName.of(subtype === 'CIDFontType2' ? 'FontFile2' : 'FontFile3'));
    const program = subtype === 'CIDFontType2' ? (fontkit.create(Buffer.from(decode(file))) as fontkit.Font) : null;
    out.set(`${prefix}${name.decodeText()}`, {
      resourceName: name.decodeText(),
      baseFont: type0.lookup(PDFName.of('BaseFont'), PDFName).decodeText(),
      subtype,
      toUnicode: parseToUnicode(Buffer.from(decode(type0.lookup(PDFName.of('ToUnicode')))).toString('latin1')),
      program,
    });
  }
}

/** What paints page 1: its content streams with the page's fonts, then each form XObject with its own. */
function layers(doc: PDFDocument): Array<{ prefix: string; streams: unknown[]; fonts: PDFDict | undefined }> {
  const page = doc.getPages()[0]!;
  const resources = page.node.Resources()!;
  const contents = page.node.Contents();
  const out = [
    {
      prefix: '',
      streams: contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents],
      fonts: resources.lookupMaybe(PDFName.of('Font'), PDFDict),
    },
  ];
  for (const [name, ref] of resources.lookupMaybe(PDFName.of('XObject'), PDFDict)?.entries() ?? []) {
    const form = doc.context.lookup(ref);
    if (!(form instanceof PDFRawStream)) continue;
    const formFonts = form.dict.lookupMaybe(PDFName.of('Resources'), PDFDict)?.lookupMaybe(PDFName.of('Font'), PDFDict);
    out.push({ prefix: `${name.decodeText()}/`, streams: [form], fonts: formFonts });
  }
  return out;
}

/** Every embedded font page 1 draws with, its form XObjects' fonts under `form/name`. */
export function embeddedFonts(doc: PDFDocument): Map<string, EmbeddedFont> {
  const out = new Map<string, EmbeddedFont>();
  for (const layer of layers(doc)) readFonts(doc, layer.fonts, layer.prefix, out);
  return out;
}

/** Every `<hex> Tj` on page 1 (its content, then its forms) with the font selected for it. */
export function shownTexts(doc: PDFDocument): ShownText[] {
  const fonts = embeddedFonts(doc);
  const shown: ShownText[] = [];
  for (const layer of layers(doc)) {
    for (const stream of layer.streams) {
      const ops = Buffer.from(decode(stream)).toString('latin1');
      let font: EmbeddedFont | undefined;
      for (const m of ops.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
        if (m[1] !== undefined) font = fonts.get(`${layer.prefix}${m[1]}`);
        else if (font) {
          const cids = (m[2] ?? '').match(/.{4}/g)?.map((h) => Number.parseInt(h, 16)) ?? [];
          shown.push({ font, cids });
        }
      }
    }
  }
  return shown;
}

/** The page's text as its ToUnicode maps spell it, one string per text-showing operator. */
export function pageStrings(doc: PDFDocument): string[] {
  return shownTexts(doc).map(({ font, cids }) => cids.map((cid) => font.toUnicode.get(cid) ?? '\uFFFD').join(''));
}
