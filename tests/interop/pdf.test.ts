/**
 * The certificate PDF checked by independent tools: poppler (pdftoppm, pdftotext, pdfsig with an
 * NSS trust store), qpdf and zbar; and the page compared with a committed reference render.
 * Set UPDATE_PDF_REFERENCE=1 to rewrite the reference after a deliberate layout change, and look
 * at the new PNG before committing it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificateView } from '../../src/adapters/pdf/certificate-view.ts';
import { type FontSet, loadFonts } from '../../src/adapters/pdf/fonts.ts';
import { drawCertificate, PAGE_SIZE, variableTexts } from '../../src/adapters/pdf/layout.ts';
import { buildCertificateDocument, renderCertificatePdf, warmUpFonts } from '../../src/adapters/pdf/render.ts';
import { TextWriter } from '../../src/adapters/pdf/text.ts';
import { compareImages, decodePng } from '../adapters/pdf-png-compare.ts';
import {
  corruptGlyphs,
  createTestPki,
  fixedQrText,
  fixtureRecords,
  fixtureView,
  licenceIdFor,
  signElicenceJson,
  signQrText,
  type TestPki,
} from '../adapters/pdf-test-kit.ts';
import { ZBAR_QR_ONLY } from './zbar.ts';

const NOW = new Date('2026-11-20T10:00:00+08:00');
const REFERENCE = path.resolve(import.meta.dirname, 'reference/certificate-record-0.png');
/** The item table only (150 dpi pixels), enough to show the Ext-B names. */
const RARE_REFERENCE = path.resolve(import.meta.dirname, 'reference/certificate-rare-names-table.png');
const TABLE_CROP = { x: 90, y: 280, width: 1062, height: 902 };
/** 0–255 scale. Identical renders differ by 0; one wrong character pushes its tile well past 6. */
const MAX_MEAN = 0.5;
const MAX_TILE = 6;

let fonts: FontSet;
let pki: TestPki;
let dir: string;

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function render(view: CertificateView, qr: 'signed' | 'fixed', name: string) {
  const licenceId = licenceIdFor('20261120000000000001');
  const qrText = qr === 'fixed' ? fixedQrText(view, licenceId) : await signQrText(pki, view, licenceId);
  const pdf = await renderCertificatePdf({
    view,
    licenceId,
    qrText,
    signedJson: await signElicenceJson(pki, view, licenceId),
    signingKey: pki.signingKey,
    keyStore: pki.keyStore,
    fonts,
    now: NOW,
  });
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return { file, qrText, licenceId };
}

/** pdftoppm at 150 dpi, grayscale: what the references were made with. Crop in pixels. */
function rasterise(pdfFile: string, crop?: { x: number; y: number; width: number; height: number }): string {
  const prefix = pdfFile.replace(/\.pdf$/, '');
  const cropArgs = crop ? ['-x', `${crop.x}`, '-y', `${crop.y}`, '-W', `${crop.width}`, '-H', `${crop.height}`] : [];
  run('pdftoppm', ['-r', '150', '-gray', '-png', '-singlefile', ...cropArgs, pdfFile, prefix]);
  return `${prefix}.png`;
}

function compareWithReference(png: string, reference: string) {
  if (process.env.UPDATE_PDF_REFERENCE === '1') writeFileSync(reference, readFileSync(png));
  return compareImages(decodePng(readFileSync(png)), decodePng(readFileSync(reference)));
}

