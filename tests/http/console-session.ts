/**
 * A staff member at the console over plain HTTP: the session cookie from the sign-in form, the
 * CSRF token from a page, forms posted as a browser posts them, and the form's boxes read back.
 */
import type { TestService } from './harness.ts';

export interface ConsoleClient {
  get(path: string): Promise<{ status: number; html: string }>;
  /** Posts `values` (plus the CSRF token) as application/x-www-form-urlencoded from our own origin. */
  post(
    path: string,
    values: Record<string, string>,
  ): Promise<{ status: number; html: string; location: string | null }>;
}

export async function consoleClient(svc: TestService, role: string, institution: 'gz' | 'bj' = 'gz') {
  const account = svc.accounts.find(
    (a) => a.role === role && (a.institution === null || a.username.endsWith(`-${institution}`)),
  )!;
  const signIn = await fetch(`${svc.url}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: svc.url },
    body: new URLSearchParams({ username: account.username, password: account.password }),
    redirect: 'manual',
  });
  if (signIn.status !== 303) throw new Error(`console sign-in as ${account.username}: ${signIn.status}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  const get: ConsoleClient['get'] = async (path) => {
    const res = await fetch(`${svc.url}${path}`, { headers: { cookie }, redirect: 'manual' });
    return { status: res.status, html: await res.text() };
  };
  const csrf = /name="_csrf" value="([^"]+)"/.exec((await get('/console')).html)?.[1] ?? '';
  const landing = await get(signIn.headers.get('location') ?? '/console');
  const token = /name="_csrf" value="([^"]+)"/.exec(landing.html)?.[1] ?? csrf;
  const post: ConsoleClient['post'] = async (path, values) => {
    const res = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { cookie, origin: svc.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, ...values }),
      redirect: 'manual',
    });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  };
  return { get, post } satisfies ConsoleClient;
}

const htmlText = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The values a browser would submit from the form `id` of `html`: text boxes and selected options. */
export function formBoxes(html: string, id: string): Record<string, string> {
  const start = html.indexOf(`id="${id}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const values: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (!name || name === '_csrf') continue;
    values[name] = htmlText(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  for (const [, name, body] of form.matchAll(/<select\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected/.exec(body!) ?? /<option value="([^"]*)"/.exec(body!);
    values[name!] = htmlText(chosen?.[1] ?? '');
  }
  return values;
}

/** The text of the error paragraph beside the box `name` (empty when the box is fine). */
export function errorBeside(html: string, name: string): string | null {
  const id = `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}-error`;
  const match = new RegExp(`<p class="error" id="${id}"[^>]*>([^<]*)</p>`).exec(html);
  return match ? htmlText(match[1]!) : null;
}
