import { X509Certificate } from 'node:crypto';
import { type EcPublicJwk, jwkThumbprint, publicJwkOf } from './ec-jwk.ts';
import type { LeafProfile } from './issue-leaf-x509.ts';
import {
  EKU_AUDIT_SIGNING,
  EKU_ELICENCE_SIGNING,
  EKU_STATUS_LIST_SIGNING,
  EKU_TRUST_LIST_SIGNING,
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
const REQUIRED_EKU: Record<LeafProfile, string> = {
  'elicence-signing': EKU_ELICENCE_SIGNING,
  'trust-list-signing': EKU_TRUST_LIST_SIGNING,
  'audit-signing': EKU_AUDIT_SIGNING,
  'status-list-signing': EKU_STATUS_LIST_SIGNING,
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
  if (!(leaf.keyUsage ?? []).includes(REQUIRED_EKU[profile])) return fail('WRONG_EXTENDED_KEY_USAGE');
  const parsed = new x509.X509Certificate(leaf.raw);
  const usages = parsed.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const required =
    profile === 'elicence-signing'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
      : x509.KeyUsageFlags.digitalSignature;
  if ((usages & required) !== required || usages & x509.KeyUsageFlags.keyCertSign) return fail('WRONG_KEY_USAGE');
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
