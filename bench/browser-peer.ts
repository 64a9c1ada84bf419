/**
 * BENCHMARK ONLY: the peer for bench-pdf.ts: the same certificate page as HTML, printed to PDF by
 * one long-lived headless Chromium (Debian's /usr/bin/chromium through playwright-core), one
 * long-lived page, as certificate platforms built on a headless browser do. Times wall clock per
 * PDF and the CPU of the browser's whole process tree (read from /proc) plus this process.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { CertificateView } from '../src/adapters/pdf/certificate-view.ts';
import type { FontSource } from '../src/adapters/pdf/fonts.ts';
import { certificateHtml } from './certificate-html.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const TICKS_PER_S = 100; // USER_HZ on Linux

/** utime + stime (ms) of `root` and all its descendants. */
function treeCpuMs(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S);
    } catch {
      // the process ended while we read
    }
  }
  let total = 0;
  for (const [pid, ms] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        total += ms;
        break;
      }
    }
  }
  return total;
}

export interface PeerResult {
  wallMs: number;
  cpuMs: number;
  kb: number;
}

export async function measureBrowserPeer(
  inputs: Array<{ view: CertificateView; qrText: string; licenceId: string }>,
  fonts: FontSource[],
  rounds: number,
  onFirstPdf?: (pdf: Buffer) => void,
): Promise<PeerResult> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // A file: origin, so that the template's @font-face rules can load the font files.
    const dir = mkdtempSync(join(tmpdir(), 'peer-'));
    writeFileSync(join(dir, 'blank.html'), '<!doctype html>');
    await page.goto(pathToFileURL(join(dir, 'blank.html')).href);
    const printOne = async (input: (typeof inputs)[number]) => {
      await page.setContent(await certificateHtml(input, fonts), { waitUntil: 'load' });
      await page.evaluate('document.fonts.ready.then(() => undefined)');
      return page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    };
    // Warm: the browser's first pages load fonts and compile.
    for (const input of inputs) onFirstPdf?.(await printOne(input));
    onFirstPdf = undefined;
    const pid = (browser as unknown as { process?: () => { pid: number } }).process?.()?.pid;
    const rootPid = pid ?? findChromiumPid();
    const browserCpu = treeCpuMs(rootPid);
    const ownCpu = process.cpuUsage();
    const start = performance.now();
    let bytes = 0;
    const n = rounds * inputs.length;
    for (let r = 0; r < rounds; r++) for (const input of inputs) bytes += (await printOne(input)).length;
    const wallMs = performance.now() - start;
    const own = process.cpuUsage(ownCpu);
    return {
      wallMs: wallMs / n,
      cpuMs: (treeCpuMs(rootPid) - browserCpu + (own.user + own.system) / 1000) / n,
      kb: bytes / n / 1024,
    };
  } finally {
    await browser.close();
  }
}

/** The chromium child of this process (playwright's launch does not expose the pid publicly). */
function findChromiumPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && stat.includes('(chrom')) return Number(entry);
    } catch {
      // ended meanwhile
    }
  }
  throw new Error('no chromium child process found');
}
