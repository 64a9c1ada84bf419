/**
 * Per-stage cost of one signed certificate PDF in steady state (fonts parsed once and warmed),
 * and resident memory growth over many PDFs. Targets: ≤ 40 ms of one core per complete signed
 * PDF; < 50 MB growth over 1,000 PDFs. The PAdES stages (signature timestamp, DSS, document
 * timestamp, by an in-process TSA under a real root) are timed in the same run as the B-B PDF.
 *
 * The peer, in the same run: the same page as HTML printed to PDF by a long-lived headless
 * Chromium (bench/browser-peer.ts); `--no-browser` leaves it out.
 *
 *   node --expose-gc --import tsx bench/bench-pdf.ts [count] [--no-browser]
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument } from 'pdf-lib';
import { attachCertificateFiles } from '../src/adapters/pdf/attachment.ts';
import { placeFixedLayers } from '../src/adapters/pdf/fixed-layers.ts';
import { loadFonts, SYSTEM_FALLBACK_FONTS } from '../src/adapters/pdf/fonts.ts';
import { drawCertificatePage, drawCertificateQr, PAGE_SIZE, variableTexts } from '../src/adapters/pdf/layout.ts';
import { useNativeDeflate } from '../src/adapters/pdf/native-deflate.ts';
import { addPdfA3Structure } from '../src/adapters/pdf/pdfa.ts';
import { useFastQrMask } from '../src/adapters/pdf/qr-mask.ts';
import { renderCertificatePdf, warmUpFonts } from '../src/adapters/pdf/render.ts';
import { drawSealMark } from '../src/adapters/pdf/seal.ts';
import {
  addSignaturePlaceholder,
  appendDocumentTimestamp,
  appendDss,
  type PadesServices,
  SAVE_OPTIONS,
  signSavedPdf,
} from '../src/adapters/pdf/sign-pdf.ts';
import { TextWriter } from '../src/adapters/pdf/text.ts';
import { pemToDer } from '../src/adapters/pki/pem.ts';
import { nodeTimestampTokens } from '../src/adapters/pki/timestamp-authority.ts';
import { createSqlCrlStore } from '../src/adapters/sql/crl-store.ts';
import { sqliteSql } from '../src/adapters/sql/sqlite-sql.ts';
import { provisionTimestampAuthority } from '../src/domain/trust/provision-signing-key.ts';
import { signCrl } from '../src/domain/trust/publish-crl.ts';
import { timestampDigest } from '../src/domain/trust/timestamp-authority.ts';
import {
  createTestPki,
  fixtureRecords,
  fixtureView,
  licenceIdFor,
  signElicenceJson,
} from '../tests/adapters/pdf-test-kit.ts';
import { createTestDomain } from '../tests/adapters/pki-test-kit.ts';
import { measureBrowserPeer } from './browser-peer.ts';

const count = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 1000);
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
// The QR texts the service prints: real `BC1:` credentials (COSE, base45, one alphanumeric
// segment) from the known-answer vectors, of the usual length. The test kit's JWS texts would
// take the QR encoder's slower byte-mode segment search, which no certificate takes.
const qrTexts = [
  ...new Set(
    [...readFileSync(new URL('../tests/vectors/vectors.json', import.meta.url), 'utf8').matchAll(/"(BC1:[^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((text) => text.length > 400 && text.length < 500),
  ),
];
const inputs = await Promise.all(
  fixtureRecords().map(async (_, i) => {
    const view = fixtureView(i);
    const licenceId = licenceIdFor(`2026112000000000000${i}`);
    return {
      view,
      licenceId,
      qrText: qrTexts[i % qrTexts.length]!,
      signedJson: await signElicenceJson(pki, view, licenceId),
    };
  }),
);
const now = new Date('2026-11-20T10:00:00+08:00');

// A trust domain with a timestamp authority and a signed CRL, as the service has.
const domain = await createTestDomain(now);
const clock = { now: () => now };
await provisionTimestampAuthority({ keyStore: domain.keyStore, register: domain.register, x509: domain.x509, now });
const tsaPorts = { register: domain.register, keyStore: domain.keyStore, tokens: nodeTimestampTokens, clock };
const crl = await signCrl({ ...tsaPorts, x509: domain.x509, crls: createSqlCrlStore(sqliteSql(domain.db)) });
let timestampMs = 0;
let timestampCpuMs = 0;
const cpuMsNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const pades: PadesServices = {
  async timestamp(digest) {
    const start = performance.now();
    const cpuStart = cpuMsNow();
    const token = await timestampDigest(tsaPorts, digest);
    timestampMs += performance.now() - start;
    timestampCpuMs += cpuMsNow() - cpuStart;
    return token;
  },
  validationData: async () => ({
    certificates: [domain.register.active('root')!, domain.register.active('tsa')!].map((key) => pemToDer(key.x509Pem)),
    crls: [crl.der],
  }),
};

type Stage = 'layout' | 'qr' | 'attach' | 'pdfa' | 'save' | 'signature' | 'sig-timestamp' | 'dss' | 'doc-timestamp';
const stages: Stage[] = [
  'layout',
  'qr',
  'attach',
  'pdfa',
  'save',
  'signature',
  'sig-timestamp',
  'dss',
  'doc-timestamp',
];
const zero = () => Object.fromEntries(stages.map((stage) => [stage, 0])) as Record<Stage, number>;
/** `before`: B-LTA as it was made before (the whole page laid out and subset on every PDF, qrcode's own mask scoring, pdf-lib's JavaScript deflate, the file parsed again for each update). */
type Mode = 'B-B' | 'B-LTA' | 'before';
const modes: Mode[] = ['before', 'B-B', 'B-LTA'];
const totalsOf: Record<Mode, Record<Stage, number>> = { 'B-B': zero(), 'B-LTA': zero(), before: zero() };
/** The same stages by CPU time (this process, all threads): on a loaded machine the honest figure. */
const cpuTotalsOf: Record<Mode, Record<Stage, number>> = { 'B-B': zero(), 'B-LTA': zero(), before: zero() };
let totals = totalsOf['B-B'];
let cpuTotals = cpuTotalsOf['B-B'];

