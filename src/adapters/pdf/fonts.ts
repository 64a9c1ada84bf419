import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import * as fontkit from 'fontkit';
import type { PDFDocument } from 'pdf-lib';
import type { GlyphCoverage } from '../../domain/ports.ts';

/** pdf-lib's fontkit interface (not exported by name). */
type PdfLibFontkit = Parameters<PDFDocument['registerFontkit']>[0];

/** A font file, and for a collection (.ttc) the PostScript name of the member to use. */
export interface FontSource {
  path: string;
  postscriptName?: string;
}

/** One parsed font, shared by every PDF the process renders. */
export interface FontFace {
  readonly postscriptName: string;
  readonly font: fontkit.Font;
  /** The font as pdf-lib sees it: text maps to glyphs through the cmap alone (see openFace). */
  readonly pdfFont: fontkit.Font;
  /** The identity pdf-lib hands back to our fontkit adapter; the bytes are never read. */
  readonly key: Uint8Array;
  hasCodePoint(codePoint: number): boolean;
  /** Advance width in em, as the PDF viewer positions the glyph (the /W entry). */
  advanceEm(codePoint: number): number;
}

export interface TextRun {
  face: FontFace;
  text: string;
}

export interface LoadFontsOptions {
  /** Defaults to Noto Serif SC Regular from the npm package: all of GB2312 and the URO block. */
  main?: FontSource;
  /** Tried in order for characters the main font lacks (CJK Ext-B name characters such as 𠮷).
   *  Missing files are skipped: the service still starts, and validation refuses such names.
   *  Defaults to the first installed of SYSTEM_FALLBACK_FONTS (one is enough: both cover the
   *  same Ext-B set, and each costs 20–30 MB of memory). */
  fallbacks?: FontSource[];
}

/** Debian's fonts-noto-cjk: looked up at run time, absent on a machine without the package. */
export const SYSTEM_FALLBACK_FONTS: readonly FontSource[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
];

const MAIN_FONT_MODULE = '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf';

/** Characters that select a glyph variant or join others but are never drawn on their own. */
export function isIgnorableCodePoint(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef) || cp === 0x200d || cp === 0x200c;
}

const WHITESPACE = /\s/u;

/** Any white space: the layout prints a run of it as one space (U+0020, which every face has). */
function isSpace(cp: number): boolean {
  return cp === 0x20 || cp === 0x3000 || WHITESPACE.test(String.fromCodePoint(cp));
}

/** What speedUpCffSubset touches of fontkit 2's CFFSubset. */
interface CffSubsetInternals {
  cff: { stream: { pos: number; readBuffer(length: number): Uint8Array } };
  subsetSubrs(subrs: Array<{ offset: number; length: number }>, used: Record<number, boolean>): Uint8Array[];
}

const RETURN_ONLY = new Uint8Array([11]);

/**
 * fontkit keeps every subroutine slot of a CFF font in the subset, replacing unused ones with a
 * fresh `return`. Noto CJK's Ext-B glyphs sit in font dicts with ~26,000 local subroutines, which
 * made one rare character cost ~35 ms and ~45 KB. Trailing unused slots are dropped instead, down
 * to the count that keeps the subroutine bias unchanged (Type 2 charstrings, §4.7: 107 below
 * 1,240 subroutines, 1,131 below 33,900, else 32,768), and the `return` stubs share one buffer.
 */
function speedUpCffSubset(subset: CffSubsetInternals) {
  subset.subsetSubrs = (subrs, used) => {
    let highest = -1;
    for (const key of Object.keys(used)) highest = Math.max(highest, Number(key));
    const floor = subrs.length < 1240 ? 0 : subrs.length < 33900 ? 1240 : 33900;
    const count = Math.min(subrs.length, Math.max(highest + 1, floor));
    const out = new Array<Uint8Array>(count);
    for (let i = 0; i < count; i++) {
      const subr = subrs[i]!;
      if (used[i]) {
        subset.cff.stream.pos = subr.offset;
        out[i] = subset.cff.stream.readBuffer(subr.length);
      } else out[i] = RETURN_ONLY;
    }
    return out;
  };
}

/** What speedUpTtfSubset touches of fontkit 2's TTFSubset. */
interface TtfSubsetInternals {
  font: fontkit.Font & { _variationProcessor?: unknown };
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
  offset: number;
  includeGlyph(gid: number): number;
  _addGlyph(gid: number): number;
}

