import type { RefusalReason } from '../domain/accounts/identity.ts';
import { ConsoleLayout } from './console-layout.tsx';
import { Alert, Field, Layout, type PageContext } from './layout.tsx';
import { citizenRefusalKey, consoleOidc, oidcT } from './oidc-messages.ts';

/** "Sign in with the government platform" on /apply and /my: the code or number says which birth. */
export function CitizenOidcForm(props: {
  ctx: PageContext;
  purpose: 'apply' | 'my';
  value?: string | undefined;
  error?: string | undefined;
}) {
  const o = oidcT(props.ctx.lang);
  const apply = props.purpose === 'apply';
  const name = apply ? 'oidc.applicationCode' : 'oidc.certificateNo';
  return (
    <form method="post" action={apply ? '/apply/oidc' : '/my/oidc'} class="card" id="oidc">
      <h2>{o(apply ? 'oidc.apply.title' : 'oidc.my.title')}</h2>
      <p>{o(apply ? 'oidc.apply.intro' : 'oidc.my.intro')}</p>
      <Field
        name={name}
        label={props.ctx.t(apply ? 'apply.code' : 'my.claim.certificateNo')}
        value={props.value}
        errors={props.error ? [props.error] : undefined}
      />
      <button type="submit">{o(apply ? 'oidc.apply.submit' : 'oidc.my.submit')}</button>
    </form>
  );
}

/**
 * After the provider's redirect: a same-site page that moves on by itself. A redirect straight
 * from the callback would still count as the provider's (cross-site) navigation, and the browser
 * would not send the SameSite=Strict session cookie just set.
 */
export function ContinuePage({
  ctx,
  to,
  title,
  body,
  link,
}: {
  ctx: PageContext;
  to: string;
  title: string;
  body: string;
  link: string;
}) {
  return (
    <Layout ctx={ctx} title={title} head={<meta http-equiv="refresh" content={`0;url=${to}`} />}>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a class="button" href={to}>
          {link}
        </a>
      </p>
    </Layout>
  );
}

export function CitizenRefusalPage({
  ctx,
  reason,
  purpose,
}: {
  ctx: PageContext;
  reason: RefusalReason;
  purpose: 'apply' | 'my' | null;
}) {
  const o = oidcT(ctx.lang);
  return (
    <Layout ctx={ctx} title={o('oidc.refused.title')}>
      <h1>{o('oidc.refused.title')}</h1>
      <Alert text={o(citizenRefusalKey(reason, purpose))} />
      <p>
        <a class="button" href={purpose === null ? '/' : `/${purpose}`}>
          {purpose === null ? o('oidc.refused.home') : o('oidc.refused.back')}
        </a>
      </p>
    </Layout>
  );
}

export function ConsoleRefusalPage({ reason }: { reason: RefusalReason }) {
  return (
    <ConsoleLayout title={consoleOidc.refusedTitle}>
      <h1>{consoleOidc.refusedTitle}</h1>
      <Alert text={consoleOidc.refused[reason]} />
      <p>
        <a class="button" href="/console/sign-in">
          {consoleOidc.back}
        </a>
      </p>
    </ConsoleLayout>
  );
}

/** On the console's sign-in page, below the password form. */
export function ConsoleOidcForm() {
  return (
    <form method="post" action="/console/sign-in/oidc" class="card narrow" id="oidc">
      <p>{consoleOidc.intro}</p>
      <button type="submit" class="secondary">
        {consoleOidc.button}
      </button>
    </form>
  );
}
