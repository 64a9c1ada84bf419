import type { TokenStore } from '../accounts/account.ts';
import {
  type IdentityPorts,
  type IdentityRequirements,
  refuse,
  requireAcr,
  type VerifiedIdentity,
} from '../accounts/identity.ts';
import { eventBy } from '../audit/audit-event.ts';
import type { CitizenApplicationItems } from '../rules/bodies.ts';
import { citizenTokenTtlSeconds, maxClaimFailures } from './claims.ts';
import {
  type ApplicationValidator,
  applicationTokenTtlSeconds,
  applyForDelivery,
  codeHash,
  type OnlinePorts,
} from './online-applications.ts';
import type { LifecyclePorts } from './ports.ts';

/*
 * Parents signed in through the government platform (实人认证). The application code or the
 * certificate number still says which birth; the platform's verified ID number takes the place of
 * the typed one (and of the claim code): it must be the mother's, or the applicant's on an
 * application already made. The session is the one the code path gives, scoped to that one
 * application or certificate.
 */

const citizen = { username: null, role: 'citizen', institution: null } as const;

/** A grant to fill in the application lasts as long as an application token. */
export const applyGrantTtlSeconds = applicationTokenTtlSeconds;

/** What the flow keeps for an application sign-in: the code's hash, never the code. */
export const applyTarget = (ports: Pick<LifecyclePorts, 'secrets'>, applicationCode: string) =>
  codeHash(ports, applicationCode.replaceAll('-', '').toUpperCase());

export type ApplySignIn =
  | { kind: 'application'; id: string; accessToken: string; expiresIn: number }
  | { kind: 'grant'; grant: string; expiresIn: number };

/**
 * The platform vouched for the person: with an application already made they reach it; without one
 * they get a grant to fill it in for that delivery.
 */
export function signInToApplication(
  ports: OnlinePorts & { identity: IdentityPorts },
  target: string,
  identity: VerifiedIdentity,
  requirements: IdentityRequirements,
): ApplySignIn {
  requireAcr(ports.identity, 'apply', identity, requirements);
  const entry = ports.online.findCode(target);
  if (!entry || entry.failures >= maxClaimFailures) {
    throw refuse(ports.identity, 'apply', 'not-found', 'The application code is wrong');
  }
  const existing = ports.online.byDelivery(entry.deliveryId);
  const applicant = existing ? ports.applications.findApplication(existing.applicationId)?.input.applicant : undefined;
  const matches =
    identity.idNumber !== null &&
    (identity.idNumber === entry.motherIdNumber ||
      (applicant !== undefined && identity.idNumber === applicant.idNumber));
  if (!matches) {
    // As on the code + ID number path: a wrong person with the right code counts towards the
    // code's lock, so a code cannot be tried against identity after identity without end.
    ports.online.recordFailure(entry.motherIdNumber);
    throw refuse(
      ports.identity,
      'apply',
      'id-number',
      "The verified ID number is not the mother's or the applicant's",
      existing?.applicationId ?? null,
    );
  }
  ports.online.resetFailures(entry.deliveryId);
  const now = ports.clock.now();
  const audited = (target: string | null) =>
    ports.audit.record(
      eventBy(citizen, 'oidc.sign-in', target, { purpose: 'apply', issuer: identity.issuer, acr: identity.acr }),
      now,
    );
  if (existing) {
    const token = ports.online.issueToken(existing.applicationId, applicationTokenTtlSeconds, now);
    audited(existing.applicationId);
    return {
      kind: 'application',
      id: existing.applicationId,
      accessToken: token.token,
      expiresIn: token.expiresInSeconds,
    };
  }
  const grant = ports.identity.store.grantApplication(entry.deliveryId, now, applyGrantTtlSeconds);
  audited(null);
  return { kind: 'grant', grant: grant.token, expiresIn: grant.expiresInSeconds };
}

/** The delivery a live grant opens, or null (expired, used, unknown). */
export const deliveryOfGrant = (ports: OnlinePorts & { identity: IdentityPorts }, grant: string) =>
  ports.identity.store.resolveGrant(grant, ports.clock.now());

/** Applies under a grant; the grant is used up once the application is in. */
export function applyWithGrant(
  ports: OnlinePorts & { identity: IdentityPorts },
  validate: ApplicationValidator,
  grant: string,
  items: CitizenApplicationItems,
) {
  const deliveryId = deliveryOfGrant(ports, grant);
  const delivery = deliveryId === null ? null : ports.applications.findDelivery(deliveryId);
  if (!delivery) throw refuse(ports.identity, 'apply', 'expired', 'The sign-in is over; sign in again');
  const applied = applyForDelivery(ports, validate, delivery, items);
  ports.identity.store.revokeGrant(grant);
  return applied;
}

/**
 * The parents open their certificate: the number says which, the platform's ID number must be the
 * mother's on it. Gives the claim path's token.
 */
export function claimByIdentity(
  ports: Pick<LifecyclePorts, 'register' | 'audit' | 'clock'> & { identity: IdentityPorts },
  tokens: Pick<TokenStore, 'issue'>,
  certificateNo: string,
  identity: VerifiedIdentity,
  requirements: IdentityRequirements,
) {
  requireAcr(ports.identity, 'my', identity, requirements);
  const record = ports.register.find(certificateNo);
  if (!record) throw refuse(ports.identity, 'my', 'not-found', 'No such certificate');
  if (identity.idNumber === null || record.certificate.mother.idNumber !== identity.idNumber) {
    throw refuse(ports.identity, 'my', 'id-number', "The verified ID number is not the mother's", certificateNo);
  }
  const now = ports.clock.now();
  const issued = tokens.issue(
    { role: 'citizen', accountId: null, username: null, institution: null, certificateNo },
    citizenTokenTtlSeconds,
    now,
  );
  ports.audit.record(
    eventBy(citizen, 'oidc.sign-in', certificateNo, { purpose: 'my', issuer: identity.issuer, acr: identity.acr }),
    now,
  );
  return { accessToken: issued.token, expiresIn: issued.expiresInSeconds };
}