/** The stages of renderCertificatePdf, timed one by one: B-B, or up to B-LTA. */
async function renderStaged(input: (typeof inputs)[number], mode: Mode) {
  const withPades = mode !== 'B-B';
  const reparse = mode === 'before';
  useNativeDeflate(mode !== 'before');
  useFastQrMask(mode !== 'before');
  totals = totalsOf[mode];
  cpuTotals = cpuTotalsOf[mode];
  let t = performance.now();
  let cpu = cpuMsNow();
  const lap = (stage: Stage) => {
    const next = performance.now();
    const nextCpu = cpuMsNow();
    totals[stage] += next - t;
    cpuTotals[stage] += nextCpu - cpu;
    t = next;
    cpu = nextCpu;
  };
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage(PAGE_SIZE);
  if (mode === 'before') {
    // The whole page laid out on every PDF, in one font subset (no fixed layers).
    const writer = await TextWriter.create(doc, page, fonts, variableTexts(input));
    drawCertificatePage(
      { fixed: writer, variable: writer, sealMark: (cx, cy, radius) => drawSealMark(writer, cx, cy, radius) },
      input,
    );
  } else {
    const layers = await placeFixedLayers(doc, page, fonts);
    const writer = await TextWriter.create(doc, page, fonts, variableTexts(input));
    layers.paintBackground();
    drawCertificatePage({ fixed: null, variable: writer, sealMark: () => layers.paintSealMark() }, input);
  }
  lap('layout');
  drawCertificateQr(doc, page, input.qrText);
  lap('qr');
  await attachCertificateFiles(doc, input.signedJson, input.qrText, now);
  lap('attach');
  addPdfA3Structure(doc, {
    title: `出生医学证明 ${input.view.certificateNo}`,
    subject: 'bench',
    creatorTool: 'bench',
    producer: 'bench',
    licenceId: input.licenceId,
    now,
  });
  lap('pdfa');
  const signer = addSignaturePlaceholder(doc, {
    keyStore: withPades ? domain.keyStore : pki.keyStore,
    signingKey: withPades ? domain.keyA : pki.signingKey,
    signingTime: now,
    reason: 'bench',
    location: 'bench',
    pades: withPades ? pades : null,
  });
  // `before`: pdf-lib's default pause (a timer tick) every 50 objects.
  const unsigned = await doc.save(reparse ? { useObjectStreams: false } : SAVE_OPTIONS);
  lap('save');
  timestampMs = 0;
  timestampCpuMs = 0;
  const signed = await signSavedPdf(unsigned, signer);
  lap('signature');
  // The TSA's share of the signature: the signature timestamp (B-T).
  totals.signature -= timestampMs;
  totals['sig-timestamp'] += timestampMs;
  cpuTotals.signature -= timestampCpuMs;
  cpuTotals['sig-timestamp'] += timestampCpuMs;
  if (!withPades) return signed;
  const withDss = await appendDss(signed, await pades.validationData(), reparse ? undefined : doc);
  lap('dss');
  const archived = await appendDocumentTimestamp(withDss, pades.timestamp, reparse ? undefined : doc);
  lap('doc-timestamp');
  return archived;
}

