import type { TokenStore } from '../accounts/account.ts';
import { eventBy } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { CitizenClaimBody } from '../rules/bodies.ts';
import type { Issuer, LifecyclePorts } from './ports.ts';

/** Wrong claims per certificate before it stops accepting claims until the issuer hands out a new code. */
export const maxClaimFailures = 10;
export const citizenTokenTtlSeconds = 15 * 60;

const refused = () =>
  new DomainError('INVALID_CLAIM', 'The certificate number, mother ID number or claim code is wrong');

/**
 * The parents open their e-certificate with the number, the mother's ID number and the claim
 * code. Every way of being wrong gives the same answer, and a certificate locks after
 * `maxClaimFailures` wrong attempts whatever their source.
 */
export function claimCertificate(
  ports: Pick<LifecyclePorts, 'register' | 'claimCodes' | 'secrets' | 'audit' | 'clock'>,
  tokens: Pick<TokenStore, 'issue'>,
  body: CitizenClaimBody,
) {
  const now = ports.clock.now();
  const record = ports.register.find(body.certificateNo);
  const state = record ? ports.claimCodes.state(body.certificateNo) : null;
  const ok =
    record !== null &&
    state !== null &&
    state.hash !== null &&
    state.failures < maxClaimFailures &&
    record.certificate.mother.idNumber === body.motherIdNumber &&
    ports.secrets.claimCodeMatches(body.certificateNo, body.claimCode, state.hash);

  if (!ok) {
    // Only a guess that already knows the mother's ID number counts towards the lock, so a
    // stranger walking the (printed, sequential) numbers cannot lock families out.
    const motherMatches = record !== null && record.certificate.mother.idNumber === body.motherIdNumber;
    const failures = motherMatches ? ports.claimCodes.recordFailure(body.certificateNo) : null;
    ports.audit.record(
      eventBy(
        { username: null, role: 'citizen', institution: null },
        'citizen.claim-failed',
        record ? body.certificateNo : null,
        failures === null ? { cause: record ? 'mother-mismatch' : 'unknown-certificate' } : { failures },
      ),
      now,
    );
    throw refused();
  }
  ports.claimCodes.resetFailures(body.certificateNo);
  const issued = tokens.issue(
    { role: 'citizen', accountId: null, username: null, institution: null, certificateNo: body.certificateNo },
    citizenTokenTtlSeconds,
    now,
  );
  ports.audit.record(
    eventBy({ username: null, role: 'citizen', institution: null }, 'citizen.claimed', body.certificateNo),
    now,
  );
  return { accessToken: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresInSeconds };
}

/** The issuer hands the parents a new claim code (the old one stops working); audited. */
export function newClaimCode(
  ports: Pick<LifecyclePorts, 'transactions' | 'register' | 'claimCodes' | 'secrets' | 'audit' | 'clock'>,
  actor: Issuer,
  certificateNo: string,
): string {
  const record = ports.register.find(certificateNo);
  if (record?.status !== 'valid') {
    throw new DomainError('INVALID_STATE', `Certificate ${certificateNo} is ${record?.status ?? 'unknown'}`, [
      { path: 'certificateNo', message: 'only a current certificate can be claimed' },
    ]);
  }
  const claimCode = ports.secrets.newClaimCode();
  ports.transactions.run(() => {
    ports.claimCodes.set(certificateNo, ports.secrets.hashClaimCode(certificateNo, claimCode));
    ports.audit.record(eventBy(actor, 'claim-code.reissued', certificateNo), ports.clock.now());
  });
  return claimCode;
}
