import type { CertificateStatus } from '../certificate.ts';

/**
 * Two bits per certificate (IETF Token Status List, `bits: 2`). 0x00 and 0x01 keep the
 * registry's meaning (VALID, INVALID = revoked for fraud). We never suspend, so 0x02 carries
 * void (作废: a permanent state, and a generic verifier reading "suspended" still refuses it);
 * 0x03, application-specific, is superseded (换发/补发). docs/qr-profile.md lists the mapping.
 */
export const STATUS_BITS = 2;

export const STATUS_VALUE: Record<CertificateStatus, number> = {
  valid: 0,
  revoked: 1,
  void: 2,
  superseded: 3,
};

const BY_VALUE: readonly CertificateStatus[] = ['valid', 'revoked', 'void', 'superseded'];

export const statusOfValue = (value: number): CertificateStatus => BY_VALUE[value & 3]!;

/** The packed list: entry i in bits 2(i mod 4)… of byte ⌊i/4⌋, least significant first (the spec's order). */
export function packStatuses(size: number, entries: Iterable<{ idx: number; value: number }>): Uint8Array {
  const bytes = new Uint8Array(Math.ceil((size * STATUS_BITS) / 8));
  for (const { idx, value } of entries) {
    if (idx < 0 || idx >= size) throw new RangeError(`status index ${idx} outside a list of ${size}`);
    const shift = (idx % 4) * STATUS_BITS;
    bytes[idx >> 2] = (bytes[idx >> 2]! & ~(3 << shift)) | ((value & 3) << shift);
  }
  return bytes;
}

/** The value at `idx`, or null past the end of the list. */
export function statusValueAt(bytes: Uint8Array, idx: number): number | null {
  const byte = bytes[idx >> 2];
  if (byte === undefined || idx < 0) return null;
  return (byte >> ((idx % 4) * STATUS_BITS)) & 3;
}
