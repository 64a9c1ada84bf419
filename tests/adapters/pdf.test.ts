import { createHash } from 'node:crypto';
import {
  AFRelationship,
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFRawStream,
  PDFRef,
} from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { attachCertificateFiles, readAttachments } from '../../src/adapters/pdf/attachment.ts';
import { formatLength } from '../../src/adapters/pdf/certificate-view.ts';
import { p1363ToDer } from '../../src/adapters/pdf/cms.ts';
import { type FontSet, GlyphMissingError, loadFonts } from '../../src/adapters/pdf/fonts.ts';
import { inspectPdf } from '../../src/adapters/pdf/inspect.ts';
import { drawCertificate, PAGE_SIZE, VERIFY_HINT, variableTexts } from '../../src/adapters/pdf/layout.ts';
import { buildCertificateDocument, renderCertificatePdf, warmUpFonts } from '../../src/adapters/pdf/render.ts';
import { saveSigned } from '../../src/adapters/pdf/sign-pdf.ts';
import { fitText, TextOverflowError, TextWriter } from '../../src/adapters/pdf/text.ts';
import { birthTimeText, gestationText } from '../../src/domain/codes/display-text.ts';
import { embeddedFonts, pageStrings, shownTexts } from './pdf-reader.ts';
import {
  createTestPki,
  fixtureRecords,
  fixtureView,
  licenceIdFor,
  longestView,
  signElicenceJson,
  signQrText,
  type TestPki,
} from './pdf-test-kit.ts';

const NOW = new Date('2026-11-20T10:00:00+08:00');
const RARE = fixtureRecords().findIndex((r) => r.newborn.name === '吉𠮷');

let fonts: FontSet;
let pki: TestPki;
const hasExtBFont = () => fonts.faceFor(0x20bb7) !== null;

async function inputFor(view = fixtureView(0), serial = '20261120000000000001') {
  const licenceId = licenceIdFor(serial);
  return {
    view,
    licenceId,
    qrText: await signQrText(pki, view, licenceId),
    signedJson: await signElicenceJson(pki, view, licenceId),
    signingKey: pki.signingKey,
    keyStore: pki.keyStore,
    fonts,
    now: NOW,
  };
}

beforeAll(async () => {
  fonts = loadFonts();
  await warmUpFonts(fonts);
  pki = await createTestPki();
});

describe('fonts and glyph coverage', () => {
  it('covers every GB2312-range name of the fixtures with the main font alone', () => {
    const mainOnly = loadFonts({ fallbacks: [] });
    for (const [i] of fixtureRecords().entries()) {
      if (i === RARE) continue;
      for (const text of variableTexts({ view: fixtureView(i), qrText: '', licenceId: '' })) {
        expect(mainOnly.missingCharacters(text)).toEqual([]);
      }
    }
  });

  it('reports Ext-B characters as missing when no fallback font is installed, and refuses to print them', async () => {
    const mainOnly = loadFonts({ fallbacks: [] });
    expect(mainOnly.missingCharacters('吉𠮷吉𠮷 赵䶮')).toEqual(['𠮷']);
    const input = await inputFor(fixtureView(RARE));
    await expect(renderCertificatePdf({ ...input, fonts: mainOnly })).rejects.toBeInstanceOf(GlyphMissingError);
  });

  it.skipIf(!loadFonts().faceFor(0x20bb7))('draws 𠮷 with the fallback face and the rest with the main face', () => {
    expect(fonts.missingCharacters('吉𠮷')).toEqual([]);
    const runs = fonts.splitRuns('吉𠮷 李');
    expect(runs.map((r) => [r.face === fonts.main, r.text])).toEqual([
      [true, '吉'],
      [false, '𠮷'],
      [true, ' 李'],
    ]);
  });

  it('has a non-zero glyph id for every character any fixture prints', () => {
    for (const [i] of fixtureRecords().entries()) {
      if (i === RARE && !hasExtBFont()) continue;
      for (const text of variableTexts({ view: fixtureView(i), qrText: '', licenceId: licenceIdFor('1') })) {
        for (const ch of text.replace(/\s/g, '')) {
          const face = fonts.faceFor(ch.codePointAt(0)!);
          expect(face, ch).not.toBeNull();
          expect(face!.font.glyphForCodePoint(ch.codePointAt(0)!).id, ch).not.toBe(0);
        }
      }
    }
  });
});

