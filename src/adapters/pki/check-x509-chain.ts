import { X509Certificate } from 'node:crypto';
import type { LeafProfile } from '../../domain/trust/ports.ts';
import { type EcPublicJwk, jwkThumbprint, publicJwkOf } from './ec-jwk.ts';
import {
  EKU_DOCUMENT_SIGNING,
  EKU_TIME_STAMPING,
  EKU_TSL_SIGNING,
  LEGACY_EKU_AUDIT_SIGNING,
  LEGACY_EKU_ELICENCE_SIGNING,
  LEGACY_EKU_STATUS_LIST_SIGNING,
  LEGACY_EKU_TRUST_LIST_SIGNING,
  OID_ORGANIZATION_IDENTIFIER,
} from './oids.ts';
import { x509 } from './x509-signer.ts';

export type X509ChainProblem =
  | 'BAD_ENCODING'
  | 'CHAIN_TOO_LONG'
  | 'BAD_ROOT'
  | 'NOT_ISSUED_BY_ROOT'
  | 'ISSUER_NOT_CA'
  | 'LEAF_IS_CA'
  | 'WRONG_KEY_USAGE'
  | 'WRONG_EXTENDED_KEY_USAGE'
  | 'NOT_P256';

export interface CheckedX509Leaf {
  kid: string;
  publicJwk: EcPublicJwk;
  /** The window in which every certificate of the chain, root included, is valid. */
  notBefore: Date;
  notAfter: Date;
  organization: string | null;
  creditCode: string | null;
}

export type X509ChainCheck = { ok: true; leaf: CheckedX509Leaf } | { ok: false; problem: X509ChainProblem };

/** Our PKI is root → leaf; one spare level for provincial intermediates, nothing deeper. */
const MAX_CHAIN_LENGTH = 3;
/** Any one of these; the legacy `2.25` purposes keep certificates issued before 2026 verifying. */
const ACCEPTED_EKU: Record<LeafProfile, readonly string[]> = {
  'elicence-signing': [EKU_DOCUMENT_SIGNING, LEGACY_EKU_ELICENCE_SIGNING],
  'trust-list-signing': [EKU_TSL_SIGNING, LEGACY_EKU_TRUST_LIST_SIGNING],
  'audit-signing': [EKU_DOCUMENT_SIGNING, LEGACY_EKU_AUDIT_SIGNING],
  'status-list-signing': [EKU_DOCUMENT_SIGNING, LEGACY_EKU_STATUS_LIST_SIGNING],
  timestamping: [EKU_TIME_STAMPING],
};

// Results depend only on the bytes (never on the time), so they can be cached; bounded so a
// stream of junk chains cannot grow memory.
const cache = new Map<string, X509ChainCheck>();
const CACHE_LIMIT = 1024;

/**
 * Checks that `x5c` (base64 DER, leaf first, root optional at the end) chains to `rootX5c`, that
 * every issuer is a CA, and that the leaf is an end entity with the profile's key usage and
 * extended key usage. Validity times are returned, not judged: the caller compares them with
 * the signing time.
 */
export function checkX509Chain(x5c: readonly string[], rootX5c: string, profile: LeafProfile): X509ChainCheck {
  const cacheKey = `${profile}|${rootX5c}|${x5c.join(',')}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const result = uncachedCheck(x5c, rootX5c, profile);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, result);
  return result;
}

function parse(base64Der: string): X509Certificate | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64Der)) return null;
  try {
    return new X509Certificate(Buffer.from(base64Der, 'base64'));
  } catch {
    return null;
  }
}

function uncachedCheck(x5c: readonly string[], rootX5c: string, profile: LeafProfile): X509ChainCheck {
  const root = parse(rootX5c);
  if (!root?.ca || !root.checkIssued(root) || !root.verify(root.publicKey)) return fail('BAD_ROOT');
  if (x5c.length === 0 || x5c.length > MAX_CHAIN_LENGTH + 1) return fail('CHAIN_TOO_LONG');
  const chain: X509Certificate[] = [];
  for (const entry of x5c) {
    const certificate = parse(entry);
    if (!certificate) return fail('BAD_ENCODING');
    chain.push(certificate);
  }
  if (chain.length > 1 && chain.at(-1)!.fingerprint256 === root.fingerprint256) chain.pop();
  if (chain.length > MAX_CHAIN_LENGTH) return fail('CHAIN_TOO_LONG');
  for (let i = 0; i < chain.length; i++) {
    const child = chain[i]!;
    const parent = chain[i + 1] ?? root;
    if (!parent.ca) return fail('ISSUER_NOT_CA');
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) return fail('NOT_ISSUED_BY_ROOT');
  }
  return checkLeaf(chain, root, profile);
}

function checkLeaf(chain: X509Certificate[], root: X509Certificate, profile: LeafProfile): X509ChainCheck {
  const leaf = chain[0]!;
  if (leaf.ca) return fail('LEAF_IS_CA');
  const ekus = leaf.keyUsage ?? [];
  if (!ekus.some((eku) => ACCEPTED_EKU[profile].includes(eku))) return fail('WRONG_EXTENDED_KEY_USAGE');
  const parsed = new x509.X509Certificate(leaf.raw);
  if (profile === 'timestamping') {
    // RFC 3161 §2.3: the TSA's extended key usage is critical and names timeStamping only.
    const eku = parsed.getExtension(x509.ExtendedKeyUsageExtension);
    if (!eku?.critical || ekus.length !== 1) return fail('WRONG_EXTENDED_KEY_USAGE');
  }
  const usages = parsed.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const nonRepudiation = (usages & x509.KeyUsageFlags.nonRepudiation) !== 0;
  if (!(usages & x509.KeyUsageFlags.digitalSignature) || usages & x509.KeyUsageFlags.keyCertSign) {
    return fail('WRONG_KEY_USAGE');
  }
  // nonRepudiation marks the institution's legal act: required there, refused for the service's own keys.
  if (nonRepudiation !== (profile === 'elicence-signing')) return fail('WRONG_KEY_USAGE');
  let publicJwk: EcPublicJwk;
  try {
    publicJwk = publicJwkOf(leaf.publicKey);
  } catch {
    return fail('NOT_P256');
  }
  const all = [
    ...chain.map((certificate) => new x509.X509Certificate(certificate.raw)),
    new x509.X509Certificate(root.raw),
  ];
  const notBefore = new Date(Math.max(...all.map((certificate) => certificate.notBefore.getTime())));
  const notAfter = new Date(Math.min(...all.map((certificate) => certificate.notAfter.getTime())));
  const organizationIdentifier = parsed.subjectName.getField(OID_ORGANIZATION_IDENTIFIER)[0] ?? null;
  return {
    ok: true,
    leaf: {
      kid: jwkThumbprint(publicJwk),
      publicJwk,
      notBefore,
      notAfter,
      organization: parsed.subjectName.getField('O')[0] ?? null,
      creditCode: organizationIdentifier?.startsWith('NTRCN-') ? organizationIdentifier.slice(6) : null,
    },
  };
}

const fail = (problem: X509ChainProblem): X509ChainCheck => ({ ok: false, problem });
