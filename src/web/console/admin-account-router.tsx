import type { Response } from 'express';
import { setPoliceUnit } from '../../domain/accounts/account-administration.ts';
import { identityLinksOf, linkIdentity, unlinkIdentity } from '../../domain/accounts/identity.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Admin } from '../../domain/lifecycle/ports.ts';
import { consoleT as t } from '../console-messages.ts';
import { formValues } from '../forms.ts';
import { AccountPage, type AccountView } from './admin-account-pages.tsx';
import type { FormState } from './admin-pages.tsx';
import type { FormValues } from './components.tsx';
import { type ConsoleRoutes, locals, notFound, param, refusalOf, send } from './routes.tsx';

/**
 * One account's page for the administrator: linking it to subjects of the health commission's
 * identity provider (and ending a link, after a confirmation), and a police account's unit. The
 * same use cases as `…/identity-links` and `PUT …/police-unit` of the API, so each act is audited
 * there.
 */
export function adminAccountRoutes({ router, deps, post }: ConsoleRoutes) {
  const links = deps.identityLinks;
  const accounts = deps.admin.accounts;
  const admin = (res: Response) => locals(res).principal as Admin;

  const viewOf = (username: string): AccountView | null => {
    const account = accounts.accounts.findByUsername(username);
    if (!account) return null;
    return {
      username: account.username,
      role: account.role,
      displayName: account.displayName,
      policeUnit: account.policeUnit,
      links: identityLinksOf(links, account.username),
    };
  };
  const page = (
    res: Response,
    username: string,
    status: number,
    extra: {
      linkForm?: FormState;
      unitForm?: FormState;
      unlink?: { issuer: string; subject: string };
      notice?: string;
    } = {},
  ) => {
    const account = viewOf(username);
    if (!account) return notFound(res);
    send(
      res,
      status,
      <AccountPage user={locals(res).user} account={account} defaultIssuer={deps.staffIssuer} {...extra} />,
    );
  };
  /** A refusal shown in the form it came from; an unknown account is the 404 page. */
  const refused = (res: Response, username: string, error: unknown, values: FormValues, form: 'link' | 'unit') => {
    if (error instanceof DomainError && error.code === 'NOT_FOUND' && error.details[0]?.path === 'username') {
      return notFound(res);
    }
    // A subject linked already (INVALID_STATE) or a link that is not there (NOT_FOUND): beside the subject.
    const beside = error instanceof DomainError && (error.code === 'INVALID_STATE' || error.code === 'NOT_FOUND');
    const refusal = refusalOf(beside ? new DomainError('INVALID_REQUEST', error.message, error.details) : error);
    if (beside) refusal.status = error.code === 'INVALID_STATE' ? 409 : 404;
    // Only a police account's page has the unit's box: elsewhere the reason is the alert itself.
    const boxless = form === 'unit' && viewOf(username)?.role !== 'police';
    const alert = boxless ? (refusal.errors.get('policeUnit') ?? [refusal.alert]).join(' ') : refusal.alert;
    const state: FormState = { values, errors: refusal.errors, alert };
    page(res, username, refusal.status, form === 'link' ? { linkForm: state } : { unitForm: state });
  };
  const linkBody = (values: FormValues) =>
    deps.validate('identity-link', { issuer: (values.issuer ?? '').trim(), subject: (values.subject ?? '').trim() });

  router.get('/console/admin/accounts/:username', (req, res) => page(res, param(req, 'username'), 200));

  router.post('/console/admin/accounts/:username/identity-links', ...post, (req, res) => {
    const username = param(req, 'username');
    const values = formValues(req.body);
    try {
      const made = linkIdentity(links, admin(res), username, linkBody(values));
      page(res, username, 201, { notice: t('admin.account.linked', { subject: made.subject, user: made.username }) });
    } catch (error) {
      refused(res, username, error, values, 'link');
    }
  });

  router.post('/console/admin/accounts/:username/identity-links/remove', ...post, (req, res) => {
    const username = param(req, 'username');
    const values = formValues(req.body);
    try {
      const link = linkBody(values);
      if (values.confirm !== 'yes') {
        // Asked first: the page shows what ends, with the link still listed.
        if (!viewOf(username)) return notFound(res);
        return page(res, username, 200, { unlink: link });
      }
      unlinkIdentity(links, admin(res), username, link);
      page(res, username, 200, { notice: t('admin.account.unlinked', { subject: link.subject, user: username }) });
    } catch (error) {
      refused(res, username, error, values, 'link');
    }
  });

  router.post('/console/admin/accounts/:username/police-unit', ...post, (req, res) => {
    const username = param(req, 'username');
    const values = formValues(req.body);
    try {
      const set = setPoliceUnit(accounts, admin(res), username, (values.policeUnit ?? '').trim());
      page(res, username, 200, { notice: t('admin.account.unitSet', { user: set.username, unit: set.policeUnit }) });
    } catch (error) {
      refused(res, username, error, values, 'unit');
    }
  });
}
