import express, { type Request, type Response } from 'express';
import type { AccountRepository, Role, TokenStore } from '../domain/accounts/account.ts';
import {
  beginSignIn,
  type FlowPurpose,
  finishSignIn,
  type IdentityPorts,
  IdentityProviderError,
  type RefusalReason,
  SignInRefused,
  staffSignInByIdentity,
} from '../domain/accounts/identity.ts';
import { claimByIdentity, signInToApplication } from '../domain/lifecycle/citizen-identity.ts';
import type { OnlinePorts } from '../domain/lifecycle/online-applications.ts';
import type { ConsoleSessions } from './console-session.ts';
import { crossOrigin } from './console-session.ts';
import { renderPage } from './layout.tsx';
import { readCookie } from './locale.ts';
import { consoleOidc, oidcT } from './oidc-messages.ts';
import { CitizenRefusalPage, ConsoleRefusalPage, ContinuePage } from './oidc-pages.tsx';
import { context, type OidcSide, send } from './pages/routes.tsx';

export type { OidcSide };

export interface OidcDeps {
  publicBaseUrl: string;
  identity: IdentityPorts;
  /** The government platform (parents); null when not configured. */
  citizen: OidcSide | null;
  /** The health commission's provider (staff); null when not configured. */
  staff: OidcSide | null;
  online: OnlinePorts;
  tokens: TokenStore;
  accounts: AccountRepository;
  sessions: ConsoleSessions;
  homeOf: Record<Role, string>;
}

export const CALLBACK_PATH = '/oidc/callback';
const FLOW_COOKIE = 'oidc_flow';
export const APPLY_COOKIE = 'apply_session';
export const APPLY_GRANT_COOKIE = 'apply_grant';
const MY_COOKIE = 'my_session';

const statusOf: Record<RefusalReason, number> = {
  state: 400,
  expired: 400,
  provider: 400,
  unavailable: 503,
  acr: 403,
  'id-number': 403,
  unlinked: 403,
  disabled: 403,
  'not-found': 404,
};

const cookie = (req: Request, name: string, value: string, path: string, seconds: number, sameSite: string) =>
  `${name}=${value}; Path=${path}; Max-Age=${seconds}; HttpOnly; SameSite=${sameSite}${req.secure ? '; Secure' : ''}`;

/**
 * Sends the browser to the provider. The state goes with it and into a cookie of this browser
 * (SameSite=Lax, so the provider's redirect back carries it): a callback is taken only from the
 * browser that started it.
 */
export async function redirectToProvider(
  req: Request,
  res: Response,
  identity: IdentityPorts,
  side: OidcSide,
  purpose: FlowPurpose,
  target: string | null,
): Promise<boolean> {
  try {
    const { url, state } = await beginSignIn(identity, side.provider, purpose, target);
    res.append('Set-Cookie', cookie(req, FLOW_COOKIE, `${purpose}.${state}`, '/oidc', 600, 'Lax'));
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, url);
    return true;
  } catch (error) {
    if (error instanceof IdentityProviderError) return false;
    throw error;
  }
}

/** The refusal as a page: the parents' pages or the console's, by what the sign-in was for. */
function refusalPage(req: Request, res: Response, purpose: FlowPurpose | null, reason: RefusalReason) {
  if (purpose === 'console') {
    return send(res, statusOf[reason], renderPage(<ConsoleRefusalPage reason={reason} />));
  }
  send(
    res,
    statusOf[reason],
    renderPage(<CitizenRefusalPage ctx={context(req, res)} reason={reason} purpose={purpose} />),
  );
}

/** Sign-in unavailable before the provider was reached (discovery failed). */
export function providerUnavailable(req: Request, res: Response, purpose: FlowPurpose) {
  refusalPage(req, res, purpose, 'unavailable');
}

