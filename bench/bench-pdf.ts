/**
 * Per-stage cost of one signed certificate PDF in steady state (fonts parsed once and warmed),
 * and resident memory growth over many PDFs. Targets: ≤ 40 ms of one core per complete signed
 * PDF; < 50 MB growth over 1,000 PDFs.
 *
 *   node --expose-gc --import tsx bench/bench-pdf.ts [count]
 */
import { PDFDocument } from 'pdf-lib';
import { attachCertificateFiles } from '../src/adapters/pdf/attachment.ts';
import { loadFonts } from '../src/adapters/pdf/fonts.ts';
import { drawCertificatePage, drawCertificateQr, PAGE_SIZE, variableTexts } from '../src/adapters/pdf/layout.ts';
import { renderCertificatePdf, warmUpFonts } from '../src/adapters/pdf/render.ts';
import { addSignaturePlaceholder, signSavedPdf } from '../src/adapters/pdf/sign-pdf.ts';
import { TextWriter } from '../src/adapters/pdf/text.ts';
import {
  createTestPki,
  fixtureRecords,
  fixtureView,
  licenceIdFor,
  signElicenceJson,
  signQrText,
} from '../tests/adapters/pdf-test-kit.ts';

const count = Number(process.argv[2] ?? 1000);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

const loadStart = performance.now();
const fonts = loadFonts();
const loadMs = performance.now() - loadStart;
const warmStart = performance.now();
await warmUpFonts(fonts);
const warmMs = performance.now() - warmStart;
console.log(`fonts: ${fonts.faces.map((f) => f.postscriptName).join(', ')}`);
console.log(`parse ${loadMs.toFixed(0)} ms, warm-up ${warmMs.toFixed(0)} ms`);

const pki = await createTestPki();
const inputs = await Promise.all(
  fixtureRecords().map(async (_, i) => {
    const view = fixtureView(i);
    const licenceId = licenceIdFor(`2026112000000000000${i}`);
    return {
      view,
      licenceId,
      qrText: await signQrText(pki, view, licenceId),
      signedJson: await signElicenceJson(pki, view, licenceId),
    };
  }),
);
const now = new Date('2026-11-20T10:00:00+08:00');

type Stage = 'layout' | 'qr' | 'attach' | 'save' | 'signature';
const totals: Record<Stage, number> = { layout: 0, qr: 0, attach: 0, save: 0, signature: 0 };

/** The stages of renderCertificatePdf, timed one by one. */
async function renderStaged(input: (typeof inputs)[number]) {
  let t = performance.now();
  const lap = (stage: Stage) => {
    const next = performance.now();
    totals[stage] += next - t;
    t = next;
  };
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage(PAGE_SIZE);
  const writer = await TextWriter.create(doc, page, fonts, variableTexts(input));
  drawCertificatePage(page, writer, input);
  lap('layout');
  drawCertificateQr(doc, page, input.qrText);
  lap('qr');
  await attachCertificateFiles(doc, input.signedJson, input.qrText, now);
  lap('attach');
  const signer = addSignaturePlaceholder(doc, {
    keyStore: pki.keyStore,
    signingKey: pki.signingKey,
    signingTime: now,
    reason: 'bench',
    location: 'bench',
  });
  const unsigned = await doc.save();
  lap('save');
  const signed = await signSavedPdf(unsigned, signer);
  lap('signature');
  return signed;
}

// Steady state per stage, over every fixture (the Ext-B record included when its font is installed).
const usable = inputs.filter((input) => fonts.missingCharacters(variableTexts(input).join('')).length === 0);
const rounds = 25;
for (let r = 0; r < 3; r++) for (const input of usable) await renderStaged(input);
for (const key of Object.keys(totals) as Stage[]) totals[key] = 0;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
let bytes = 0;
for (let r = 0; r < rounds; r++) for (const input of usable) bytes += (await renderStaged(input)).length;
const n = rounds * usable.length;
const wallMs = (performance.now() - wallStart) / n;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000 / n;
console.log(`\nper certificate, mean of ${n} over ${usable.length} fixture records:`);
for (const [stage, total] of Object.entries(totals)) console.log(`  ${stage.padEnd(10)} ${(total / n).toFixed(2)} ms`);
console.log(
  `  total      ${wallMs.toFixed(2)} ms wall, ${cpuMs.toFixed(2)} ms CPU (all threads), ${(bytes / n / 1024).toFixed(0)} KB`,
);

// Resident memory over `count` complete renders through the public entry point.
gc?.();
const rssBefore = process.memoryUsage().rss;
const loopStart = performance.now();
for (let i = 0; i < count; i++) {
  const input = usable[i % usable.length]!;
  await renderCertificatePdf({ ...input, signingKey: pki.signingKey, keyStore: pki.keyStore, fonts, now });
}
const loopMs = performance.now() - loopStart;
gc?.();
const rssAfter = process.memoryUsage().rss;
console.log(`\n${count} PDFs: ${(loopMs / count).toFixed(2)} ms each`);
console.log(
  `RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB: growth ${mb(rssAfter - rssBefore)} MB${gc ? '' : ' (run with --expose-gc for a settled figure)'}`,
);
