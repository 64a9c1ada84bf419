import { degrees, rgb } from 'pdf-lib';
import type { TextWriter } from './text.ts';

export const SEAL_RED = rgb(0.86, 0.1, 0.12);
export const SEAL_PURPOSE = '出生医学证明专用章';

// Arc the institution name may occupy, centred on the top of the circle: as on a real seal,
// the name never runs below the horizontal text at the bottom.
const MAX_SWEEP = (250 * Math.PI) / 180;
const SEAL_OPACITY = 0.85;

/**
 * The issuing institution's seal mark: a red ring, a five-pointed star, the institution's name
 * around the top of the ring (drawSealName) and 出生医学证明专用章 across the bottom. A drawn
 * mark, not a security feature: authenticity comes from the PDF signature and the QR code.
 * The ring, star and purpose are the same on every certificate; all parts share one colour and
 * opacity, so the order they are painted in does not change the result.
 */
export function drawSealMark(writer: TextWriter, cx: number, cy: number, radius: number) {
  drawSealRing(writer, cx, cy, radius);
  drawSealPurpose(writer, cx, cy, radius);
}

/** The seal's ring and star. */
export function drawSealRing(writer: TextWriter, cx: number, cy: number, radius: number) {
  const { page } = writer;
  const ring = radius * 0.045;
  page.drawCircle({
    x: cx,
    y: cy,
    size: radius - ring / 2,
    borderColor: SEAL_RED,
    borderWidth: ring,
    borderOpacity: SEAL_OPACITY,
  });

  const starR = radius * 0.22;
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? starR : starR * 0.382;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(`${(r * Math.cos(a)).toFixed(3)} ${(r * Math.sin(a)).toFixed(3)}`);
  }
  page.drawSvgPath(`M ${points.join(' L ')} Z`, { x: cx, y: cy + starR * 0.1, color: SEAL_RED, opacity: SEAL_OPACITY });
}

/** 出生医学证明专用章 across the bottom of the seal. */
export function drawSealPurpose(writer: TextWriter, cx: number, cy: number, radius: number) {
  const { page, fonts } = writer;
  const purposeSize = Math.min(radius * 0.15, (radius * 1.2) / [...SEAL_PURPOSE].length);
  const purposeWidth = fonts.widthOf(SEAL_PURPOSE, purposeSize);
  writer.useFont(writer.fontFor(SEAL_PURPOSE));
  page.drawText(SEAL_PURPOSE, {
    x: cx - purposeWidth / 2,
    y: cy - radius * 0.52,
    size: purposeSize,
    color: SEAL_RED,
    opacity: SEAL_OPACITY,
  });
}

/** The institution's name around the top of the seal's ring. */
export function drawSealName(writer: TextWriter, cx: number, cy: number, radius: number, institution: string) {
  const { page, fonts } = writer;
  const ring = radius * 0.045;
  const chars = [...institution].filter((c) => c.trim() !== '');
  const inset = ring + radius * 0.06;
  let size = radius * 0.2;
  let rc = radius - inset - size / 2;
  // Characters sit 1.08 em apart along the arc; shrink until the name fits the allowed sweep.
  for (let i = 0; i < 3 && chars.length * size * 1.08 > rc * MAX_SWEEP; i++) {
    size = (rc * MAX_SWEEP) / (chars.length * 1.08);
    rc = radius - inset - size / 2;
  }
  const step = (size * 1.08) / rc;
  const sweep = step * (chars.length - 1);
  chars.forEach((ch, i) => {
    const theta = Math.PI / 2 + sweep / 2 - i * step;
    const phi = theta - Math.PI / 2;
    const width = fonts.widthOf(ch, size);
    // Move from the glyph's visual centre to its baseline origin, the point pdf-lib rotates about.
    const gx = cx + rc * Math.cos(theta);
    const gy = cy + rc * Math.sin(theta);
    const ox = gx - (Math.cos(phi) * width) / 2 + Math.sin(phi) * size * 0.38;
    const oy = gy - (Math.sin(phi) * width) / 2 - Math.cos(phi) * size * 0.38;
    const font = writer.fontFor(ch);
    page.drawText(ch, {
      x: ox,
      y: oy,
      size,
      font,
      color: SEAL_RED,
      rotate: degrees((phi * 180) / Math.PI),
      opacity: SEAL_OPACITY,
    });
  });
}
