// Service worker of the verifier (/verify-sw.js, scope /verify): keeps the page, its scripts and
// icons, the trust list and every status list token, so a QR verifies with the network gone.
// The page and the data are fetched network-first (a fresh copy replaces the cached one); the
// static files are served from the cache and refreshed behind it. Nothing else is touched:
// POSTs, other pages and every other API call go to the network as they would without it.
const VERSION = 'v1';
const SHELL = `verify-shell-${VERSION}`;
/** Shared with the page (offline.js), which reads the trust list and lists from it. */
const DATA = 'verify-data-v1';
const SHELL_FILES = [
  '/verify',
  '/static/site.css',
  '/static/vendor/htmx.min.js',
  '/static/verify.js',
  '/static/offline.js',
  '/static/offline-verify.js',
  '/verify.webmanifest',
  '/static/icons/icon-192.png',
  '/static/icons/icon-512.png',
  '/static/icons/icon.svg',
];
const TRUST_LIST = '/api/v1/trust-list';
const STATUS_LIST = /^\/api\/v1\/status-lists\/[A-Za-z0-9_-]{1,64}$/;
const REFRESHED = '/verify-offline-refreshed';

/**
 * Fetches the trust list and every status list it names (each from this origin: the token's
 * signed `sub` is what binds it to a credential, not where it was fetched from) into the cache.
 */
async function refreshData() {
  const cache = await caches.open(DATA);
  const response = await fetch(TRUST_LIST, { cache: 'no-store' });
  if (!response.ok) throw new Error(`trust list: ${response.status}`);
  const trustList = await response.clone().json();
  const paths = (trustList.statusLists ?? []).map((uri) => new URL(uri).pathname).filter((p) => STATUS_LIST.test(p));
  const lists = await Promise.all(paths.map((path) => fetch(path, { cache: 'no-store' })));
  await cache.put(TRUST_LIST, response);
  await Promise.all(lists.map((list, i) => (list.ok ? cache.put(paths[i], list) : undefined)));
  const refreshedAt = new Date().toISOString();
  await cache.put(REFRESHED, new Response(JSON.stringify({ refreshedAt }), { headers: { 'Content-Type': 'application/json' } }));
  return refreshedAt;
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await shell.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })));
      await refreshData().catch(() => {});
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL && name !== DATA) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** The page asks for a refresh when it opens online and when the network comes back. */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'refresh') return;
  event.waitUntil(
    refreshData().then(
      (refreshedAt) => event.source?.postMessage({ type: 'refreshed', refreshedAt }),
      () => event.source?.postMessage({ type: 'refresh-failed' }),
    ),
  );
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key, { ignoreSearch: true, ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(event, key) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(key, { ignoreVary: true });
  const fresh = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(key, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => {}));
    return cached;
  }
  return fresh;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/verify') {
    event.respondWith(networkFirst(request, SHELL, '/verify'));
  } else if (url.pathname === TRUST_LIST || STATUS_LIST.test(url.pathname)) {
    event.respondWith(networkFirst(request, DATA, url.pathname));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(cacheFirst(event, url.pathname));
  }
});
