/**
 * A browser without a page engine for the OIDC tests: a cookie jar per origin (names only, as the
 * service and the provider read them), redirects followed by hand so every hop is a real HTTP
 * request between the service and the provider on loopback.
 */
export class CookieBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(origin: string) {
    let jar = this.jars.get(origin);
    if (!jar) {
      jar = new Map();
      this.jars.set(origin, jar);
    }
    return jar;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jar(origin).get(name);
  }

  setCookie(origin: string, name: string, value: string) {
    this.jar(origin).set(name, value);
  }

  /** One request, no redirect followed; Set-Cookie kept. */
  async send(method: string, url: string, form?: Record<string, string>) {
    const target = new URL(url);
    const jar = this.jar(target.origin);
    const headers: Record<string, string> = {};
    if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = target.origin;
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (attributes.some((a) => /^max-age=0$/i.test(a)) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), text, url: target.href };
  }

  /** A request, then every redirect as a GET, until a page answers. */
  async go(method: string, url: string, form?: Record<string, string>) {
    let res = await this.send(method, url, form);
    const hops: string[] = [];
    while (res.status >= 300 && res.status < 400 && res.location) {
      const next = new URL(res.location, res.url).href;
      hops.push(next);
      res = await this.send('GET', next);
    }
    return { ...res, hops };
  }
}