describe('one FontSet shared by concurrent renders', () => {
  it('gives every PDF its own subsets and the right text', async () => {
    const indexes = fixtureRecords()
      .map((_, i) => i)
      .filter((i) => i !== RARE || hasExtBFont());
    const pdfs = await Promise.all(indexes.map(async (i) => renderCertificatePdf(await inputFor(fixtureView(i)))));
    for (const [k, bytes] of pdfs.entries()) {
      const view = fixtureView(indexes[k]!);
      const text = pageStrings(await PDFDocument.load(bytes)).join('');
      expect(text).toContain(view.newborn.name);
      expect(text).toContain(view.mother.idNumber);
      expect((await inspectPdf(bytes)).ok).toBe(true);
    }
  });
});

describe('text fitting', () => {
  it('renders names, addresses and institutions at their length limits without overflowing', async () => {
    const bytes = await renderCertificatePdf(await inputFor(longestView()));
    const doc = await PDFDocument.load(bytes);
    const text = pageStrings(doc).join('');
    expect(text).toContain(longestView().mother.address.slice(0, 30));
  });

  it('prints stored line breaks and tabs as single spaces', async () => {
    const view = fixtureView(0);
    const bytes = await renderCertificatePdf(
      await inputFor({ ...view, mother: { ...view.mother, address: '广东省广州市\n天河区\t天河路385号' } }),
    );
    expect(pageStrings(await PDFDocument.load(bytes)).join('')).toContain('广东省广州市 天河区 天河路385号');
  });

  it('refuses text that cannot fit even at the smallest size instead of cutting it', () => {
    expect(() => fitText(fonts, '字'.repeat(2000), { x: 0, y: 0, width: 100, height: 20 }, { size: 11 })).toThrow(
      TextOverflowError,
    );
  });

  it('formats birth time, gestation and length as the paper form prints them', () => {
    expect(birthTimeText('2026-11-20T08:31+08:00')).toBe('2026年11月20日08时31分');
    expect(gestationText({ weeks: 39, days: 2 })).toBe('39+2 周');
    expect(formatLength(49)).toBe('49.0');
  });
});

