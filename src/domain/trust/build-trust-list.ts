import type { TrustedKeyStatus } from '../verification/ports.ts';
import { kid8Of } from '../verification/qr-kid.ts';
import type { SigningKeyRecord } from './ports.ts';

export interface TrustListKey {
  kid: string;
  /** The QR's COSE kid: the first 8 bytes of the thumbprint, base64url. */
  kid8: string;
  status: TrustedKeyStatus;
  notBefore: string;
  notAfter: string;
  retiredAt: string | null;
  revokedAt: string | null;
}

/** `inactive`: no current key (every key retired), yet old e-licences still verify. */
export type TrustListIssuerStatus = 'active' | 'inactive' | 'revoked';

export interface TrustListIssuer {
  creditCode: string;
  name: string;
  status: TrustListIssuerStatus;
  /** Every signing certificate the institution ever had, oldest first (PEM). */
  certificates: string[];
  /** `keys[i]` describes `certificates[i]`. */
  keys: TrustListKey[];
}

/** A key that signs status list tokens (`x5c` of the token = `certificate`), for verifiers without X.509 chain code. */
export interface TrustListStatusSigner {
  kid: string;
  status: TrustedKeyStatus;
  notBefore: string;
  notAfter: string;
  retiredAt: string | null;
  revokedAt: string | null;
  /** PEM, issued by `root` with the status-list signing EKU. */
  certificate: string;
}

/** `GET /api/v1/trust-list`. */
export interface TrustList {
  version: 1;
  issuedAt: string;
  /** GB/T 36903 type code of this licence; QR tokens leave it out of the e-licence identifier. */
  licenceTypeCode: string;
  root: string;
  issuers: TrustListIssuer[];
  /** Every status-list signing key ever certified, oldest first (added after version 1: optional for readers). */
  statusListSigners?: TrustListStatusSigner[];
  /** The URI of every status list published, so an offline verifier can fetch them all ahead of time. */
  statusLists?: string[];
}

export interface TrustListInput {
  rootX509Pem: string;
  /** Signing-key records (other purposes are ignored). */
  keys: readonly SigningKeyRecord[];
  licenceTypeCode: string;
  issuedAt: Date;
  /** The URIs of the published status lists; left out of the list when not given. */
  statusListUris?: readonly string[];
}

function issuerStatus(keys: readonly TrustListKey[]): TrustListIssuerStatus {
  if (keys.some((key) => key.status === 'active')) return 'active';
  return keys.every((key) => key.status === 'revoked') ? 'revoked' : 'inactive';
}

/** Groups every e-licence signing key ever certified by institution; nothing is ever dropped. */
export function buildTrustList(input: TrustListInput): TrustList {
  const byInstitution = new Map<string, SigningKeyRecord[]>();
  const licenceKeys = input.keys
    .filter((key) => key.purpose === 'licence' && key.institutionCreditCode)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid));
  for (const key of licenceKeys) {
    const code = key.institutionCreditCode!;
    byInstitution.set(code, [...(byInstitution.get(code) ?? []), key]);
  }
  const issuers = [...byInstitution.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([creditCode, records]): TrustListIssuer => {
      const keys = records.map((record) => ({
        kid: record.kid,
        kid8: kid8Of(record.kid),
        status: record.status,
        notBefore: record.notBefore,
        notAfter: record.notAfter,
        retiredAt: record.retiredAt,
        revokedAt: record.revokedAt,
      }));
      return {
        creditCode,
        // The name as certified on the newest certificate.
        name: records.at(-1)!.institutionName!,
        status: issuerStatus(keys),
        certificates: records.map((record) => record.x509Pem),
        keys,
      };
    });
  const statusListSigners = input.keys
    .filter((key) => key.purpose === 'status-list')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.kid.localeCompare(b.kid))
    .map(
      (record): TrustListStatusSigner => ({
        kid: record.kid,
        status: record.status,
        notBefore: record.notBefore,
        notAfter: record.notAfter,
        retiredAt: record.retiredAt,
        revokedAt: record.revokedAt,
        certificate: record.x509Pem,
      }),
    );
  return {
    version: 1,
    issuedAt: input.issuedAt.toISOString(),
    licenceTypeCode: input.licenceTypeCode,
    root: input.rootX509Pem,
    issuers,
    statusListSigners,
    ...(input.statusListUris && { statusLists: [...input.statusListUris] }),
  };
}
