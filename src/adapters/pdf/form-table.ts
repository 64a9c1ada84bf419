/** The bordered label/value grid of the certificate's item table, in the paper form's style. */
import { rgb } from 'pdf-lib';
import type { Box, TextWriter } from './text.ts';

export const LINE = rgb(0.35, 0.42, 0.5);
export const LABEL_FILL = rgb(0.94, 0.955, 0.97);
export const LABEL_INK = rgb(0.16, 0.22, 0.3);
export const CAPTION_INK = rgb(0.38, 0.42, 0.48);
export const NUMBER_INK = rgb(0.6, 0.08, 0.1);

export const LEFT = 44;
export const RIGHT = 551;
// Columns: group, label, value, second label, second value (sum = RIGHT - LEFT).
export const COL = { group: 34, label: 96, value: 165, label2: 84, value2: 128 } as const;
export const PAD = 5;

/**
 * Where the parts of the page go. The page is described once (drawCertificatePage); each part is
 * either fixed — the same on every certificate: frame, table rules, labels, captions, the seal's
 * ring, star and purpose — or variable. The fixed parts are drawn once per process into two form
 * XObjects (fixed-layers.ts), the variable ones on each page; a pass with a writer left null skips
 * those parts. Paint order is kept where parts overlap: the seal's mark goes over the issuer's
 * name and date, as on paper.
 */
export interface PagePass {
  /** Everything fixed but the seal's mark. */
  fixed: TextWriter | null;
  variable: TextWriter | null;
  /** Paints the seal's fixed mark (ring, star, purpose) centred at (cx, cy): after the issuer's name and date. */
  sealMark: ((cx: number, cy: number, radius: number) => void) | null;
  /**
   * The whole page of layout 1 paints the seal's purpose after the institution's name around
   * the ring (sealMark then paints only the ring and star): the order its PDFs carry.
   */
  sealPurpose?: ((cx: number, cy: number, radius: number) => void) | undefined;
}

export type Label = readonly [zh: string, en: string];

export interface RowCell {
  label: Label;
  value: string;
}

export interface Row {
  height: number;
  /** Draws the row's cells right of the group column, given its top edge. */
  draw(top: number): void;
}

export function row(height: number, first: RowCell, second?: RowCell): { height: number; cells: RowCell[] } {
  return { height, cells: second ? [first, second] : [first] };
}

export function drawLabel(writer: TextWriter, box: Box, [zh, en]: Label) {
  writer.page.drawRectangle({ ...box, color: LABEL_FILL, borderColor: LINE, borderWidth: 0.6 });
  const inner = { x: box.x + PAD, width: box.width - 2 * PAD };
  const mid = box.y + box.height / 2;
  writer.drawInBox(
    zh,
    { ...inner, y: mid - 0.5, height: Math.min(12, box.height / 2) },
    { size: 9.5, minSize: 6, color: LABEL_INK },
  );
  writer.drawInBox(en, { ...inner, y: mid - 9.5, height: 8 }, { size: 6.5, minSize: 4.5, color: CAPTION_INK });
}

/** A value cell: its rules are fixed, its text variable. */
export function drawValue({ fixed, variable }: PagePass, box: Box, value: string) {
  fixed?.page.drawRectangle({ ...box, borderColor: LINE, borderWidth: 0.6 });
  variable?.drawInBox(
    value,
    { x: box.x + PAD, y: box.y + 2, width: box.width - 2 * PAD, height: box.height - 4 },
    { size: 11 },
  );
}

function drawCells(pass: PagePass, top: number, height: number, cells: RowCell[]) {
  let x = LEFT + COL.group;
  const y = top - height;
  const [first, second] = cells;
  if (!first) return;
  if (pass.fixed) drawLabel(pass.fixed, { x, y, width: COL.label, height }, first.label);
  x += COL.label;
  const firstWidth = second ? COL.value : COL.value + COL.label2 + COL.value2;
  drawValue(pass, { x, y, width: firstWidth, height }, first.value);
  if (!second) return;
  x += COL.value;
  if (pass.fixed) drawLabel(pass.fixed, { x, y, width: COL.label2, height }, second.label);
  drawValue(pass, { x: x + COL.label2, y, width: COL.value2, height }, second.value);
}

export function drawGroup(
  pass: PagePass,
  [zh, en]: Label,
  top: number,
  rows: Array<Row | { height: number; cells: RowCell[] }>,
): number {
  let y = top;
  for (const r of rows) {
    if ('draw' in r) r.draw(y);
    else drawCells(pass, y, r.height, r.cells);
    y -= r.height;
  }
  const { fixed } = pass;
  if (!fixed) return y;
  const box = { x: LEFT, y, width: COL.group, height: top - y };
  fixed.page.drawRectangle({ ...box, color: LABEL_FILL, borderColor: LINE, borderWidth: 0.6 });
  // Group names run top to bottom, one character a line, as in the margin of the paper form.
  const chars = [...zh];
  const size = 11;
  const blockHeight = chars.length * size * 1.3 + 10;
  let baseline = y + (top - y + blockHeight) / 2 - size;
  for (const ch of chars) {
    fixed.drawLine(ch, LEFT + (COL.group - fixed.fonts.widthOf(ch, size)) / 2, baseline, size, LABEL_INK);
    baseline -= size * 1.3;
  }
  fixed.drawInBox(
    en,
    { x: LEFT + 2, y: baseline - 1, width: COL.group - 4, height: 8 },
    { size: 6.5, minSize: 4.5, align: 'center', color: CAPTION_INK },
  );
  return y;
}

export function drawWideRow(pass: PagePass, top: number, height: number, label: Label, value: string) {
  const y = top - height;
  if (pass.fixed) drawLabel(pass.fixed, { x: LEFT, y, width: COL.group + COL.label, height }, label);
  drawValue(pass, { x: LEFT + COL.group + COL.label, y, width: RIGHT - LEFT - COL.group - COL.label, height }, value);
  return y;
}
