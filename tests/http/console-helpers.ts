import { expect } from 'vitest';
import type { TestService } from './harness.ts';

/** A console session of a demo role over plain HTTP: its cookie and the CSRF token of its pages. */
export async function consoleSession(svc: TestService, role: string) {
  const account = svc.accounts.find((a) => a.role === role && (a.institution === null || a.username.endsWith('-gz')))!;
  const signedIn = await fetch(`${svc.url}/console/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: account.username, password: account.password }),
    redirect: 'manual',
  });
  expect(signedIn.status).toBe(303);
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;
  const get = (path: string) => fetch(`${svc.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  const home = await get(signedIn.headers.get('location')!);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
  const post = (path: string, fields: Record<string, string>, withCsrf = true) =>
    fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(withCsrf ? { _csrf: csrf, ...fields } : fields),
      redirect: 'manual',
    });
  return { home: signedIn.headers.get('location'), get, post, username: account.username };
}