describe('the rendered certificate', () => {
  let bytes: Uint8Array;
  let doc: PDFDocument;
  let input: Awaited<ReturnType<typeof inputFor>>;

  beforeAll(async () => {
    input = await inputFor(fixtureView(RARE));
    bytes = await renderCertificatePdf(input);
    doc = await PDFDocument.load(bytes);
  });

  it('is one A4 portrait page', () => {
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPages()[0]!.getSize();
    expect([width, height]).toEqual(PAGE_SIZE);
  });

  it('embeds elicence.json byte for byte as a Data associated file', () => {
    const attachments = readAttachments(doc);
    expect(Buffer.from(attachments.get('elicence.json')!).toString('utf8')).toBe(input.signedJson);
    expect(Buffer.from(attachments.get('qr.txt')!).toString('utf8')).toBe(input.qrText);
    // The catalog's /AF lists the file specification with AFRelationship /Data and the JSON MIME type.
    const af = doc.catalog.lookup(PDFName.of('AF'), PDFArray);
    const specs = af.asArray().map((ref) => doc.context.lookup(ref, PDFDict));
    const elicence = specs.find((s) => s.get(PDFName.of('AFRelationship')) === PDFName.of(AFRelationship.Data));
    expect(elicence?.lookup(PDFName.of('UF'), PDFHexString).decodeText()).toBe('elicence.json');
    const stream = elicence!.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F'));
    const streamDict = doc.context.lookup(stream as PDFRef) as PDFRawStream;
    expect(streamDict.dict.get(PDFName.of('Subtype'))?.toString()).toBe('/application#2Fjson');
  });

  it('prints every variable text through a glyph: no .notdef, ToUnicode spells the names', () => {
    const shown = shownTexts(doc);
    for (const { cids } of shown) for (const cid of cids) expect(cid).not.toBe(0);
    const text = pageStrings(doc).join('');
    for (const item of variableTexts(input)) {
      // Long items wrap: their first characters are on one line.
      expect(text).toContain(item.slice(0, 8).trim());
    }
    expect(text).toContain('吉𠮷');
    expect(text).toContain('赵䶮');
    expect(text).toContain('吉龑');
  });

  it('embeds glyph outlines identical to the source font (catches corrupted CJK subsets)', () => {
    let compared = 0;
    for (const font of embeddedFonts(doc).values()) {
      expect(font.baseFont).toMatch(/^[A-Z]{6}\+/);
      if (!font.program) continue;
      for (const [cid, text] of font.toUnicode) {
        if (cid === 0 || text.trim() === '') continue;
        const original = fonts.main.font.glyphForCodePoint(text.codePointAt(0)!);
        expect(font.program.getGlyph(cid).path.toSVG(), text).toBe(original.path.toSVG());
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('embeds the fallback face only when a character needs it', async () => {
    const plain = await PDFDocument.load(await renderCertificatePdf(await inputFor(fixtureView(0))));
    const baseFonts = (d: PDFDocument) => [...new Set([...embeddedFonts(d).values()].map((f) => f.baseFont))];
    // The page's own subsets, then the fixed layers' (labels and captions: the main face only).
    expect(baseFonts(plain)).toEqual(['ACERTS+NotoSerifSC-Regular', 'ALABEL+NotoSerifSC-Regular']);
    if (hasExtBFont()) {
      expect(baseFonts(doc)).toEqual([
        'ACERTS+NotoSerifSC-Regular',
        'BCERTS+NotoSerifCJKsc-Regular',
        'ALABEL+NotoSerifSC-Regular',
      ]);
    }
  });

  it('draws the fixed parts from form XObjects that are the same on every certificate', async () => {
    const other = await PDFDocument.load(await renderCertificatePdf(await inputFor(fixtureView(0))));
    const layerDigests = (d: PDFDocument) => {
      const xobjects = d.getPage(0).node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
      return ['CertificateForm', 'SealMark'].map((name) => {
        const form = d.context.lookup(xobjects.get(PDFName.of(name))) as PDFRawStream;
        return createHash('sha256').update(decodePDFRawStream(form).decode()).digest('hex');
      });
    };
    expect(layerDigests(other)).toEqual(layerDigests(doc));
    // Labels and the seal's purpose come from the layers; the page itself prints only the items.
    const ownText = (d: PDFDocument) =>
      shownTexts(d)
        .filter(({ font }) => font.baseFont.includes('CERTS+'))
        .map(({ font, cids }) => cids.map((cid) => font.toUnicode.get(cid)).join(''))
        .join('');
    expect(ownText(doc)).not.toContain('出生时间');
    expect(ownText(doc)).not.toContain('出生医学证明专用章');
    const text = pageStrings(doc).join('');
    for (const fixed of ['出生医学证明', '出生时间', '有效身份证件号码', '出生医学证明专用章', VERIFY_HINT]) {
      expect(text).toContain(fixed);
    }
  });

  it('inspects as intact, whole-file signed, with the attachment, QR text and signer certificate', async () => {
    const result = await inspectPdf(bytes);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signedJsonText).toBe(input.signedJson);
    expect(result.signedJson).toEqual(JSON.parse(input.signedJson));
    expect(result.qrText).toBe(input.qrText);
    expect(result.signature.present).toBe(true);
    expect(result.signature.intact).toBe(true);
    expect(result.signature.coversWholeFile).toBe(true);
    expect(Buffer.from(result.signature.signerCertDer!).toString('base64')).toBe(pki.signingKey.x5c[0]);
    expect(result.signature.chainDer).toHaveLength(1);
    // PAdES: no CMS signing-time; the /M entry carries the claimed time (B-B here: no TSA in this kit).
    expect(result.signature.signingTime).toBeNull();
    expect(result.signature.timestampTime).toBeNull();
  });
});

/** Appends an incremental update that replaces the elicence.json stream: what a forger would do. */
async function swapAttachmentIncrementally(signed: Uint8Array, json: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(signed);
  const tree = doc.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict);
  const names = tree.lookup(PDFName.of('Names'), PDFArray);
  const index = names.asArray().findIndex((n) => n instanceof PDFHexString && n.decodeText() === 'elicence.json');
  const spec = names.lookup(index + 1, PDFDict);
  const streamRef = spec.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F'));
  if (!(streamRef instanceof PDFRef)) throw new Error('expected a stream reference');
  const objectNumber = streamRef.objectNumber;
  const text = Buffer.from(signed).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
  const body = Buffer.from(json, 'utf8');
  const object = Buffer.concat([
    Buffer.from(
      `\n${objectNumber} 0 obj\n<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length ${body.length} >>\nstream\n`,
    ),
    body,
    Buffer.from('\nendstream\nendobj\n'),
  ]);
  const objectOffset = signed.length + 1;
  const xrefOffset = signed.length + object.length;
  const root = doc.context.trailerInfo.Root!.toString();
  const trailer =
    `xref\n0 1\n0000000000 65535 f \n${objectNumber} 1\n${String(objectOffset).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${doc.context.largestObjectNumber + 1} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([signed, object, Buffer.from(trailer)]));
}

describe('inspectPdf on crafted PDFs', () => {
  let good: Uint8Array;
  let input: Awaited<ReturnType<typeof inputFor>>;

  beforeAll(async () => {
    input = await inputFor();
    good = await renderCertificatePdf(input);
  });

  const reasonOf = async (bytes: Uint8Array) => {
    const result = await inspectPdf(bytes);
    return result.ok ? 'OK' : result.reason;
  };

  it('refuses what is not a PDF', async () => {
    expect(await reasonOf(new Uint8Array())).toBe('NOT_PDF');
    expect(await reasonOf(new TextEncoder().encode('{"protected":"…"}'))).toBe('NOT_PDF');
  });

  it('reports a truncated PDF', async () => {
    expect(await reasonOf(good.subarray(0, good.length - 200))).toBe('TRUNCATED');
    expect(await reasonOf(good.subarray(0, Math.floor(good.length / 2)))).toBe('TRUNCATED');
    expect(await reasonOf(good.subarray(0, 2000))).toBe('TRUNCATED');
  });

  it('reports an unsigned PDF', async () => {
    const doc = await buildCertificateDocument({ ...input, now: NOW });
    expect(await reasonOf(await doc.save())).toBe('NO_SIGNATURE');
  });

  it('reports one changed byte inside the signed range', async () => {
    const tampered = good.slice();
    // Halfway to the signature dictionary: inside the first signed range.
    const at = Math.floor(Buffer.from(tampered).indexOf('/ByteRange') / 2);
    tampered[at] = tampered[at]! ^ 0x01;
    const result = await inspectPdf(tampered);
    expect(result.ok ? 'OK' : result.reason).toBe('BAD_SIGNATURE');
    expect(result.signature.intact).toBe(false);
  });

  it('reports a signature made with a key other than the certificate’s', async () => {
    const other = await createTestPki();
    const forged = await renderCertificatePdf({
      ...input,
      keyStore: { ...pki.keyStore, sign: (_kid, data) => other.keyStore.sign(other.signingKey.kid, data) },
    });
    const result = await inspectPdf(forged);
    expect(result.ok ? 'OK' : result.reason).toBe('BAD_SIGNATURE');
    expect(result.ok ? '' : result.detail).toMatch(/does not verify/);
  });

  it('reports an attachment swapped by an incremental update after signing', async () => {
    const swappedJson = input.signedJson.replace('"signature":"', '"signature":"x');
    const swapped = await swapAttachmentIncrementally(good, swappedJson);
    // The update is effective: a reader that ignores the signature sees the new JSON.
    const seen = readAttachments(await PDFDocument.load(swapped)).get('elicence.json');
    expect(Buffer.from(seen!).toString('utf8')).toBe(swappedJson);
    const result = await inspectPdf(swapped);
    expect(result.ok ? 'OK' : result.reason).toBe('MODIFIED_AFTER_SIGNING');
    expect(result.signature).toMatchObject({ present: true, intact: true, coversWholeFile: false });
  });

  it('reports a signed PDF whose QR drawing does not encode its QR text', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage(PAGE_SIZE);
    const writer = await TextWriter.create(doc, page, fonts, variableTexts(input));
    drawCertificate(doc, page, writer, input);
    await attachCertificateFiles(doc, input.signedJson, `${input.qrText}x`, NOW);
    const signed = await saveSigned(doc, { ...input, signingTime: NOW, reason: 'test', location: 'test' });
    expect(await reasonOf(signed)).toBe('QR_MISMATCH');
  });

  it('reports a signed PDF without the e-licence attachment', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage(PAGE_SIZE);
    const writer = await TextWriter.create(doc, page, fonts, variableTexts(input));
    drawCertificate(doc, page, writer, input);
    const signed = await saveSigned(doc, { ...input, signingTime: NOW, reason: 'test', location: 'test' });
    expect(await reasonOf(signed)).toBe('NO_ELICENCE');
  });

  it('never throws, whatever the bytes', async () => {
    const noise = new Uint8Array(createHash('sha512').update('noise').digest());
    for (const bytes of [noise, Buffer.concat([Buffer.from('%PDF-1.7\n'), noise, Buffer.from('\n%%EOF')])]) {
      await expect(inspectPdf(new Uint8Array(bytes))).resolves.toMatchObject({ ok: false });
    }
  });
});

describe('p1363ToDer', () => {
  it('encodes r and s as positive minimal DER integers', () => {
    const sig = new Uint8Array(64);
    sig[0] = 0x80; // r needs a zero pad byte
    sig[31] = 1;
    sig[63] = 2; // s is 2 after stripping leading zeros
    expect(Buffer.from(p1363ToDer(sig)).toString('hex')).toBe(`3026022100${'80'}${'00'.repeat(30)}01020102`);
  });
});
