import type { TrustedKey, TrustSource } from '../verification/ports.ts';
import { QR_KID_LENGTH } from '../verification/profile.ts';
import { kid8Of } from '../verification/qr-kid.ts';
import type { TrustList } from './build-trust-list.ts';
import type { X509Checker } from './ports.ts';
import { trustedKeyOf } from './trusted-key-of.ts';

export interface TrustStore extends TrustSource {
  findKeys(kid: string): readonly TrustedKey[];
  /** Every key that survived the checks. */
  keys(): readonly TrustedKey[];
  /** Listed certificates that did not chain to the root (for operators; never trusted). */
  rejected(): readonly { creditCode: string; kid: string }[];
}

/** An in-memory trust source over a trust list (the service's, or an offline bundle's). */
export function createTrustStore(trustList: TrustList, x509: X509Checker): TrustStore {
  const rootX5c = x509.x5cOf(trustList.root);
  const byKid = new Map<string, TrustedKey>();
  const byKid8 = new Map<string, TrustedKey[]>();
  const rejected: { creditCode: string; kid: string }[] = [];
  for (const issuer of trustList.issuers) {
    issuer.certificates.forEach((pem, index) => {
      const lifecycle = issuer.keys[index];
      const key = lifecycle ? trustedKeyOf(x509, pem, rootX5c, issuer, lifecycle) : null;
      if (!key) {
        rejected.push({ creditCode: issuer.creditCode, kid: lifecycle?.kid ?? '' });
        return;
      }
      byKid.set(key.kid, key);
      const kid8 = kid8Of(key.kid);
      byKid8.set(kid8, [...(byKid8.get(kid8) ?? []), key]);
    });
  }
  return {
    findKeys(kid) {
      if (kid.length === QR_KID_LENGTH) return byKid8.get(kid) ?? [];
      const key = byKid.get(kid);
      return key ? [key] : [];
    },
    rootX509: () => rootX5c,
    licenceTypeCode: () => trustList.licenceTypeCode,
    keys: () => [...byKid.values()],
    rejected: () => rejected,
  };
}
