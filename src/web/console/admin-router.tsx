import type { Request, Response } from 'express';
import {
  clearLocks,
  createAccount,
  disableAccount,
  enableAccount,
  listAccounts,
  resetPassword,
} from '../../domain/accounts/account-administration.ts';
import { identityLinksOf } from '../../domain/accounts/identity.ts';
import { parseOffsetDateTime } from '../../domain/check/offset-date-time.ts';
import { DomainError, type ErrorDetail } from '../../domain/errors.ts';
import type { Admin } from '../../domain/lifecycle/ports.ts';
import { readCertificate } from '../../domain/lifecycle/reads.ts';
import { revokeCertificate } from '../../domain/lifecycle/revoke.ts';
import { receiveNumberRange, stockUse } from '../../domain/number-stock-administration.ts';
import { revokeKey, rotateInstitutionKey } from '../../domain/trust/key-administration.ts';
import { keyRevocationConsequences } from '../../domain/trust/key-revocation-preview.ts';
import { roleName } from '../console-layout.tsx';
import { consoleT as t } from '../console-messages.ts';
import { errorsByField } from '../field-errors.ts';
import { formValues } from '../forms.ts';
import { adminAccountRoutes } from './admin-account-router.tsx';
import {
  AccountsPage,
  CertificateRevokePage,
  type CertificateRevokeView,
  chinaSeconds,
  type FormState,
  KeyRevokePage,
  KeysPage,
  StockPage,
} from './admin-pages.tsx';
import type { FormValues } from './components.tsx';
import { fieldsAlert } from './page-errors.ts';
import { type ConsoleRoutes, locals, notFound, param, refusalOf, send, summaryOf } from './routes.tsx';

/** "440000001" → 440000001; anything else is passed as typed, for the schema to name. */
const numberOf = (text: string | undefined) => (text !== undefined && /^[0-9]{1,9}$/.test(text) ? Number(text) : text);

/** Whole seconds, as signing times are: the preview and the revocation judge the same instant. */
const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A datetime-local box (China time), or the ISO instant the confirmation carries; empty means now. */
function revocationTimeOf(text: string | undefined, now: Date): { iso: string } | { error: ErrorDetail } {
  if (!text) return { iso: isoSeconds(new Date(Math.floor(now.getTime() / 1000) * 1000)) };
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text);
  const parsed = parseOffsetDateTime(local ? `${text}+08:00` : text);
  if (!parsed) return { error: { path: 'revokedAt', message: 'revokedAt must be a real date and time' } };
  return { iso: isoSeconds(new Date(parsed.instantMs)) };
}

const invalid = (details: ErrorDetail[]) => new DomainError('INVALID_REQUEST', 'The request is invalid', details);

/** A refusal as the form shows it, with the codes only these pages meet placed beside their fields. */
function formRefusal(error: unknown, values: FormValues): { status: number; form: FormState } {
  if (error instanceof DomainError && (error.code === 'NUMBER_RANGE_OVERLAP' || error.code === 'WEAK_PASSWORD')) {
    return { status: error.code === 'WEAK_PASSWORD' ? 400 : 409, form: formOf(values, error.details) };
  }
  const refusal = refusalOf(error);
  return { status: refusal.status, form: { values, errors: refusal.errors, alert: refusal.alert } };
}
const formOf = (values: FormValues, details: ErrorDetail[]): FormState => {
  const errors = errorsByField(details, 'zh-CN');
  return { values, errors, alert: fieldsAlert(errors) };
};