/** One glyph of a TrueType font as a subset copies it: its glyf record, composite parts and metrics. */
interface GlyphRecord {
  bytes: Uint8Array;
  components: Array<{ glyphID: number; pos: number }> | null;
  advance: number;
  bearing: number;
}

/**
 * fontkit's TrueType subset decodes each glyph's outline on every subset only to learn whether it
 * is composite, and reads its metrics again: most of a certificate's subsetting time. The glyph's
 * record is read once per process here and copied from then on — the same bytes fontkit copies.
 */
function speedUpTtfSubset(subset: TtfSubsetInternals, records: Map<number, GlyphRecord>) {
  const font = subset.font as unknown as {
    getGlyph(gid: number): { advanceWidth: number; _decode(): unknown; _getMetrics(): { leftBearing: number } };
    loca: { offsets: number[] };
    _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
  };
  const recordOf = (gid: number): GlyphRecord => {
    let record = records.get(gid);
    if (!record) {
      const glyph = font.getGlyph(gid);
      const glyf = glyph._decode() as { numberOfContours: number; components: GlyphRecord['components'] } | null;
      const start = font.loca.offsets[gid]!;
      const stream = font._getTableStream('glyf');
      stream.pos += start;
      record = {
        bytes: new Uint8Array(stream.readBuffer(font.loca.offsets[gid + 1]! - start)),
        components: glyf && glyf.numberOfContours < 0 ? glyf.components : null,
        advance: glyph.advanceWidth,
        bearing: glyph._getMetrics().leftBearing,
      };
      records.set(gid, record);
    }
    return record;
  };
  subset._addGlyph = (gid) => {
    const record = recordOf(gid);
    let bytes = record.bytes;
    if (record.components) {
      // A composite glyph names its parts by glyph id: renumbered for the subset, in a copy.
      bytes = new Uint8Array(bytes);
      const view = new DataView(bytes.buffer);
      for (const component of record.components) view.setUint16(component.pos, subset.includeGlyph(component.glyphID));
    }
    subset.glyf.push(bytes);
    subset.loca.offsets.push(subset.offset);
    subset.hmtx.metrics.push({ advance: record.advance, bearing: record.bearing });
    subset.offset += bytes.length;
    return subset.glyf.length - 1;
  };
}

function openFace(source: FontSource): FontFace {
  const parsed = fontkit.create(readFileSync(source.path), source.postscriptName) as
    | fontkit.Font
    | fontkit.FontCollection
    | null;
  if (!parsed || !('unitsPerEm' in parsed)) {
    throw new Error(`${source.path}: no font ${source.postscriptName ?? ''} (a collection needs a PostScript name)`);
  }
  const font = parsed;
  // pdf-lib calls subset.encodeStream(), which fontkit 2 no longer has. fontkit 2 is used rather
  // than @pdf-lib/fontkit because the latter silently corrupts CJK subsets.
  const createSubset = font.createSubset.bind(font);
  const glyphRecords = new Map<number, GlyphRecord>();
  font.createSubset = () => {
    const subset = createSubset();
    if ('cff' in subset) speedUpCffSubset(subset as unknown as CffSubsetInternals);
    else if (!(font as TtfSubsetInternals['font'])._variationProcessor) {
      speedUpTtfSubset(subset as unknown as TtfSubsetInternals, glyphRecords);
    }
    Object.assign(subset, { encodeStream: () => Readable.from([subset.encode()]) });
    return subset;
  };
  // pdf-lib turns text into glyphs with font.layout(), full OpenType shaping: the most expensive
  // step of a page, and Noto's Latin 'locl' and 'liga' would swap digits and merge "fi". The
  // certificate prints Han, Latin, digits and punctuation, which need no shaping, so pdf-lib gets
  // a view of the font whose layout() is the cmap: one glyph per character, exactly the glyphs
  // and widths the layout code measured. Everything else is the parsed font itself.
  const pdfFont: fontkit.Font = Object.create(font, {
    layout: {
      value: (text: string) => ({
        glyphs: Array.from(text, (ch) => font.glyphForCodePoint(ch.codePointAt(0)!)),
      }),
    },
  });
  const scale = 1 / font.unitsPerEm;
  const advances = new Map<number, number>();
  const coverage = new Map<number, boolean>();
  return {
    postscriptName: font.postscriptName,
    font,
    pdfFont,
    key: new Uint8Array(0),
    hasCodePoint(cp) {
      let has = coverage.get(cp);
      if (has === undefined) {
        has = font.hasGlyphForCodePoint(cp);
        coverage.set(cp, has);
      }
      return has;
    },
    advanceEm(cp) {
      let advance = advances.get(cp);
      if (advance === undefined) {
        advance = font.glyphForCodePoint(cp).advanceWidth * scale;
        advances.set(cp, advance);
      }
      return advance;
    },
  };
}

