import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Both widths of the page as it is now, as `<dir>/<name>-360.png` and `-1280.png`, when
 * UPDATE_SCREENS=1 (they are looked at before committing); a plain test run leaves the committed
 * screenshots alone. After each resize the page gets two frames to lay itself out and paint before
 * the capture: taken at once, a 1280 px capture once kept the paint of the 360 px layout below the
 * first screen (a card drawn without its last field's error and its button). The viewport is
 * given back as it was, so the test goes on as it would without screenshots.
 */
export async function saveScreens(page: Page, dir: string, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENS !== '1') return;
  mkdirSync(dir, { recursive: true });
  const before = page.viewportSize();
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
