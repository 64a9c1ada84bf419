import {
  concatTransformationMatrix,
  drawObject,
  type PDFDocument,
  PDFName,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import QRCode from 'qrcode';
import './qr-mask.ts';

/** The page resource name of the QR form XObject; inspectPdf looks it up by this name. */
export const QR_XOBJECT_NAME = 'QrCode';
/** API.md: error correction M. */
export const QR_ERROR_CORRECTION = 'M';

/** One horizontal run of dark modules, in module units with row 0 at the top. */
export interface ModuleRun {
  row: number;
  col: number;
  length: number;
}

export interface QrModules {
  /** Modules per side, without the quiet zone. */
  size: number;
  version: number;
  runs: ModuleRun[];
}

/** The QR alphanumeric character set, which is exactly base45's alphabet (RFC 9285 §4). */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/;
/** Quiet zone around the symbol, in modules (ISO/IEC 18004 §6.3.8). */
export const QR_QUIET_ZONE_MODULES = 4;

/**
 * Encodes `text` exactly as printed: the same call re-encodes it for inspection. A `BC1:` text is
 * one alphanumeric segment (5.5 bits a character instead of 8), which is what keeps the QR at
 * version 13 or below; the library's own segmentation could switch modes mid-text.
 */
export function encodeQrModules(text: string): QrModules {
  const segments = ALPHANUMERIC.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text;
  const qr = QRCode.create(segments, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  const { size, data } = qr.modules;
  const runs: ModuleRun[] = [];
  for (let row = 0; row < size; row++) {
    let start = -1;
    for (let col = 0; col <= size; col++) {
      const dark = col < size && data[row * size + col] === 1;
      if (dark && start < 0) start = col;
      else if (!dark && start >= 0) {
        runs.push({ row, col: start, length: col - start });
        start = -1;
      }
    }
  }
  return { size, version: qr.version, runs };
}

/**
 * Draws the QR code as vector rectangles in a form XObject, `widthPt` wide without the quiet
 * zone, with its lower-left corner at (x, y). Dark runs of a row are merged and filled as one
 * path, so the renderer leaves no hairline seams between modules for a scanner to trip on.
 */
export function drawQrCode(doc: PDFDocument, page: PDFPage, text: string, x: number, y: number, widthPt: number) {
  const modules = encodeQrModules(text);
  const n = modules.size;
  // Written as raw content: ~1,500 rectangles as pdf-lib operator objects cost several ms.
  const ops = ['0 g'];
  for (const run of modules.runs) ops.push(`${run.col} ${n - 1 - run.row} ${run.length} 1 re`);
  ops.push('f');
  const form = doc.context.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, n, n],
    Resources: {},
  });
  page.node.setXObject(PDFName.of(QR_XOBJECT_NAME), doc.context.register(form));
  const scale = widthPt / n;
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(scale, 0, 0, scale, x, y),
    drawObject(QR_XOBJECT_NAME),
    popGraphicsState(),
  );
  return modules;
}
