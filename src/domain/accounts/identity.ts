import { type Acting, type AuditLog, eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import { type AccountRepository, type IssuedToken, type Role, staffPrincipalOf, type TokenStore } from './account.ts';

/*
 * Sign-in through an OpenID Connect provider: the government platform's real-person
 * authentication (实人认证) for parents, the health commission's identity provider for staff. The
 * service is a relying party (authorization code flow, PKCE, state and nonce); the protocol is the
 * adapter's, what a verified identity may open is decided here.
 */

export type FlowPurpose = 'apply' | 'my' | 'console';

/** What a provider vouched for, after the ID token's signature, issuer, audience and nonce held. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** The authentication context class the provider says it used, or null when it said none. */
  acr: string | null;
  /** The configured ID-number claim (citizens), or null when absent. */
  idNumber: string | null;
  /** The configured name claim, or null when absent. */
  name: string | null;
}

/** The secrets of one authorization request: the browser carries `state`, the rest stays here. */
export interface FlowSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Why a provider's answer was not taken (the adapter's judgement of the protocol). */
export type ProviderFailure = 'denied' | 'invalid-response' | 'unavailable';

export class IdentityProviderError extends Error {
  override readonly name = 'IdentityProviderError';
  constructor(
    readonly failure: ProviderFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface IdentityProvider {
  /** The provider's issuer identifier as configured. */
  readonly issuer: string;
  /** Fresh state, nonce and PKCE verifier, and the provider's authorization URL for them. */
  begin(): Promise<{ url: string; secrets: FlowSecrets }>;
  /**
   * Redeems the code of the callback URL (state, PKCE, nonce checked) and returns the identity.
   * Throws IdentityProviderError on any failure of the provider or of its answer.
   */
  finish(callbackUrl: URL, secrets: FlowSecrets): Promise<VerifiedIdentity>;
}

export interface StoredFlow {
  purpose: FlowPurpose;
  target: string | null;
  nonce: string;
  codeVerifier: string;
}

export type TakenFlow = { ok: true; flow: StoredFlow } | { ok: false; cause: 'unknown' | 'used' | 'expired' };

export interface IdentityLink {
  issuer: string;
  subject: string;
  username: string;
  linkedAt: string;
  linkedBy: string;
}

export interface IdentityStore {
  saveFlow(state: string, flow: StoredFlow, now: Date, ttlSeconds: number): void;
  /** Marks the flow used in the same step that reads it: a state is taken once. */
  takeFlow(state: string, now: Date): TakenFlow;
  grantApplication(deliveryId: string, now: Date, ttlSeconds: number): IssuedToken;
  /** The delivery a live grant opens, or null. */
  resolveGrant(grant: string, now: Date): string | null;
  revokeGrant(grant: string): void;
  /** The account linked to (issuer, subject), or null. */
  linkedAccount(issuer: string, subject: string): number | null;
  link(issuer: string, subject: string, accountId: number, by: string, now: Date): IdentityLink | null;
  unlink(issuer: string, subject: string, accountId: number): boolean;
  linksOf(accountId: number): IdentityLink[];
}

/** How long a sign-in may take at the provider, from the button to the callback. */
export const flowTtlSeconds = 10 * 60;

export interface IdentityRequirements {
  /** `acr` values accepted; empty accepts any (or none). */
  acceptedAcr: readonly string[];
}

export interface IdentityPorts {
  store: IdentityStore;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
}

/** The reasons a sign-in is refused; each has its own page text. */
export type RefusalReason =
  | 'state'
  | 'expired'
  | 'provider'
  | 'unavailable'
  | 'acr'
  | 'id-number'
  | 'unlinked'
  | 'disabled'
  | 'not-found';

export class SignInRefused extends DomainError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(reason === 'unavailable' ? 'SERVICE_UNAVAILABLE' : 'INVALID_CLAIM', message);
  }
}

const anonymous = (purpose: FlowPurpose | null): Acting =>
  purpose === 'apply' || purpose === 'my'
    ? { username: null, role: 'citizen', institution: null }
    : { username: null, role: null, institution: null };

/** Records a refused sign-in (no ID number, no token, no subject) and returns the error to throw. */
export function refuse(
  ports: IdentityPorts,
  purpose: FlowPurpose | null,
  reason: RefusalReason,
  message: string,
  target: string | null = null,
) {
  ports.audit.record(
    eventBy(anonymous(purpose), 'oidc.sign-in-refused', target, { purpose, reason }),
    ports.clock.now(),
  );
  return new SignInRefused(reason, message);
}

/** Starts a sign-in: the flow's secrets are kept (the state hashed), the browser goes to the URL. */
export async function beginSignIn(
  ports: IdentityPorts,
  provider: IdentityProvider,
  purpose: FlowPurpose,
  target: string | null,
): Promise<{ url: string; state: string }> {
  const { url, secrets } = await provider.begin();
  ports.store.saveFlow(
    secrets.state,
    { purpose, target, nonce: secrets.nonce, codeVerifier: secrets.codeVerifier },
    ports.clock.now(),
    flowTtlSeconds,
  );
  return { url, state: secrets.state };
}

/**
 * The callback: the state must be the one this browser started with (its cookie), known, unused
 * and unexpired; then the provider's answer is redeemed and checked. Returns the flow (what the
 * sign-in was for) and the verified identity.
 */
