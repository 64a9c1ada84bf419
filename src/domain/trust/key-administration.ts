import type { PrincipalOf } from '../accounts/account.ts';
import { type AuditLog, eventBy, type Operator } from '../audit/audit-event.ts';
import { DomainError } from '../errors.ts';
import type { InstitutionRecord, InstitutionRepository } from '../institution.ts';
import type { Clock, SigningKey } from '../ports.ts';
import type { SigningKeyRecord } from './ports.ts';
import { type KeyProvisioning, provisionRootCa } from './provision-root-ca.ts';
import { certifyNewKey, registerNewKey } from './provision-signing-key.ts';
import { revokeSigningKey } from './revoke-signing-key.ts';

/**
 * The operator's key administration, the same whichever door (HTTP or CLI) a request came
 * through: each change and its audit event are written in one register transaction (the
 * register, the institutions and the audit log share one store), so neither lands without the other.
 */
/** Keys are administered by an admin over HTTP or by the operator at the command line. */
export type KeyAdministrator = PrincipalOf<'admin'> | Operator;

export interface KeyAdministration extends KeyProvisioning {
  institutions: InstitutionRepository;
  audit: AuditLog;
  clock: Clock;
}

const institutionOf = (ports: KeyAdministration, creditCode: string): InstitutionRecord => {
  const found = ports.institutions.find(creditCode);
  if (!found) throw new DomainError('NOT_FOUND', `No institution ${creditCode}`);
  return found;
};

/**
 * The trust root, the trust-list signer, the audit-checkpoint signer and the status-list signer, once per trust domain. The root is registered
 * first: the trust-list signer's certificate is signed with it. The signer and the audit event
 * land together.
 */
export async function createRootCa(
  ports: KeyAdministration,
  actor: KeyAdministrator,
  request: { commonName: string; organization: string },
): Promise<{
  root: SigningKeyRecord;
  trustListSigner: SigningKeyRecord;
  auditSigner: SigningKeyRecord;
  timestampAuthority: SigningKeyRecord;
  statusListSigner: SigningKeyRecord;
}> {
  const now = ports.clock.now();
  const root = await provisionRootCa({ ...ports, ...request, now });
  const trustListSigner = await certifyNewKey({ ...ports, now }, 'trust-list', null);
  const auditSigner = await certifyNewKey({ ...ports, now }, 'audit', null);
  const statusListSigner = await certifyNewKey({ ...ports, now }, 'status-list', null);
  const timestampAuthority = await certifyNewKey({ ...ports, now }, 'tsa', null);
  ports.register.transaction(() => {
    registerNewKey({ register: ports.register, now }, trustListSigner);
    registerNewKey({ register: ports.register, now }, auditSigner);
    registerNewKey({ register: ports.register, now }, statusListSigner);
    registerNewKey({ register: ports.register, now }, timestampAuthority);
    ports.audit.record(
      eventBy(actor, 'root-ca.created', root.kid, {
        trustListSigner: trustListSigner.kid,
        auditSigner: auditSigner.kid,
        timestampAuthority: timestampAuthority.kid,
        statusListSigner: statusListSigner.kid,
      }),
      now,
    );
  });
  return { root, trustListSigner, auditSigner, statusListSigner, timestampAuthority };
}

/** A new institution with its first signing key. */
export async function createInstitution(
  ports: KeyAdministration,
  actor: KeyAdministrator,
  request: { creditCode: string; name: string; divisionCode: string },
): Promise<{ institution: InstitutionRecord; key: SigningKey }> {
  const now = ports.clock.now();
  if (ports.institutions.find(request.creditCode)) {
    throw new DomainError('INVALID_STATE', `Institution ${request.creditCode} already exists`);
  }
  const record = await certifyNewKey({ ...ports, now }, 'licence', {
    name: request.name,
    creditCode: request.creditCode,
  });
  const institution = ports.register.transaction(() => {
    const created = ports.institutions.create(request, now);
    registerNewKey({ register: ports.register, now }, record);
    ports.audit.record(eventBy(actor, 'institution.created', request.creditCode, { kid: record.kid }), now);
    return created;
  });
  return { institution, key: ports.keyStore.signingKey(record.kid) };
}

/** Rotates an institution's signing key: a new key and certificate; the old one keeps verifying. */
export async function rotateInstitutionKey(
  ports: KeyAdministration,
  actor: KeyAdministrator,
  creditCode: string,
): Promise<SigningKey> {
  const target = institutionOf(ports, creditCode);
  const now = ports.clock.now();
  const record = await certifyNewKey({ ...ports, now }, 'licence', {
    name: target.name,
    creditCode: target.creditCode,
  });
  ports.register.transaction(() => {
    registerNewKey({ register: ports.register, now }, record);
    ports.audit.record(eventBy(actor, 'signing-key.rotated', target.creditCode, { kid: record.kid }), now);
  });
  return ports.keyStore.signingKey(record.kid);
}

export interface KeyRevocation {
  kid: string;
  /** Defaults to now; may lie in the past (the suspected compromise), never in the future. */
  revokedAt?: Date;
  reason: string;
  /**
   * The root and the trust-list key are the operator's (CLI); revoking them through the API
   * would stop every verification with no way back through the API.
   */
  institutionKeysOnly: boolean;
}

/** Revokes a key from a given time: e-licences it signed from then on fail with ISSUER_REVOKED. */
export function revokeKey(ports: KeyAdministration, actor: KeyAdministrator, request: KeyRevocation): SigningKeyRecord {
  const now = ports.clock.now();
  if (request.institutionKeysOnly) {
    const key = ports.register.get(request.kid);
    if (key && key.purpose !== 'licence') {
      throw new DomainError('FORBIDDEN', 'Only institution signing keys can be revoked here');
    }
  }
  return ports.register.transaction(() => {
    const revoked = revokeSigningKey({
      register: ports.register,
      kid: request.kid,
      revokedAt: request.revokedAt ?? now,
      reason: request.reason,
      now,
    });
    ports.audit.record(
      eventBy(actor, 'signing-key.revoked', revoked.kid, { revokedAt: revoked.revokedAt, reason: request.reason }),
      now,
    );
    return revoked;
  });
}