beforeAll(async () => {
  fonts = loadFonts();
  await warmUpFonts(fonts);
  pki = await createTestPki();
  dir = mkdtempSync(path.join(tmpdir(), 'pdf-interop-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every fixture record', () => {
  const records = fixtureRecords();
  for (const [index, record] of records.entries()) {
    it(`${record.case}: zbar reads the QR text back from a 150 dpi render`, async () => {
      if (!fonts.faceFor(0x20bb7) && record.newborn.name.includes('𠮷')) return;
      const { file, qrText } = await render(fixtureView(index), 'signed', `record-${index}`);
      const png = rasterise(file);
      expect(run('zbarimg', [...ZBAR_QR_ONLY, png]).trim()).toBe(qrText);
    });

    it(`${record.case}: pdftotext returns names and numbers as printed`, async () => {
      if (!fonts.faceFor(0x20bb7) && record.newborn.name.includes('𠮷')) return;
      const view = fixtureView(index);
      const { file, licenceId } = await render(view, 'signed', `text-${index}`);
      const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
      const expected = [
        view.certificateNo,
        view.newborn.name,
        view.mother.name,
        view.mother.idNumber,
        view.mother.address,
      ];
      if (view.father) expected.push(view.father.name, view.father.idNumber);
      else expect(text).toContain('未提供');
      for (const item of expected) expect(text).toContain(item);
      // The identifier wraps after one of its dots.
      expect(text.replace(/\s+/g, '')).toContain(licenceId);
    });
  }
});

describe('the rendered certificate, by independent tools', () => {
  let file: string;

  beforeAll(async () => {
    const rare = fixtureRecords().findIndex((r) => r.newborn.name.includes('𠮷'));
    file = (await render(fixtureView(fonts.faceFor(0x20bb7) ? rare : 0), 'signed', 'tools')).file;
  });

  it('pdfsig: the signature is valid and, with the root in an NSS store, the certificate trusted', () => {
    const nss = mkdtempSync(path.join(tmpdir(), 'nss-'));
    const rootFile = path.join(nss, 'root.pem');
    writeFileSync(rootFile, pki.rootPem);
    run('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
    run('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'root', '-t', 'CT,C,C', '-i', rootFile]);
    const out = run('pdfsig', ['-nssdir', `sql:${nss}`, file]);
    rmSync(nss, { recursive: true, force: true });
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('广州市天河区妇幼保健院');
  });

  it('openssl cms -verify accepts the CMS over the signed byte ranges, chained to the root', () => {
    const bytes = readFileSync(file);
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(bytes.toString('latin1'));
    const [a, b, c, d] = m!.slice(1, 5).map(Number) as [number, number, number, number];
    const work = mkdtempSync(path.join(tmpdir(), 'cms-'));
    const rootFile = path.join(work, 'root.pem');
    writeFileSync(rootFile, pki.rootPem);
    writeFileSync(path.join(work, 'content.bin'), Buffer.concat([bytes.subarray(a, a + b), bytes.subarray(c, c + d)]));
    writeFileSync(path.join(work, 'sig.der'), Buffer.from(bytes.subarray(b + 1, c - 1).toString('latin1'), 'hex'));
    const out = execFileSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        path.join(work, 'sig.der'),
        '-content',
        path.join(work, 'content.bin'),
        '-CAfile',
        rootFile,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    rmSync(work, { recursive: true, force: true });
    expect(out).toBe('');
  });

  it('qpdf --check finds no structural errors', () => {
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
  });

  it('pdffonts: every font is embedded as a subset with a Unicode map', () => {
    const rows = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/ yes yes yes /);
  });
});

describe('the page compared with the reference render', () => {
  const view = fixtureView(0);

  it('matches the committed reference within tolerance', async () => {
    const png = rasterise((await render(view, 'fixed', 'reference')).file);
    const diff = compareWithReference(png, REFERENCE);
    expect(diff.mean).toBeLessThan(MAX_MEAN);
    expect(diff.worstTile, `worst tile at ${JSON.stringify(diff.worstTileAt)}`).toBeLessThan(MAX_TILE);
  });

  // The Ext-B names come from the CFF fallback face, subset by a different code path.
  it.skipIf(!loadFonts().faceFor(0x20bb7))('prints the rare-character names as the reference shows them', async () => {
    const rare = fixtureRecords().findIndex((r) => r.newborn.name.includes('𠮷'));
    const png = rasterise((await render(fixtureView(rare), 'fixed', 'rare-reference')).file, TABLE_CROP);
    const diff = compareWithReference(png, RARE_REFERENCE);
    expect(diff.mean).toBeLessThan(MAX_MEAN);
    expect(diff.worstTile, `worst tile at ${JSON.stringify(diff.worstTileAt)}`).toBeLessThan(MAX_TILE);
  });

  it('renders the page from its fixed layers pixel for pixel as the page drawn whole on every PDF', async () => {
    for (const index of [0, fixtureRecords().length - 1]) {
      const input = { view: fixtureView(index), licenceId: licenceIdFor('20261120000000000001') };
      const page = { ...input, qrText: fixedQrText(input.view, input.licenceId) };
      const layered = await buildCertificateDocument({ ...page, signedJson: '{}', fonts, now: NOW });
      // The whole page (fixed parts included) laid out on the page itself, in one font subset.
      const whole = await PDFDocument.create({ updateMetadata: false });
      const wholePage = whole.addPage(PAGE_SIZE);
      drawCertificate(whole, wholePage, await TextWriter.create(whole, wholePage, fonts, variableTexts(page)), page);
      const files = [
        ['layered', layered],
        ['whole', whole],
      ] as const;
      const [a, b] = await Promise.all(
        files.map(async ([name, doc]) => {
          const file = path.join(dir, `${name}-${index}.pdf`);
          writeFileSync(file, await doc.save());
          return decodePng(readFileSync(rasterise(file)));
        }),
      );
      const diff = compareImages(a!, b!);
      expect(diff.mean).toBe(0);
      expect(diff.worstTile).toBe(0);
    }
  });

  it('fails the comparison when glyphs are wrong (what a corrupted font subset looks like)', async () => {
    const corrupted: CertificateView = {
      ...view,
      newborn: { ...view.newborn, name: corruptGlyphs(view.newborn.name) },
      mother: { ...view.mother, address: corruptGlyphs(view.mother.address) },
    };
    const licenceId = licenceIdFor('20261120000000000001');
    // Same QR text as the reference, so only the glyphs differ.
    const pdf = await renderCertificatePdf({
      view: corrupted,
      licenceId,
      qrText: fixedQrText(view, licenceId),
      signedJson: '{}',
      signingKey: pki.signingKey,
      keyStore: pki.keyStore,
      fonts,
      now: NOW,
    });
    const file = path.join(dir, 'corrupted.pdf');
    writeFileSync(file, pdf);
    const diff = compareImages(decodePng(readFileSync(rasterise(file))), decodePng(readFileSync(REFERENCE)));
    expect(diff.worstTile).toBeGreaterThan(MAX_TILE);
  });
});
