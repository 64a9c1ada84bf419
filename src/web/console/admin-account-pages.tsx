import type { Role } from '../../domain/accounts/account.ts';
import type { IdentityLink } from '../../domain/accounts/identity.ts';
import { ConsoleLayout, type ConsoleUser, Csrf, roleName } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { Alert, Field } from '../layout.tsx';
import { chinaDateTime } from '../time.ts';
import type { FormState } from './admin-pages.tsx';
import { noErrors } from './components.tsx';

/** One staff account as the administrator manages it: its identity-provider links and, for police, its unit. */
export interface AccountView {
  username: string;
  role: Role;
  displayName: string | null;
  policeUnit: string | null;
  links: IdentityLink[];
}

const blank: FormState = { values: {}, errors: noErrors };

export const accountPath = (username: string, what = '') =>
  `/console/admin/accounts/${encodeURIComponent(username)}${what ? `/${what}` : ''}`;

/**
 * The account's page: the links (each with 解除关联, which first asks), a form to link another
 * subject, and for a police account the unit it acts for.
 */
export function AccountPage(props: {
  user: ConsoleUser;
  account: AccountView;
  /** The health commission's provider, when configured: the issuer box starts with it. */
  defaultIssuer?: string | undefined;
  linkForm?: FormState | undefined;
  unitForm?: FormState | undefined;
  /** A link awaiting the administrator's confirmation before it ends. */
  unlink?: { issuer: string; subject: string } | undefined;
  notice?: string | undefined;
}) {
  const a = props.account;
  const linkForm = props.linkForm ?? { ...blank, values: { issuer: props.defaultIssuer ?? '' } };
  const unitForm = props.unitForm ?? { ...blank, values: { policeUnit: a.policeUnit ?? '' } };
  const title = t('admin.account.title', { user: a.username });
  return (
    <ConsoleLayout title={title} user={props.user}>
      <p>
        <a href="/console/admin/accounts">{t('admin.account.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="lead">
        {roleName(a.role)}
        {a.displayName ? ` · ${a.displayName}` : ''}
      </p>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      {a.role !== 'police' && <Alert text={props.unitForm?.alert} />}
      {props.unlink && (
        <section class="card" aria-labelledby="unlink-h">
          <h2 id="unlink-h">{t('admin.account.unlinkConfirmTitle')}</h2>
          <p class="reason">
            {t('admin.account.unlinkConfirmBody', {
              issuer: props.unlink.issuer,
              subject: props.unlink.subject,
              user: a.username,
            })}
          </p>
          <form method="post" action={accountPath(a.username, 'identity-links/remove')}>
            <Csrf user={props.user} />
            <input type="hidden" name="issuer" value={props.unlink.issuer} />
            <input type="hidden" name="subject" value={props.unlink.subject} />
            <input type="hidden" name="confirm" value="yes" />
            <div class="actions">
              <button type="submit" class="danger">
                {t('admin.account.unlinkConfirm')}
              </button>
              <a class="button secondary" href={accountPath(a.username)}>
                {t('admin.account.unlinkCancel')}
              </a>
            </div>
          </form>
        </section>
      )}
      <section class="card" aria-labelledby="links-h">
        <h2 id="links-h">{t('admin.account.links')}</h2>
        <p>{t('admin.account.linksIntro')}</p>
        {a.links.length === 0 ? (
          <p class="muted">{t('admin.account.noLinks')}</p>
        ) : (
          <section class="table-wrap" tabindex={0} aria-label={t('admin.account.linksCaption', { user: a.username })}>
            <table class="stack">
              <caption>{t('admin.account.linksCaption', { user: a.username })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.account.subject')}</th>
                  <th scope="col">{t('admin.account.issuer')}</th>
                  <th scope="col">{t('admin.account.linkedAt')}</th>
                  <th scope="col">{t('admin.account.linkedBy')}</th>
                  <th scope="col">{t('admin.accounts.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {a.links.map((l) => (
                  <tr key={`${l.issuer} ${l.subject}`}>
                    <th scope="row">
                      <code class="kid">{l.subject}</code>
                    </th>
                    <td data-label={t('admin.account.issuer')}>
                      <code class="kid">{l.issuer}</code>
                    </td>
                    <td data-label={t('admin.account.linkedAt')}>{chinaDateTime(l.linkedAt)}</td>
                    <td data-label={t('admin.account.linkedBy')}>{l.linkedBy}</td>
                    <td class="row-actions" data-label={t('admin.accounts.actions')}>
                      <form method="post" action={accountPath(a.username, 'identity-links/remove')}>
                        <Csrf user={props.user} />
                        <input type="hidden" name="issuer" value={l.issuer} />
                        <input type="hidden" name="subject" value={l.subject} />
                        <button
                          type="submit"
                          class="secondary small"
                          aria-label={t('admin.account.unlinkLabel', { subject: l.subject })}
                        >
                          {t('admin.account.unlink')}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </section>
      <section class="card narrow" aria-labelledby="link-h">
        <h2 id="link-h">{t('admin.account.linkTitle')}</h2>
        <form method="post" action={accountPath(a.username, 'identity-links')}>
          <Csrf user={props.user} />
          <Alert text={linkForm.alert} />
          <Field
            name="issuer"
            label={t('admin.account.issuer')}
            value={linkForm.values.issuer}
            errors={linkForm.errors.get('issuer')}
            inputmode="latin"
            autocomplete="off"
          />
          <Field
            name="subject"
            label={t('admin.account.subject')}
            value={linkForm.values.subject}
            errors={linkForm.errors.get('subject')}
            inputmode="latin"
            autocomplete="off"
          />
          <button type="submit">{t('admin.account.link')}</button>
        </form>
      </section>
      {a.role === 'police' && (
        <section class="card narrow" aria-labelledby="unit-h">
          <h2 id="unit-h">{t('admin.account.unit')}</h2>
          <p>{t('admin.account.unitIntro')}</p>
          <p class={a.policeUnit === null ? 'reason' : 'muted'}>
            {a.policeUnit === null
              ? t('admin.account.unitNone')
              : t('admin.account.unitCurrent', { unit: a.policeUnit })}
          </p>
          <form method="post" action={accountPath(a.username, 'police-unit')}>
            <Csrf user={props.user} />
            <Alert text={unitForm.alert} />
            <Field
              name="policeUnit"
              label={t('admin.account.unitField')}
              value={unitForm.values.policeUnit}
              errors={unitForm.errors.get('policeUnit')}
            />
            <button type="submit">{t('admin.account.unitSubmit')}</button>
          </form>
        </section>
      )}
    </ConsoleLayout>
  );
}
