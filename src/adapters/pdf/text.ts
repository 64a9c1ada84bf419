import {
  type Color,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  TextRenderingMode,
} from 'pdf-lib';
import type { FontFace, FontSet } from './fonts.ts';

export const INK = rgb(0.1, 0.1, 0.12);

export interface Box {
  x: number;
  /** Bottom edge, PDF user space. */
  y: number;
  width: number;
  height: number;
}

export interface TextStyle {
  /** Preferred size; shrunk in half-point steps down to minSize until the text fits the box. */
  size: number;
  minSize?: number;
  align?: 'left' | 'center' | 'right';
  color?: Color;
  bold?: boolean;
  /** Line height as a multiple of the size. */
  leading?: number;
}

/** A box's text could not fit even at the minimum size: refused rather than printed cut off. */
export class TextOverflowError extends Error {
  override readonly name = 'TextOverflowError';
  readonly code = 'TEXT_OVERFLOW';
}

const DEFAULT_MIN_SIZE = 5;
const DEFAULT_LEADING = 1.22;
// Closing punctuation never starts a line (Chinese line-breaking rule, 避头点).
const NO_LINE_START = new Set([...'，。、；：！？）》」』】,.;:!?)]%·']);
// Latin text breaks after these, so identifiers like 1.2.156.3005… wrap at their dots.
const BREAK_AFTER = new Set([...' .-/_']);

function isWide(cp: number): boolean {
  return cp >= 0x2e80;
}

/** Splits text into the pieces a line may break between. */
export function breakSegments(text: string): string[] {
  const segments: string[] = [];
  let seg = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (NO_LINE_START.has(ch)) {
      if (seg === '' && segments.length > 0) segments[segments.length - 1] += ch;
      else seg += ch;
      if (BREAK_AFTER.has(ch) && seg !== '') {
        segments.push(seg);
        seg = '';
      }
      continue;
    }
    if (isWide(cp)) {
      if (seg !== '') segments.push(seg);
      seg = ch;
      continue;
    }
    if (seg !== '' && isWide(seg.codePointAt(seg.length - 1) ?? 0)) {
      segments.push(seg);
      seg = '';
    }
    seg += ch;
    if (BREAK_AFTER.has(ch)) {
      segments.push(seg);
      seg = '';
    }
  }
  if (seg !== '') segments.push(seg);
  return segments;
}

/** Greedy line filling; a piece wider than the line is broken between characters. */
export function wrapText(fonts: FontSet, text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  const push = () => {
    if (line.trim() !== '') lines.push(line.trimEnd());
    line = '';
  };
  for (const segment of breakSegments(text)) {
    if (fonts.widthOf((line + segment).trimEnd(), size) <= width) {
      line += segment;
      continue;
    }
    push();
    if (fonts.widthOf(segment.trimEnd(), size) <= width) {
      line = segment.trimStart();
      continue;
    }
    for (const ch of segment) {
      if (line !== '' && fonts.widthOf(line + ch, size) > width) push();
      line += ch;
    }
  }
  push();
  return lines;
}

export interface FittedText {
  size: number;
  lines: string[];
}

/** The largest size (half-point steps) at which the wrapped text fits the box. */
export function fitText(fonts: FontSet, raw: string, box: Box, style: TextStyle): FittedText {
  // Tabs and line breaks in stored text print as one space: lines are the layout's to choose.
  const text = raw.replace(/\s+/g, ' ').trim();
  const leading = style.leading ?? DEFAULT_LEADING;
  const minSize = style.minSize ?? DEFAULT_MIN_SIZE;
  for (let size = style.size; size >= minSize - 1e-9; size -= 0.5) {
    const maxLines = Math.max(1, Math.floor((box.height + 1e-6) / (size * leading)));
    const lines = wrapText(fonts, text, box.width, size);
    if (lines.length <= maxLines && (lines.length === 1 ? size <= box.height : true)) return { size, lines };
  }
  throw new TextOverflowError(`"${text.slice(0, 20)}…" does not fit ${box.width}×${box.height} pt`);
}

/** Draws text on one page, picking a font per run of characters. */
export class TextWriter {
  private readonly pdfFonts: Map<FontFace, PDFFont>;
  private currentFont: PDFFont | null = null;

