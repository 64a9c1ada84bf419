/**
 * Driving console pages by keyboard alone: move the focus with Tab / Shift+Tab and check a visible
 * focus ring at every stop, type only into the focused box, act with Enter or Space.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestService } from '../http/harness.ts';
import { consoleKit } from './console-kit.ts';

/** The element with the focus as a screen reader names it: its group, its label or its text. */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return '(body)';
  const group = el.closest('fieldset')?.querySelector('legend')?.textContent?.trim();
  const name = el.getAttribute('aria-label') ?? el.getAttribute('title') ?? (el.labels?.length ? el.labels[0].textContent : el.textContent) ?? '';
  return (group ? group + ' › ' : '') + name.trim();
})()`;
export const focused = (p: Page) => p.evaluate<string>(FOCUSED);

/** Whether the focused element shows a focus ring a sighted keyboard user can see. */
const RING_VISIBLE = `(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  // A date box's focus is on its parts (year, month …) inside it: the box itself is :focus-within.
  return el.matches(':focus-visible, :focus-within') && style.outlineStyle !== 'none' &&
    Number.parseFloat(style.outlineWidth) >= 2 && rect.width > 0 && rect.height > 0;
})()`;
export const ringVisible = (p: Page) => p.evaluate<boolean>(RING_VISIBLE);

/** Tab (or Shift+Tab) until the focus is on `target`; every stop passed shows its ring. Returns the stops. */
export async function tabTo(p: Page, target: string, key: 'Tab' | 'Shift+Tab' = 'Tab', most = 60): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < most; i++) {
    await p.keyboard.press(key);
    const now = await focused(p);
    stops.push(now);
    // Inside the viewer the viewer draws its own focus; this page's ring is not asked for there.
    if (now !== '(PDF viewer)')
      expect(
        await ringVisible(p),
        `focus ring on ${now}: ${await p.evaluate<string>("(() => { const el = document.activeElement; const s = getComputedStyle(el); return [el.matches(':focus-visible'), el.matches(':focus'), s.outlineStyle, s.outlineWidth].join(' '); })()")}`,
      ).toBe(true);
    if (now === target) return stops;
  }
  throw new Error(`"${target}" not reached by ${key}; stops: ${stops.join(' | ')}`);
}

/** Type into the focused box, replacing what it held. */
export async function typeHere(p: Page, text: string) {
  await p.keyboard.press('ControlOrMeta+A');
  await p.keyboard.press('Backspace');
  if (text) await p.keyboard.type(text);
}

/** Enter on the focused control, then wait for the page it opens. */
export async function enterAndLoad(p: Page) {
  await Promise.all([p.waitForEvent('load'), p.keyboard.press('Enter')]);
}

/** htmx is loaded and no request or swap is under way (polled: the CSP forbids eval). */
export async function htmxSettled(p: Page) {
  await expect
    .poll(() =>
      p.evaluate<boolean>(
        "'htmx' in window && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')",
      ),
    )
    .toBe(true);
}

/** The skip link goes first and lands the next Tab inside the page's main part. */
export async function skipToMain(p: Page, firstInMain: string) {
  await tabTo(p, '跳到正文');
  await p.keyboard.press('Enter');
  await p.keyboard.press('Tab');
  expect(await focused(p)).toBe(firstInMain);
  expect(await ringVisible(p)).toBe(true);
  expect(await p.evaluate<boolean>("document.activeElement.closest('main') !== null")).toBe(true);
}

/**
 * Types a date-time into the focused datetime-local box part by part, as a person does: this
 * Chromium shows mm/dd/yyyy, hh:mm AM/PM and moves to the next part when one is complete.
 */
export async function typeDateTime(p: Page, local: string) {
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-') as [string, string, string];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const h12 = hh % 12 === 0 ? 12 : hh % 12;
  await p.keyboard.type(`${m}${d}${y}`);
  await p.keyboard.press('Tab');
  await p.keyboard.type(`${String(h12).padStart(2, '0')}${String(mm).padStart(2, '0')}${hh < 12 ? 'A' : 'P'}`);
}

/** Types a date into the focused date box (mm/dd/yyyy). */
export async function typeDate(p: Page, iso: string) {
  const [y, m, d] = iso.split('-') as [string, string, string];
  await p.keyboard.type(`${m}${d}${y}`);
}

export const value = (p: Page) => p.evaluate<string>('document.activeElement.value');

/** Sign-in by keyboard: the first Tab is the skip link, then the two boxes, Enter to sign in. */
export function keyboardSignIn(svc: () => TestService, browser: () => Browser) {
  const { usernameOf, passwordOf } = consoleKit(svc, browser);
  return async function signInByKeyboard(p: Page, role: string) {
    await p.goto(`${svc().url}/console`);
    await tabTo(p, '跳到正文');
    await tabTo(p, '用户名');
    await typeHere(p, usernameOf(role));
    await tabTo(p, '密码');
    await typeHere(p, passwordOf(usernameOf(role)));
    await enterAndLoad(p);
  };
}

/** Types a date-time with seconds (a box with step=1: mm/dd/yyyy, hh:mm:ss AM/PM) into the focused box. */
export async function typeDateTimeSeconds(p: Page, local: string) {
  const [date, time] = local.split('T') as [string, string];
  const [y, m, d] = date.split('-') as [string, string, string];
  const [hh, mm, ss] = time.split(':').map(Number) as [number, number, number];
  const h12 = hh % 12 === 0 ? 12 : hh % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  await p.keyboard.type(`${m}${d}${y}`);
  await p.keyboard.press('Tab');
  await p.keyboard.type(`${two(h12)}${two(mm)}${two(ss)}${hh < 12 ? 'A' : 'P'}`);
}

/** Enter on the focused link or button that starts a download; the file as it arrived. */
export async function enterAndDownload(p: Page): Promise<{ file: string; text: string }> {
  const [started] = await Promise.all([p.waitForEvent('download'), p.keyboard.press('Enter')]);
  const { readFile } = await import('node:fs/promises');
  return { file: started.suggestedFilename(), text: await readFile((await started.path())!, 'utf8') };
}
