import { Layout, type PageContext } from '../layout.tsx';

export function HomePage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const ways = [
    { href: '/verify', title: t('home.verify.title'), body: t('home.verify.body') },
    { href: '/my', title: t('home.my.title'), body: t('home.my.body') },
    { href: '/apply', title: t('home.apply.title'), body: t('home.apply.body') },
    { href: '/console/', title: t('home.staff.title'), body: t('home.staff.body') },
  ];
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="lead">{t('home.intro')}</p>
      <ul class="ways">
        {ways.map((w) => (
          <li key={w.href}>
            <a href={w.href}>
              <span class="way-title">{w.title}</span>
              <span class="way-body">{w.body}</span>
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