/** The administrator's pages: number stock, accounts, signing keys, revoking a certificate. */
export function adminRoutes(routes: ConsoleRoutes) {
  const { router, deps, post, now } = routes;
  const { admin: ports, online, validate } = deps;
  const admin = (res: Response) => locals(res).principal as Admin;
  const user = (res: Response) => locals(res).user;

  // ---- institutions and number stock
  const stockPage = (res: Response, status: number, extra: { form?: FormState; notice?: string } = {}) => {
    const stock = stockUse({ institutions: ports.keys.institutions, usage: ports.usage }).map((s) => ({
      ...s,
      ranges: ports.keys.institutions.numberRanges(s.institution.creditCode),
    }));
    send(res, status, <StockPage user={user(res)} stock={stock} {...extra} />);
  };
  router.get('/console/admin', (_req, res) => stockPage(res, 200));
  router.post('/console/admin/number-ranges', ...post, (req, res) => {
    const values = formValues(req.body);
    try {
      const institution = values.institution ?? '';
      if (!ports.keys.institutions.find(institution)) {
        throw invalid([{ path: 'institution', message: 'no such institution' }]);
      }
      const range = validate('number-range', {
        prefix: values.prefix ?? '',
        firstNo: numberOf(values.firstNo),
        lastNo: numberOf(values.lastNo),
      });
      const created = receiveNumberRange(ports.stock, admin(res), institution, range);
      stockPage(res, 201, {
        notice: t('admin.stock.received.notice', {
          name: ports.keys.institutions.find(institution)!.name,
          first: `${created.prefix}${String(created.firstNo).padStart(9, '0')}`,
          last: `${created.prefix}${String(created.lastNo).padStart(9, '0')}`,
          n: created.lastNo - created.firstNo + 1,
        }),
      });
    } catch (error) {
      const refused = formRefusal(error, values);
      stockPage(res, refused.status, { form: refused.form });
    }
  });

  // ---- accounts
  const institutionNames = () => ports.keys.institutions.list().map(({ creditCode, name }) => ({ creditCode, name }));
  const accountsPage = (
    res: Response,
    status: number,
    extra: { form?: FormState; notice?: string; password?: { username: string; password: string } } = {},
  ) =>
    send(
      res,
      status,
      <AccountsPage
        user={user(res)}
        accounts={listAccounts(ports.accounts)}
        subjectsOf={(username) => identityLinksOf(deps.identityLinks, username).map((l) => l.subject)}
        institutions={institutionNames()}
        now={now()}
        {...extra}
      />,
    );
  router.get('/console/admin/accounts', (_req, res) => accountsPage(res, 200));
  router.post('/console/admin/accounts', ...post, async (req, res) => {
    const values = formValues(req.body);
    try {
      const password = deps.newPassword();
      const created = await createAccount(
        { ...ports.accounts, institutions: ports.keys.institutions },
        admin(res),
        {
          username: values.username ?? '',
          role: values.role ?? '',
          institution: values.institution ? values.institution : null,
          displayName: values.displayName ? values.displayName : null,
        },
        password,
      );
      accountsPage(res, 201, {
        notice: t('admin.accounts.created', { user: created.username, role: roleName(created.role) }),
        password: { username: created.username, password },
      });
    } catch (error) {
      const refused = formRefusal(error, values);
      accountsPage(res, refused.status, { form: refused.form });
    }
  });
  /** An act on one account, then the list with what happened (or the 404 page for an unknown name). */
  const onAccount = (
    what: string,
    act: (username: string, res: Response) => Promise<{ notice: string; password?: string }>,
  ) =>
    router.post(`/console/admin/accounts/:username/${what}`, ...post, async (req: Request, res: Response) => {
      const username = param(req, 'username');
      try {
        const done = await act(username, res);
        accountsPage(res, 200, {
          notice: done.notice,
          ...(done.password !== undefined && { password: { username, password: done.password } }),
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'NOT_FOUND') return notFound(res);
        const refusal = refusalOf(error);
        accountsPage(res, refusal.status, { form: { values: {}, errors: new Map(), alert: refusal.alert } });
      }
    });
  onAccount('disable', async (username, res) => {
    disableAccount(ports.accounts, admin(res), username);
    return { notice: t('admin.accounts.disabledDone', { user: username }) };
  });
  onAccount('enable', async (username, res) => {
    enableAccount(ports.accounts, admin(res), username);
    return { notice: t('admin.accounts.enabledDone', { user: username }) };
  });
  onAccount('unlock', async (username, res) => {
    clearLocks(ports.accounts, admin(res), username);
    return { notice: t('admin.accounts.unlockedDone', { user: username }) };
  });
  onAccount('password', async (username, res) => {
    const password = deps.newPassword();
    await resetPassword(ports.accounts, admin(res), username, password);
    return { notice: t('admin.accounts.resetDone', { user: username }), password };
  });
  // One account's page: identity-provider links and a police account's unit.
  adminAccountRoutes(routes);

  // ---- signing keys
  const keysPage = (res: Response, status: number, notice?: string, alert?: string) => {
    const keys = ports.keys.register.list('licence');
    const institutions = ports.keys.institutions.list().map((i) => ({
      creditCode: i.creditCode,
      name: i.name,
      keys: keys
        .filter((k) => k.institutionCreditCode === i.creditCode)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    }));
    send(res, status, <KeysPage user={user(res)} institutions={institutions} notice={notice} alert={alert} />);
  };
  router.get('/console/admin/keys', (_req, res) => keysPage(res, 200));
  router.post('/console/admin/institutions/:creditCode/signing-keys', ...post, async (req, res) => {
    const target = ports.keys.institutions.find(param(req, 'creditCode'));
    if (!target) return notFound(res);
    try {
      const key = await rotateInstitutionKey(ports.keys, admin(res), target.creditCode);
      keysPage(res, 201, t('admin.keys.rotated', { name: target.name, kid: key.kid }));
    } catch (error) {
      // The root's private key offline or unreadable here: said on the page, not a fault page.
      if (!(error instanceof DomainError)) throw error;
      keysPage(res, 503, undefined, t('admin.keys.rotateFailed', { code: error.code }));
    }
  });
  const licenceKey = (kid: string) => {
    const key = ports.keys.register.get(kid);
    return key && key.purpose === 'licence' ? key : null;
  };
  router.get('/console/admin/keys/:kid/revoke', (req, res) => {
    const key = licenceKey(param(req, 'kid'));
    if (!key) return notFound(res);
    send(res, 200, <KeyRevokePage user={user(res)} key_={key} />);
  });
  router.post('/console/admin/keys/:kid/revoke', ...post, (req, res) => {
    const key = licenceKey(param(req, 'kid'));
    if (!key) return notFound(res);
    const values = formValues(req.body);
    const page = (
      status: number,
      extra: { form?: FormState; consequences?: { revokedAt: string; failing: string[] } },
    ) => send(res, status, <KeyRevokePage user={user(res)} key_={key} {...extra} />);
    try {
      const at = revocationTimeOf(values.revokedAt, now());
      const details: ErrorDetail[] = 'error' in at ? [at.error] : [];
      try {
        validate('key-revocation', { reason: values.reason ?? '' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        details.push(...error.details);
      }
      if (details.length > 0 || 'error' in at) throw invalid(details);
      const revokedAt = new Date(at.iso);
      if (values.confirm !== 'yes') {
        const consequences = keyRevocationConsequences(
          { register: ports.keys.register, certificates: online.register },
          key.kid,
          revokedAt,
          now(),
        );
        return page(200, {
          form: { values, errors: new Map() },
          consequences: { revokedAt: at.iso, failing: consequences.failing },
        });
      }
      const revoked = revokeKey(ports.keys, admin(res), {
        kid: key.kid,
        revokedAt,
        reason: values.reason ?? '',
        institutionKeysOnly: true,
      });
      keysPage(res, 200, t('admin.keys.revoked', { kid: revoked.kid, at: chinaSeconds(revoked.revokedAt ?? at.iso) }));
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'INVALID_STATE' || error.code === 'KEY_ALREADY_REVOKED')) {
        return page(409, { form: { values, errors: new Map(), alert: t('refusal.INVALID_STATE') } });
      }
      const refusal = refusalOf(error);
      // The confirmation's hidden time is shown again as the box takes it.
      page(refusal.status, {
        form: { values: { ...values, revokedAt: '' }, errors: refusal.errors, alert: refusal.alert },
      });
    }
  });

  // ---- revoking a fraudulent certificate
  router.get('/console/admin/certificates', (_req, res) => send(res, 200, <CertificateRevokePage user={user(res)} />));
  router.post('/console/admin/certificates/revoke', ...post, (req, res) => {
    const values = formValues(req.body);
    const no = (values.certificateNo ?? '').toUpperCase();
    const page = (status: number, extra: Omit<CertificateRevokeView, 'user'>) =>
      send(res, status, <CertificateRevokePage user={user(res)} {...extra} />);
    try {
      const details: ErrorDetail[] = [];
      if (!/^[A-Z][0-9]{9}$/.test(no)) {
        details.push({ path: 'certificateNo', message: 'must be an upper-case letter followed by 9 digits' });
      }
      try {
        validate('certificate-revocation', { reason: values.reason ?? '' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        details.push(...error.details);
      }
      if (details.length > 0) throw invalid(details);
      const actor = admin(res);
      if (values.confirm !== 'yes') {
        const view = readCertificate(online, actor, no, t('admin.purpose.revoke'));
        if (view.status !== 'valid') {
          throw new DomainError('INVALID_STATE', `Certificate ${no} is ${view.status}`, [
            { path: 'certificateNo', message: `status is ${view.status}` },
          ]);
        }
        return page(200, { form: { values, errors: new Map() }, confirm: summaryOf(view) });
      }
      revokeCertificate(online, actor, no, values.reason ?? '');
      page(200, { done: summaryOf(readCertificate(online, actor, no, t('admin.purpose.revoke'))) });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') {
        return page(404, {
          form: {
            values,
            errors: errorsByField([{ path: 'certificateNo', message: 'no such certificate' }], 'zh-CN'),
            alert: t('refusal.NOT_FOUND'),
          },
        });
      }
      if (error instanceof DomainError && error.code === 'INVALID_STATE') {
        return page(409, { form: { values, errors: new Map(), alert: t('admin.certificates.notValid') } });
      }
      const refusal = refusalOf(error);
      page(refusal.status, { form: { values, errors: refusal.errors, alert: refusal.alert } });
    }
  });
}
