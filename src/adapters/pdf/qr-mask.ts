/**
 * The mask choice of `qrcode` (ISO/IEC 18004 §7.8.3: each of the 8 masks applied, scored by the
 * penalty rules N1–N4, the lowest kept) rewritten over flat arrays: the library scores through
 * BitMatrix.get and masks the matrix twice per candidate, most of a certificate QR's encoding
 * time. The scores are computed exactly as the library computes them (same rules, same order of
 * candidates, first lowest wins), so the chosen mask — and the printed symbol — are the same;
 * tests/adapters/qr-mask.test.ts compares both on many texts. Installed once, for this thread's
 * `qrcode`, when the QR drawing is loaded.
 */
import { createRequire } from 'node:module';

interface BitMatrix {
  size: number;
  data: Uint8Array;
  reservedBit: Uint8Array;
}
type GetBestMask = (data: BitMatrix, setupFormat: (pattern: number) => void) => number;

const requireFromQrcode = createRequire(createRequire(import.meta.url).resolve('qrcode'));
const maskPattern = requireFromQrcode('./core/mask-pattern.js') as { getBestMask: GetBestMask };

const N1 = 3;
const N2 = 3;
const N3 = 40;
const N4 = 10;

function maskAt(pattern: number, i: number, j: number): boolean {
  switch (pattern) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** N1 + N2 + N3 + N4 of the masked modules `m` (size × size, row-major), as qrcode scores them. */
export function penaltyOf(m: Uint8Array, size: number): number {
  let points = 0;
  // N1: runs of five or more same-colour modules, in rows and in columns.
  // N3: 1:1:3:1:1 with four light modules before or after, in rows and in columns.
  let n3 = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = -1;
    let lastCol = -1;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let b = 0; b < size; b++) {
      const inRow = m[a * size + b]!;
      if (inRow === lastRow) runRow++;
      else {
        if (runRow >= 5) points += N1 + (runRow - 5);
        lastRow = inRow;
        runRow = 1;
      }
      const inCol = m[b * size + a]!;
      if (inCol === lastCol) runCol++;
      else {
        if (runCol >= 5) points += N1 + (runCol - 5);
        lastCol = inCol;
        runCol = 1;
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | inRow;
      bitsCol = ((bitsCol << 1) & 0x7ff) | inCol;
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++;
      }
    }
    if (runRow >= 5) points += N1 + (runRow - 5);
    if (runCol >= 5) points += N1 + (runCol - 5);
  }
  // N2: 2×2 blocks of one colour.
  let blocks = 0;
  for (let row = 0; row < size - 1; row++) {
    for (let col = 0; col < size - 1; col++) {
      const at = row * size + col;
      const sum = m[at]! + m[at + 1]! + m[at + size]! + m[at + size + 1]!;
      if (sum === 4 || sum === 0) blocks++;
    }
  }
  // N4: the share of dark modules away from 50 %, in steps of 5 %.
  let dark = 0;
  for (let i = 0; i < m.length; i++) dark += m[i]!;
  const k = Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10);
  return points + blocks * N2 + n3 * N3 + k * N4;
}

/** Each mask's bits over the whole symbol, per size: the same few sizes (versions 11–13) recur. */
const maskBits = new Map<number, Uint8Array[]>();
function masksFor(size: number): Uint8Array[] {
  let masks = maskBits.get(size);
  if (!masks) {
    masks = Array.from({ length: 8 }, (_, p) => {
      const bits = new Uint8Array(size * size);
      for (let row = 0; row < size; row++)
        for (let col = 0; col < size; col++) bits[row * size + col] = maskAt(p, row, col) ? 1 : 0;
      return bits;
    });
    maskBits.set(size, masks);
  }
  return masks;
}

const fastGetBestMask: GetBestMask = (data, setupFormat) => {
  const { size } = data;
  const masks = masksFor(size);
  const masked = new Uint8Array(size * size);
  let best = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (let p = 0; p < 8; p++) {
    // The format bits of candidate p are reserved modules: written into the matrix, never masked.
    setupFormat(p);
    const mask = masks[p]!;
    for (let i = 0; i < masked.length; i++) masked[i] = data.reservedBit[i] ? data.data[i]! : data.data[i]! ^ mask[i]!;
    const penalty = penaltyOf(masked, size);
    if (penalty < lowest) {
      lowest = penalty;
      best = p;
    }
  }
  return best;
};

const libraryGetBestMask = maskPattern.getBestMask;
maskPattern.getBestMask = fastGetBestMask;

/** For the equivalence test and the benchmark's baseline: the library's own mask choice again. */
export function useFastQrMask(enabled: boolean) {
  maskPattern.getBestMask = enabled ? fastGetBestMask : libraryGetBestMask;
}