  private constructor(
    readonly page: PDFPage,
    readonly fonts: FontSet,
    pdfFonts: Map<FontFace, PDFFont>,
  ) {
    this.pdfFonts = pdfFonts;
  }

  /**
   * Embeds (as subsets) only the faces `texts` need: an unused fallback face would still cost
   * its empty subset in every PDF.
   */
  static async create(
    doc: PDFDocument,
    page: PDFPage,
    fonts: FontSet,
    texts: string[],
    /** The last five letters of the subset tag: another set of subsets in the same file needs other ones. */
    tag = 'CERTS',
  ): Promise<TextWriter> {
    doc.registerFontkit(fonts.fontkit);
    const needed = new Set<FontFace>([fonts.main]);
    for (const text of texts) for (const run of fonts.splitRuns(text)) needed.add(run.face);
    const pdfFonts = new Map<FontFace, PDFFont>();
    for (const [index, face] of fonts.faces.entries()) {
      // A fixed six-letter tag marks the font as a subset (PDF 32000 §9.6.4) and keeps output reproducible.
      const customName = `${'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[index] ?? 'Z'}${tag}+${face.postscriptName}`;
      if (needed.has(face)) pdfFonts.set(face, await doc.embedFont(face.key, { subset: true, customName }));
    }
    return new TextWriter(page, fonts, pdfFonts);
  }

  /** A writer on another page of the same document, drawing with the same embedded subsets. */
  forPage(page: PDFPage): TextWriter {
    return new TextWriter(page, this.fonts, this.pdfFonts);
  }

  /** The embedded font for text one face draws whole (a single run). */
  fontFor(text: string): PDFFont {
    const runs = this.fonts.splitRuns(text);
    const face = runs[0]?.face ?? this.fonts.main;
    if (runs.length > 1) throw new Error(`"${text}" needs more than one font`);
    return this.pdfFontOf(face);
  }

  /** pdf-lib adds a font resource entry on every setFont, so switch only when the font changes. */
  useFont(font: PDFFont) {
    if (this.currentFont === font) return;
    this.page.setFont(font);
    this.currentFont = font;
  }

  private pdfFontOf(face: FontFace): PDFFont {
    const font = this.pdfFonts.get(face);
    if (!font) throw new Error(`Font ${face.postscriptName} was not embedded for this page`);
    return font;
  }

  /** Draws one line starting at (x, baseline y); returns its width. */
  drawLine(text: string, x: number, y: number, size: number, color: Color = INK, bold = false): number {
    if (bold) {
      // Fill-and-stroke thickens the regular face: a second 15 MB bold face is not worth it for one title.
      this.page.pushOperators(
        pushGraphicsState(),
        setTextRenderingMode(TextRenderingMode.FillAndOutline),
        setLineWidth(size * 0.035),
        setStrokingColor(color),
      );
    }
    let cursor = x;
    for (const run of this.fonts.splitRuns(text)) {
      this.useFont(this.pdfFontOf(run.face));
      this.page.drawText(run.text, { x: cursor, y, size, color });
      cursor += this.fonts.widthOf(run.text, size);
    }
    if (bold) this.page.pushOperators(popGraphicsState());
    return cursor - x;
  }

  /** Fits text into a box (shrinking, then wrapping), centred vertically. */
  drawInBox(text: string, box: Box, style: TextStyle): FittedText {
    const fitted = fitText(this.fonts, text, box, style);
    const leading = style.leading ?? DEFAULT_LEADING;
    const lineHeight = fitted.size * leading;
    const blockHeight = lineHeight * (fitted.lines.length - 1) + fitted.size;
    // Baseline of the first line: CJK glyphs sit about 0.12 em below the baseline.
    let y = box.y + (box.height + blockHeight) / 2 - fitted.size * 0.88;
    for (const line of fitted.lines) {
      const width = this.fonts.widthOf(line, fitted.size);
      let x = box.x;
      if (style.align === 'center') x += (box.width - width) / 2;
      else if (style.align === 'right') x += box.width - width;
      this.drawLine(line, x, y, fitted.size, style.color ?? INK, style.bold ?? false);
      y -= lineHeight;
    }
    return fitted;
  }
}
