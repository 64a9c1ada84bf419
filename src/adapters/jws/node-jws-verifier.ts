import { createHash, createPublicKey, type KeyObject, verify as verifySignature, X509Certificate } from 'node:crypto';
import type { EcPublicJwk, JwsVerifier } from '../../domain/verification/ports.ts';
import { checkX509Chain } from '../pki/check-x509-chain.ts';
import { jwkThumbprint, publicJwkOf } from '../pki/ec-jwk.ts';
import { isLowS } from '../pki/p256-low-s.ts';

/** Bounded memo: a flood of distinct junk keys must not grow memory without limit. */
function memo<V>(limit: number) {
  const entries = new Map<string, V>();
  return (key: string, compute: () => V): V => {
    const hit = entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (entries.size >= limit) entries.clear();
    entries.set(key, value);
    return value;
  };
}

/**
 * The verifier's cryptography on node's OpenSSL binding. Imported public keys are cached:
 * re-importing a JWK per verification costs 2–3× the verification itself.
 */
export function createNodeJwsVerifier(): JwsVerifier {
  const publicKeys = memo<KeyObject>(4096);
  const leaves = memo<{ kid: string; publicJwk: EcPublicJwk } | false>(4096);

  return {
    async verifyEs256(publicJwk, signingInput, signature) {
      // (r, n − s) of a genuine signature verifies too; only the low-S form we produce is accepted.
      if (!isLowS(signature)) return false;
      try {
        const key = publicKeys(`${publicJwk.x}.${publicJwk.y}`, () =>
          createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y }, format: 'jwk' }),
        );
        // The callback form runs on libuv's thread pool, off the event loop: the ECDSA check is
        // the largest single cost of a verification and the second core is otherwise idle.
        return await new Promise<boolean>((resolve) => {
          verifySignature('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature, (error, ok) =>
            resolve(!error && ok),
          );
        });
      } catch {
        return false;
      }
    },

    sha256(bytes) {
      return createHash('sha256').update(bytes).digest('base64url');
    },

    readX5cLeaf(x5c) {
      const leaf = leaves(x5c, () => {
        try {
          const publicJwk = publicJwkOf(new X509Certificate(Buffer.from(x5c, 'base64')).publicKey);
          return { kid: jwkThumbprint(publicJwk), publicJwk };
        } catch {
          return false;
        }
      });
      return leaf || null;
    },

    checkX5cChain(x5c, rootX509) {
      const checked = checkX509Chain(x5c, rootX509, 'elicence-signing');
      if (!checked.ok) return { trusted: false };
      const { kid, notBefore, notAfter } = checked.leaf;
      return { trusted: true, kid, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() };
    },

    checkTimestampAuthority(x5c, rootX509) {
      const checked = checkX509Chain(x5c, rootX509, 'timestamping');
      if (!checked.ok) return { trusted: false };
      const { kid, notBefore, notAfter } = checked.leaf;
      return { trusted: true, kid, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() };
    },
  };
}
