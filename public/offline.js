// Offline verification on /verify: registers the service worker (which caches the page, the trust
// list and the status lists), asks it to refresh them whenever the page opens online or the
// network comes back, and — with the network gone — verifies a pasted or scanned QR text here
// with offline-verify.js instead of posting it. Texts come from the page (the message catalogue).
(() => {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.crypto?.subtle || !window.caches) return;
  const DATA = 'verify-data-v1';
  const texts = JSON.parse(document.getElementById('offline-texts')?.dataset.messages ?? '{}');
  const t = (key, values = {}) => (texts[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
  /** An instant as China reads it: `2026-11-24 21:05` (UTC+8), as the server's pages show it. */
  const chinaTime = (iso) => {
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    const s = new Date(ms + 8 * 3_600_000).toISOString();
    return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
  };

  const showReady = (refreshedAt) => {
    const status = document.getElementById('offline-status');
    if (!status) return;
    status.textContent = refreshedAt ? t('verify.offline.ready', { time: chinaTime(refreshedAt) }) : '';
    status.hidden = !refreshedAt;
    if (refreshedAt) document.documentElement.dataset.offlineRefreshedAt = refreshedAt;
  };
  const readCached = async (path) => {
    const response = await (await caches.open(DATA)).match(path, { ignoreVary: true });
    return response ? response.text() : null;
  };
  readCached('/verify-offline-refreshed')
    .then((text) => text && showReady(JSON.parse(text).refreshedAt))
    .catch(() => {});

  const refresh = () =>
    navigator.serviceWorker.ready.then((registration) => {
      if (navigator.onLine) registration.active?.postMessage({ type: 'refresh' });
    });
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (event.data?.type === 'refreshed') showReady(event.data.refreshedAt);
  });
  navigator.serviceWorker
    .register('/verify-sw.js', { scope: '/verify' })
    .then(refresh)
    .catch(() => {});
  window.addEventListener('online', refresh);

  const verdictOf = (result) => {
    const signed = { time: chinaTime(result.statusAsOf ?? '') };
    switch (result.reason ?? 'valid') {
      case 'valid':
        return ['ok', t('verify.offline.signatureValid', signed), t('verify.offline.valid.body')];
      case 'VOID':
        return ['bad', t('verdict.void'), t('verdict.void.body')];
      case 'REVOKED':
        return ['bad', t('verdict.revoked'), t('verdict.revoked.body')];
      case 'SUPERSEDED':
        return ['bad', t('verify.offline.superseded'), t('verify.offline.superseded.body')];
      case 'STATUS_UNAVAILABLE':
        return ['bad', t('verify.offline.unavailable'), t('verify.offline.unavailable.body')];
      case 'NOT_CACHED':
        return ['bad', t('verify.offline.notReady'), t('verify.offline.notCached')];
      case 'UNTRUSTED_ISSUER':
      case 'ISSUER_REVOKED':
        return ['bad', t('verdict.untrusted'), t('verdict.untrusted.body')];
      case 'BAD_SIGNATURE':
        return ['bad', t('verdict.altered'), t('verdict.altered.body')];
      default:
        return ['bad', t('verdict.malformed'), t('verdict.malformed.body')];
    }
  };

  const element = (tag, attributes, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };

  /** The verdict section, as the server renders it (src/web/pages/verify.tsx), built without innerHTML. */
  function render(result) {
    const [tone, heading, body] = verdictOf(result);
    const section = element('section', {
      id: 'result',
      class: `verdict ${tone}`,
      'aria-labelledby': 'verdict-heading',
      tabindex: '-1',
    });
    section.append(
      element('p', { class: 'verdict-label' }, t('verify.result.heading')),
      element('h2', { id: 'verdict-heading' }, heading),
      element('p', {}, body),
    );
    if (result.statusAsOf && !result.valid) {
      section.append(element('p', { class: 'status-as-of' }, t('verify.offline.signatureValid', { time: chinaTime(result.statusAsOf) })));
    }
    section.append(
      element('p', { class: 'offline-note' }, t('verify.offline.mode')),
      element('p', { class: 'checked-at' }, t('verify.result.checkedAt', { time: chinaTime(new Date().toISOString()) })),
    );
    const c = result.certificate;
    if (c) {
      const rows = [
        ['item.certificateNo', c.certificateNo],
        ['item.newbornName', c.newborn.name],
        ['item.sex', t(c.newborn.sex === '1' ? 'sex.1' : 'sex.2')],
        ['item.birthTime', chinaTime(c.newborn.birthTime)],
        ['item.motherName', c.mother.name],
        ['item.issuer', c.issuer.name],
        ['item.issueDate', c.issueDate],
        ['item.licenceId', c.licenceId],
      ];
      const list = element('dl', { class: 'items' });
      for (const [key, value] of rows) list.append(element('div', {}, element('dt', {}, t(key)), element('dd', {}, value)));
      section.append(element('h3', {}, t('verify.result.carried')), element('p', { class: 'note' }, t('verify.result.onlyCarried')), list);
    }
    const again = element('a', { href: '/verify' }, t('verify.result.again'));
    const print = element('button', { type: 'button', class: 'secondary print-button' }, t('verify.result.print'));
    print.addEventListener('click', () => window.print());
    section.append(element('p', { class: 'actions no-print' }, print, ' ', again));
    document.getElementById('result')?.remove();
    document.querySelector('main h1')?.after(section);
    section.focus();
  }

  let verifier = null;
  async function verifyHere(text) {
    verifier ??= import('/static/offline-verify.js');
    const { verifyQrOffline } = await verifier;
    const trustListText = await readCached('/api/v1/trust-list');
    if (!trustListText) {
      render({ valid: false, reason: 'NOT_CACHED' });
      return;
    }
    const result = await verifyQrOffline(text, {
      trustList: JSON.parse(trustListText),
      statusListOf: (uri) => {
        const path = new URL(uri).pathname;
        return /^\/api\/v1\/status-lists\/[A-Za-z0-9_-]{1,64}$/.test(path) ? readCached(path) : null;
      },
    });
    render(result);
  }

  // Offline, the QR form is verified here; capture runs before htmx's own submit handler.
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (form?.id !== 'qr-form' || navigator.onLine) return;
      const text = form.elements.qr?.value ?? '';
      if (text === '') return;
      event.preventDefault();
      event.stopImmediatePropagation();
      verifyHere(text);
    },
    true,
  );
  // Online in name but the service unreachable: the same, once htmx reports the failed request.
  document.addEventListener('htmx:sendError', (event) => {
    const form = event.detail?.elt;
    if (form?.id === 'qr-form' && form.elements.qr?.value) verifyHere(form.elements.qr.value);
  });
})();
