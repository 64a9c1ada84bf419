/**
 * Compares page renders (8-bit PNGs from pdftoppm) with a committed reference. A global mean
 * would hide a few wrong glyphs on a mostly white page, so the page is also cut into tiles and
 * the worst tile must stay close: one wrong character changes its tile a lot.
 */
import { inflateSync } from 'node:zlib';

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, 0 = black. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a non-interlaced 8-bit grayscale or RGB PNG to grayscale. */
export function decodePng(png: Uint8Array): GrayImage {
  const buf = Buffer.from(png);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 0 && colour !== 2)) throw new Error('unsupported PNG');
      channels = colour === 0 ? 1 : 3;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels]! : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      const v = line[x]!;
      const predicted =
        filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      rows[y * stride + x] = (v + predicted) & 0xff;
    }
  }
  if (channels === 1) return { width, height, pixels: rows };
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    pixels[i] = Math.round(0.299 * rows[i * 3]! + 0.587 * rows[i * 3 + 1]! + 0.114 * rows[i * 3 + 2]!);
  }
  return { width, height, pixels };
}

export interface ImageDifference {
  /** Mean absolute difference over the page, 0–255. */
  mean: number;
  /** The largest mean absolute difference of any tile, 0–255. */
  worstTile: number;
  worstTileAt: { x: number; y: number };
}

export const TILE = 32;

export function compareImages(actual: GrayImage, expected: GrayImage): ImageDifference {
  if (actual.width !== expected.width || actual.height !== expected.height) {
    return { mean: 255, worstTile: 255, worstTileAt: { x: 0, y: 0 } };
  }
  const { width, height } = actual;
  let total = 0;
  let worstTile = 0;
  let worstTileAt = { x: 0, y: 0 };
  for (let ty = 0; ty < height; ty += TILE) {
    for (let tx = 0; tx < width; tx += TILE) {
      let tileSum = 0;
      let count = 0;
      for (let y = ty; y < Math.min(ty + TILE, height); y++) {
        for (let x = tx; x < Math.min(tx + TILE, width); x++) {
          tileSum += Math.abs(actual.pixels[y * width + x]! - expected.pixels[y * width + x]!);
          count++;
        }
      }
      total += tileSum;
      if (tileSum / count > worstTile) {
        worstTile = tileSum / count;
        worstTileAt = { x: tx, y: ty };
      }
    }
  }
  return { mean: total / (width * height), worstTile, worstTileAt };
}