export async function finishSignIn(
  ports: IdentityPorts,
  providerOf: (purpose: FlowPurpose) => IdentityProvider | null,
  callbackUrl: URL,
  browserState: string | undefined,
): Promise<{ flow: StoredFlow; identity: VerifiedIdentity }> {
  const state = callbackUrl.searchParams.get('state') ?? '';
  if (state === '' || browserState === undefined || browserState !== state) {
    throw refuse(ports, null, 'state', 'The sign-in was not started in this browser, or was already used');
  }
  const taken = ports.store.takeFlow(state, ports.clock.now());
  if (!taken.ok) {
    throw refuse(
      ports,
      null,
      taken.cause === 'expired' ? 'expired' : 'state',
      taken.cause === 'expired' ? 'The sign-in took too long' : 'The sign-in was already used or is unknown',
    );
  }
  const { flow } = taken;
  const provider = providerOf(flow.purpose);
  if (!provider) throw refuse(ports, flow.purpose, 'unavailable', 'Sign-in through the provider is not configured');
  try {
    const identity = await provider.finish(callbackUrl, { state, nonce: flow.nonce, codeVerifier: flow.codeVerifier });
    return { flow, identity };
  } catch (error) {
    if (!(error instanceof IdentityProviderError)) throw error;
    throw refuse(
      ports,
      flow.purpose,
      error.failure === 'unavailable' ? 'unavailable' : 'provider',
      error.failure === 'unavailable'
        ? 'The identity provider could not be reached'
        : 'The identity provider did not confirm the sign-in',
    );
  }
}

/** The authentication level the deployment requires, or a refusal. */
export function requireAcr(
  ports: IdentityPorts,
  purpose: FlowPurpose,
  identity: VerifiedIdentity,
  requirements: IdentityRequirements,
): void {
  if (requirements.acceptedAcr.length === 0) return;
  if (identity.acr === null || !requirements.acceptedAcr.includes(identity.acr)) {
    throw refuse(ports, purpose, 'acr', 'The authentication level is not the one this service requires');
  }
}

export interface StaffIdentityPorts extends IdentityPorts {
  accounts: AccountRepository;
  tokens: TokenStore;
}

/**
 * A staff member the health commission's provider vouched for: the linked account, if enabled,
 * signs in with its own role and institution, exactly as after a password.
 */
export function staffSignInByIdentity(
  ports: StaffIdentityPorts,
  identity: VerifiedIdentity,
  requirements: IdentityRequirements,
  tokenTtlSeconds: number,
): IssuedToken & { role: Role; username: string } {
  requireAcr(ports, 'console', identity, requirements);
  const accountId = ports.store.linkedAccount(identity.issuer, identity.subject);
  const account = accountId === null ? null : (ports.accounts.list().find((a) => a.id === accountId) ?? null);
  if (!account) {
    throw refuse(ports, 'console', 'unlinked', 'No staff account is linked to this identity');
  }
  if (account.disabled) {
    throw refuse(ports, 'console', 'disabled', 'The linked staff account is disabled', account.username);
  }
  const now = ports.clock.now();
  const issued = ports.tokens.issue(staffPrincipalOf(account), tokenTtlSeconds, now);
  ports.audit.record(
    eventBy(
      { username: account.username, role: account.role, institution: account.institution },
      'oidc.sign-in',
      account.username,
      {
        purpose: 'console',
        issuer: identity.issuer,
        acr: identity.acr,
      },
    ),
    now,
  );
  return { ...issued, role: account.role, username: account.username };
}

export interface LinkPorts {
  accounts: AccountRepository;
  store: IdentityStore;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
}

function accountOf(ports: LinkPorts, username: string) {
  const account = ports.accounts.findByUsername(username);
  if (!account)
    throw new DomainError('NOT_FOUND', 'No such account', [{ path: 'username', message: 'no such account' }]);
  return account;
}

const byName = (actor: Acting) => actor.username ?? 'service';

/** An administrator links a staff account to an identity-provider subject; audited. */
export function linkIdentity(
  ports: LinkPorts,
  actor: Acting,
  username: string,
  link: { issuer: string; subject: string },
): IdentityLink {
  const account = accountOf(ports, username);
  const now = ports.clock.now();
  const made = ports.store.link(link.issuer, link.subject, account.id, byName(actor), now);
  if (!made) {
    throw new DomainError('INVALID_STATE', 'This identity is already linked to a staff account', [
      { path: 'subject', message: 'already linked to an account' },
    ]);
  }
  ports.audit.record(
    eventBy(actor, 'account.identity-linked', account.username, { issuer: link.issuer, subject: link.subject }),
    now,
  );
  return made;
}

/** Ends a link: that subject no longer signs in as the account; audited. */
export function unlinkIdentity(
  ports: LinkPorts,
  actor: Acting,
  username: string,
  link: { issuer: string; subject: string },
): { unlinked: true } {
  const account = accountOf(ports, username);
  if (!ports.store.unlink(link.issuer, link.subject, account.id)) {
    throw new DomainError('NOT_FOUND', 'This identity is not linked to the account', [
      { path: 'subject', message: 'not linked to this account' },
    ]);
  }
  ports.audit.record(
    eventBy(actor, 'account.identity-unlinked', account.username, { issuer: link.issuer, subject: link.subject }),
    ports.clock.now(),
  );
  return { unlinked: true };
}

export const identityLinksOf = (ports: LinkPorts, username: string): IdentityLink[] =>
  ports.store.linksOf(accountOf(ports, username).id);
