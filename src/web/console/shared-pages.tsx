import { ConsoleLayout, type ConsoleUser, roleName } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { ConsoleOidcForm } from '../oidc-pages.tsx';
import type { FormValues } from './components.tsx';

// ---- sign-in, 403, home

export function SignInPage(props: { values?: FormValues; alert?: string | undefined; oidc?: boolean | undefined }) {
  const v = props.values ?? {};
  return (
    <ConsoleLayout title={t('console.signIn.title')}>
      <h1>{t('console.signIn.title')}</h1>
      <p class="lead">{t('console.signIn.intro')}</p>
      <form method="post" action="/console/sign-in" class="card narrow">
        <Alert text={props.alert} />
        <Field name="username" label={t('console.signIn.username')} value={v.username} autocomplete="username" />
        <div class="field">
          <label for="f-password">{t('console.signIn.password')}</label>
          <input id="f-password" name="password" type="password" autocomplete="current-password" required />
        </div>
        <button type="submit">{t('console.signIn.submit')}</button>
      </form>
      {props.oidc && <ConsoleOidcForm />}
    </ConsoleLayout>
  );
}

export function ForbiddenPage({ user }: { user: ConsoleUser }) {
  return (
    <ConsoleLayout title={t('console.forbidden.title')} user={user}>
      <h1>{t('console.forbidden.title')}</h1>
      <p class="alert" role="alert">
        {t('console.forbidden.body', { role: roleName(user.role) })}
      </p>
      <p>
        <a class="button" href="/console">
          {t('console.forbidden.home')}
        </a>
      </p>
    </ConsoleLayout>
  );
}

export function MessagePage(props: { user?: ConsoleUser | undefined; title: string; body: string }) {
  return (
    <ConsoleLayout title={props.title} user={props.user}>
      <h1>{props.title}</h1>
      <p class="alert" role="alert">
        {props.body}
      </p>
      <p>
        <a class="button" href="/console">
          {t('console.forbidden.home')}
        </a>
      </p>
    </ConsoleLayout>
  );
}