/**
 * The fonts the certificate is printed with, parsed once per process, and the coverage check
 * validation uses so that no character is ever printed as a missing-glyph box.
 */
export class FontSet implements GlyphCoverage {
  readonly main: FontFace;
  readonly faces: readonly FontFace[];
  /** The pdf-lib fontkit adapter: hands back the already parsed font for a face's key. */
  readonly fontkit: PdfLibFontkit;

  constructor(faces: FontFace[]) {
    const [main] = faces;
    if (!main) throw new Error('FontSet needs at least one font');
    this.main = main;
    this.faces = faces;
    const byKey = new Map(faces.map((face) => [face.key, face.pdfFont]));
    this.fontkit = {
      create(key: Uint8Array) {
        const font = byKey.get(key);
        if (!font) throw new Error('Font not loaded by this FontSet');
        // pdf-lib types the fontkit 1 API; fontkit 2 matches it once encodeStream is patched in.
        return font as unknown as ReturnType<PdfLibFontkit['create']>;
      },
    };
  }

  /** The first face that draws `cp`; null when none does. */
  faceFor(cp: number): FontFace | null {
    for (const face of this.faces) if (face.hasCodePoint(cp)) return face;
    return null;
  }

  missingCharacters(text: string): string[] {
    const missing: string[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (isIgnorableCodePoint(cp) || isSpace(cp)) continue;
      if (this.faceFor(cp) === null && !missing.includes(ch)) missing.push(ch);
    }
    return missing;
  }

  /**
   * Splits text into runs drawable by one face each. White space is the main face's (widthOf
   * measures it so); ignorable characters are dropped (pdf-lib draws glyphs, and a variation selector is not one).
   * Throws GlyphMissingError rather than let pdf-lib print .notdef boxes.
   */
  splitRuns(text: string): TextRun[] {
    const runs: TextRun[] = [];
    let current = null as TextRun | null;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (isIgnorableCodePoint(cp)) continue;
      let face: FontFace | null;
      if (isSpace(cp)) face = this.main;
      else face = this.faceFor(cp);
      if (face === null) throw new GlyphMissingError(this.missingCharacters(text));
      if (current && current.face === face) current.text += ch;
      else {
        current = { face, text: ch };
        runs.push(current);
      }
    }
    return runs;
  }

  /** Width of `text` at `size` points, summing advances as the PDF viewer will. */
  widthOf(text: string, size: number): number {
    let em = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (isIgnorableCodePoint(cp)) continue;
      if (isSpace(cp)) em += this.main.advanceEm(0x20);
      else em += this.faceFor(cp)?.advanceEm(cp) ?? 0;
    }
    return em * size;
  }
}

export class GlyphMissingError extends Error {
  override readonly name = 'GlyphMissingError';
  readonly code = 'GLYPH_MISSING';
  constructor(readonly characters: string[]) {
    super(`No embedded font can draw ${characters.map((c) => `"${c}"`).join(', ')}`);
  }
}

function defaultMainSource(): FontSource {
  return { path: createRequire(import.meta.url).resolve(MAIN_FONT_MODULE) };
}

/**
 * Parses the fonts (about 0.1 s and 15–40 MB per face). Call once at start-up and pass the
 * FontSet to every render; follow with `warmUpFonts` so the first request is not the slow one.
 */
export function loadFonts(options: LoadFontsOptions = {}): FontSet {
  const main = openFace(options.main ?? defaultMainSource());
  const installed = (options.fallbacks ?? SYSTEM_FALLBACK_FONTS).filter((source) => existsSync(source.path));
  const fallbacks = options.fallbacks ? installed : installed.slice(0, 1);
  return new FontSet([main, ...fallbacks.map(openFace)]);
}
