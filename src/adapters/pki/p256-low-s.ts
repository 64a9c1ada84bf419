/**
 * ECDSA signatures are malleable: (r, s) and (r, n − s) both verify. We sign only in the low-S form
 * (s ≤ n/2) and verify only that form, so a credential has exactly one valid signature and a
 * re-signed copy (r, n − s) cannot pass as a different, equally genuine one. node's OpenSSL
 * binding gives no low-S guarantee: about half its signatures need normalising.
 */

/** The order of the P-256 group. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_N = P256_N >> 1n;

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

function toBytes32(value: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(64, '0'), 'hex'));
}

/** Whether an IEEE P1363 r‖s P-256 signature has s in the lower half, 0 < s ≤ n/2. */
export function isLowS(signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const s = toBigInt(signature.subarray(32));
  return s > 0n && s <= HALF_N;
}

/** The low-S form of an IEEE P1363 r‖s P-256 signature: s → n − s when s > n/2. */
export function toLowS(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) throw new TypeError('A P-256 P1363 signature is 64 bytes');
  const s = toBigInt(signature.subarray(32));
  if (s <= HALF_N) return signature;
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32), 0);
  out.set(toBytes32(P256_N - s), 32);
  return out;
}

/** (r, n − s): the other signature that verifies for the same message — for tests and checks. */
export function flipS(signature: Uint8Array): Uint8Array {
  const out = new Uint8Array(64);
  out.set(signature.subarray(0, 32), 0);
  out.set(toBytes32(P256_N - toBigInt(signature.subarray(32))), 32);
  return out;
}
