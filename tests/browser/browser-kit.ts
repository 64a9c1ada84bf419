import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import QRCode from 'qrcode';

/** Debian's Chromium, no browser download; quiet, headless, no network of its own. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...chromiumArgs, ...extraArgs] });
}

/** A fake camera that films the QR code: a y4m made with ffmpeg from the rendered QR PNG. */
export async function fakeCameraOf(qrText: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bc-camera-'));
  const png = path.join(dir, 'qr.png');
  writeFileSync(png, await QRCode.toBuffer(qrText, { errorCorrectionLevel: 'M', margin: 4, width: 600 }));
  const y4m = path.join(dir, 'qr.y4m');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-loop',
    '1',
    '-i',
    png,
    '-vf',
    'scale=640:640,pad=960:720:160:40:white,format=yuv420p',
    '-t',
    '2',
    '-r',
    '10',
    y4m,
  ]);
  return y4m;
}

/** axe-core's serious and critical findings on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
