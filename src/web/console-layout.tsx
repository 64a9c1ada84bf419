import type { Child } from 'hono/jsx';
import type { Role } from '../domain/accounts/account.ts';
import { type ConsoleKey, consoleT as t } from './console-messages.ts';

/** Who is signed in, as every console page shows it; `csrf` goes into every form. */
export interface ConsoleUser {
  username: string;
  role: Role;
  csrf: string;
}

const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
  responseHandling: [{ code: '.*', swap: true }],
});

export const roleName = (role: string) => t(`role.${role}` as ConsoleKey);

/** The hidden synchronizer token of every console form. */
export const Csrf = ({ user }: { user: ConsoleUser }) => <input type="hidden" name="_csrf" value={user.csrf} />;

const navOf: Partial<Record<Role, { href: string; key: ConsoleKey }[]>> = {
  midwife: [{ href: '/console/midwife', key: 'midwife.title' }],
  issuer: [
    { href: '/console/issuer', key: 'issuer.title' },
    { href: '/console/issuer/search', key: 'issuer.search.title' },
    { href: '/console/issuer/collection', key: 'collection.title' },
    { href: '/console/issuer/walk-in', key: 'issuer.walkIn.title' },
  ],
  police: [
    { href: '/console/police', key: 'police.title' },
    { href: '/console/police/archives', key: 'archive.title' },
  ],
  admin: [
    { href: '/console/admin', key: 'admin.stock.title' },
    { href: '/console/admin/accounts', key: 'admin.accounts.title' },
    { href: '/console/admin/keys', key: 'admin.keys.title' },
    { href: '/console/admin/certificates', key: 'admin.certificates.title' },
  ],
  agency: [{ href: '/console/agency', key: 'agency.title' }],
  auditor: [{ href: '/console/auditor', key: 'auditor.title' }],
  statistician: [{ href: '/console/statistician', key: 'stats.title' }],
};

/** The frame of every console page: header with the user and sign-out, the role's links, main. */
export function ConsoleLayout(props: { title: string; user?: ConsoleUser | undefined; children: Child }) {
  const { user } = props;
  const links = user ? (navOf[user.role] ?? []) : [];
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${t('console.name')}`}</title>
        <link rel="stylesheet" href="/static/site.css" />
        <link rel="stylesheet" href="/static/console.css" />
        <script src="/static/vendor/htmx.min.js" defer />
        <script src="/static/console.js" defer />
      </head>
      <body class="console">
        <a class="skip" href="#main">
          跳到正文
        </a>
        <header class="site">
          <a class="brand" href="/console">
            {t('console.name')}
          </a>
          {user && (
            <form method="post" action="/console/sign-out" class="sign-out">
              <Csrf user={user} />
              <span class="who">{t('console.signedInAs', { user: user.username, role: roleName(user.role) })}</span>
              <button type="submit" class="secondary small">
                {t('console.signOut')}
              </button>
            </form>
          )}
        </header>
        {links.length > 0 && (
          <nav class="console-nav" aria-label={t('console.nav')}>
            {links.map((l) => (
              <a key={l.href} href={l.href}>
                {t(l.key)}
              </a>
            ))}
          </nav>
        )}
        <main id="main" class="wide">
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A definition list of label → value pairs. */
export function Items({ rows }: { rows: [string, string | null | undefined][] }) {
  return (
    <dl class="items">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}
