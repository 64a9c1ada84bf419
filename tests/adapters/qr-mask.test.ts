/**
 * The rewritten QR mask choice (src/adapters/pdf/qr-mask.ts) picks the mask `qrcode` picks, so
 * every printed symbol is module for module what the library alone makes — the inspection of a
 * PDF re-encodes its QR text and compares the drawing with it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeQrModules } from '../../src/adapters/pdf/qr-drawing.ts';
import { useFastQrMask } from '../../src/adapters/pdf/qr-mask.ts';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

function bc1Text(length: number): string {
  const bytes = randomBytes(length);
  return `BC1:${Array.from(bytes, (b) => BASE45[b % 45]).join('')}`;
}

afterEach(() => useFastQrMask(true));

function bothWays(text: string) {
  useFastQrMask(false);
  const library = encodeQrModules(text);
  useFastQrMask(true);
  return { library, fast: encodeQrModules(text) };
}

describe('the QR mask choice', () => {
  it('gives the library’s symbol for 300 BC1 texts of every length a certificate QR has', () => {
    for (let i = 0; i < 300; i++) {
      const { library, fast } = bothWays(bc1Text(200 + (i % 260)));
      expect(fast).toEqual(library);
    }
  });

  it('gives the library’s symbol for byte-mode texts and small versions', () => {
    for (const text of ['x', 'HELLO', 'https://bc.example.cn/v/1', randomBytes(300).toString('base64url')]) {
      const { library, fast } = bothWays(text);
      expect(fast).toEqual(library);
    }
  });
});
