import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

let prepared = false;

/**
 * Reads a QR code from a photo (PNG, JPEG, GIF, WebP) with the ZXing decoder that the verifier
 * page also uses, so a phone without JavaScript can still upload a photo. The wasm comes from the
 * installed package, never from the network.
 */
export async function decodeQrImage(image: Uint8Array): Promise<string | null> {
  if (!prepared) {
    const wasm = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    prepareZXingModule({
      overrides: { wasmBinary: new Uint8Array(readFileSync(wasm)).buffer },
      fireImmediately: false,
    });
    prepared = true;
  }
  try {
    const results = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
    const text = results.find((r) => r.isValid)?.text;
    return text ? text : null;
  } catch {
    // An image the decoder cannot read (corrupt, unsupported) has no QR code for the page.
    return null;
  }
}