// Steady state per stage, over every fixture (the Ext-B record included when its font is installed).
const usable = inputs.filter((input) => fonts.missingCharacters(variableTexts(input).join('')).length === 0);
const rounds = 25;
for (let r = 0; r < 3; r++) for (const mode of modes) for (const input of usable) await renderStaged(input, mode);
for (const mode of modes) {
  totalsOf[mode] = zero();
  cpuTotalsOf[mode] = zero();
}
const n = rounds * usable.length;
const summary: Record<string, { wallMs: number; cpuMs: number; kb: number }> = {};
const elapsed = Object.fromEntries(modes.map((mode) => [mode, { cpuUs: 0, wallMs: 0, bytes: 0 }]));
// Interleaved round by round, so that the machine's other load falls on every column alike.
for (let r = 0; r < rounds; r++) {
  for (const mode of modes) {
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    for (const input of usable) elapsed[mode]!.bytes += (await renderStaged(input, mode)).length;
    const cpu = process.cpuUsage(cpuStart);
    elapsed[mode]!.cpuUs += cpu.user + cpu.system;
    elapsed[mode]!.wallMs += performance.now() - wallStart;
  }
}
useNativeDeflate(true);
useFastQrMask(true);
for (const label of modes) {
  const { cpuUs, wallMs, bytes } = elapsed[label]!;
  summary[label] = { wallMs: wallMs / n, cpuMs: cpuUs / 1000 / n, kb: bytes / n / 1024 };
}
console.log(`\nper certificate, mean of ${n} over ${usable.length} fixture records (same run):`);
console.log(
  `  (before: B-LTA with the whole page laid out and subset on every PDF, qrcode's own mask scoring, pdf-lib's JavaScript deflate and each incremental update parsing the file again; every column writes the CMS as DER and reuses parsed glyph records)`,
);
for (const [title, of] of [
  ['CPU ms (this process, all threads)', cpuTotalsOf],
  ['wall ms', totalsOf],
] as const) {
  console.log(`  ${`stage, ${title}`.padEnd(44)} ${'before'.padStart(8)} ${'B-B'.padStart(8)} ${'B-LTA'.padStart(8)}`);
  for (const stage of stages) {
    const cell = (totalsFor: Record<Stage, number>) => `${(totalsFor[stage] / n).toFixed(2)}`.padStart(8);
    console.log(`  ${stage.padEnd(44)} ${cell(of.before)} ${cell(of['B-B'])} ${cell(of['B-LTA'])}`);
  }
}
for (const [label, s] of Object.entries(summary)) {
  console.log(
    `  total ${label.padEnd(8)} ${s.wallMs.toFixed(2)} ms wall, ${s.cpuMs.toFixed(2)} ms CPU (all threads), ${s.kb.toFixed(0)} KB`,
  );
}
console.log(
  `  B-LTA / B-B: ${(summary['B-LTA']!.wallMs / summary['B-B']!.wallMs).toFixed(2)}× wall, ${(summary['B-LTA']!.cpuMs / summary['B-B']!.cpuMs).toFixed(2)}× CPU`,
);
console.log(
  `  before / B-LTA: ${(summary.before!.cpuMs / summary['B-LTA']!.cpuMs).toFixed(2)}× CPU (goal: B-LTA ≤ 15 ms CPU)`,
);

// The peer, same run: the same page as HTML printed to PDF by a long-lived headless Chromium.
if (!process.argv.includes('--no-browser')) {
  const fontFiles = [
    {
      path: createRequire(import.meta.url).resolve(
        '@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf',
      ),
    },
    ...SYSTEM_FALLBACK_FONTS.filter((source) => existsSync(source.path)).slice(0, 1),
  ];
  const peerRounds = 3;
  const peer = await measureBrowserPeer(usable, fontFiles, peerRounds);
  const ours = summary['B-LTA']!;
  console.log(
    `\nthe same page as HTML → PDF by headless Chromium (one browser, one page), mean of ${peerRounds * usable.length}:`,
  );
  console.log(
    `  Chromium page.pdf()   ${peer.wallMs.toFixed(2)} ms wall, ${peer.cpuMs.toFixed(2)} ms CPU (browser processes + this one), ${peer.kb.toFixed(0)} KB, unsigned`,
  );
  console.log(
    `  signed B-LTA PDF here ${ours.wallMs.toFixed(2)} ms wall, ${ours.cpuMs.toFixed(2)} ms CPU: ${(peer.wallMs / ours.wallMs).toFixed(1)}× faster by wall clock, ${(peer.cpuMs / ours.cpuMs).toFixed(1)}× by CPU (goal ≥ 15×)`,
  );
}

// Resident memory over `count` complete renders through the public entry point.
gc?.();
const rssBefore = process.memoryUsage().rss;
const loopStart = performance.now();
for (let i = 0; i < count; i++) {
  const input = usable[i % usable.length]!;
  await renderCertificatePdf({ ...input, signingKey: domain.keyA, keyStore: domain.keyStore, fonts, now, pades });
}
const loopMs = performance.now() - loopStart;
gc?.();
const rssAfter = process.memoryUsage().rss;
console.log(`\n${count} B-LTA PDFs: ${(loopMs / count).toFixed(2)} ms each`);
console.log(
  `RSS ${mb(rssBefore)} → ${mb(rssAfter)} MB: growth ${mb(rssAfter - rssBefore)} MB${gc ? '' : ' (run with --expose-gc for a settled figure)'}`,
);
domain.close();