/** The console's start and the one callback of every sign-in through a provider. */
export function createOidcRouter(deps: OidcDeps): express.Router {
  const router = express.Router();

  if (deps.staff) {
    const staff = deps.staff;
    // The console's sign-in page may send its form on to the provider (CSP form-action).
    const target = new URL(staff.provider.issuer).origin;
    router.use('/console/sign-in', (_req, res, next) => {
      res.locals.formTarget = target;
      next();
    });
    router.post('/console/sign-in/oidc', async (req, res) => {
      if (crossOrigin(req)) return refusalPage(req, res, 'console', 'state');
      if (!(await redirectToProvider(req, res, deps.identity, staff, 'console', null))) {
        providerUnavailable(req, res, 'console');
      }
    });
  }

  router.get(CALLBACK_PATH, async (req, res, next) => {
    const [hint, browserState] = (readCookie(req, FLOW_COOKIE) ?? '').split('.');
    const purpose: FlowPurpose | null = hint === 'apply' || hint === 'my' || hint === 'console' ? hint : null;
    res.append('Set-Cookie', `${FLOW_COOKIE}=; Path=/oidc; Max-Age=0; HttpOnly; SameSite=Lax`);
    res.setHeader('Cache-Control', 'no-store');
    const callbackUrl = new URL(`${deps.publicBaseUrl}${CALLBACK_PATH}`);
    for (const [name, value] of Object.entries(req.query)) {
      if (typeof value === 'string') callbackUrl.searchParams.set(name, value);
    }
    let flowPurpose: FlowPurpose | null = purpose;
    try {
      const { flow, identity } = await finishSignIn(
        deps.identity,
        (p) => (p === 'console' ? deps.staff?.provider : deps.citizen?.provider) ?? null,
        callbackUrl,
        browserState,
      );
      flowPurpose = flow.purpose;
      const ctx = context(req, res);
      const o = oidcT(ctx.lang);
      const onward = (to: string) =>
        send(
          res,
          200,
          renderPage(
            <ContinuePage
              ctx={ctx}
              to={to}
              title={o('oidc.continue.title')}
              body={o('oidc.continue.body')}
              link={o('oidc.continue.link')}
            />,
          ),
        );
      if (flow.purpose === 'console') {
        const signedIn = staffSignInByIdentity(
          { ...deps.identity, accounts: deps.accounts, tokens: deps.tokens },
          identity,
          deps.staff!.requirements,
          deps.sessions.policy.lifetimeSeconds,
        );
        deps.sessions.begin(req, res, signedIn.token);
        const to = deps.homeOf[signedIn.role];
        return send(
          res,
          200,
          renderPage(
            <ContinuePage
              ctx={ctx}
              to={to}
              title={consoleOidc.continueTitle}
              body={consoleOidc.continueBody}
              link={consoleOidc.continueLink}
            />,
          ),
        );
      }
      const ports = { ...deps.online, identity: deps.identity };
      const requirements = deps.citizen!.requirements;
      if (flow.purpose === 'apply') {
        const signedIn = signInToApplication(ports, flow.target ?? '', identity, requirements);
        if (signedIn.kind === 'application') {
          res.append(
            'Set-Cookie',
            cookie(req, APPLY_COOKIE, `${signedIn.id}.${signedIn.accessToken}`, '/apply', signedIn.expiresIn, 'Strict'),
          );
          return onward('/apply/status');
        }
        res.append(
          'Set-Cookie',
          cookie(req, APPLY_GRANT_COOKIE, signedIn.grant, '/apply', signedIn.expiresIn, 'Strict'),
        );
        return onward('/apply');
      }
      const claimed = claimByIdentity(ports, deps.tokens, flow.target ?? '', identity, requirements);
      res.append('Set-Cookie', cookie(req, MY_COOKIE, claimed.accessToken, '/my', claimed.expiresIn, 'Strict'));
      return onward('/my');
    } catch (error) {
      if (error instanceof SignInRefused) return refusalPage(req, res, flowPurpose, error.reason);
      next(error);
    }
  });

  return router;
}
