import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { LICENCE_SERIAL_RANDOM_BYTES, newLicenceSerial } from '../domain/licence-id.ts';
import type { Secrets } from '../domain/lifecycle/ports.ts';

/** No 0/O, 1/I/L: the code is read aloud and typed by parents. 31^10 ≈ 2^49 codes. */
const claimAlphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const claimLength = 10;

/** Parents may type the code in lower case or in groups (7KQ2-M9XW-4H): neither changes it. */
const normalise = (claimCode: string) => claimCode.replaceAll('-', '').toUpperCase();

const hash = (certificateNo: string, claimCode: string) =>
  createHash('sha256')
    .update(`birth-certificate-claim\0${certificateNo}\0${normalise(claimCode)}`)
    .digest('hex');

export const nodeSecrets: Secrets = {
  newClaimCode() {
    let code = '';
    for (let i = 0; i < claimLength; i++) code += claimAlphabet[randomInt(claimAlphabet.length)];
    return code;
  },
  hashClaimCode: hash,
  claimCodeMatches(certificateNo, claimCode, storedHash) {
    const candidate = Buffer.from(hash(certificateNo, claimCode), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return candidate.length === stored.length && timingSafeEqual(candidate, stored);
  },
  newLicenceSerial: () => newLicenceSerial(randomBytes(LICENCE_SERIAL_RANDOM_BYTES)),
  newId: (prefix) => `${prefix}${randomBytes(12).toString('base64url')}`,
};

/**
 * A staff password an administrator hands over once: four groups of five from the claim-code
 * alphabet (no 0/O, 1/I/L, read aloud safely), 31^20 ≈ 2^99 — far past the password policy.
 */
export function newStaffPassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += claimAlphabet[randomInt(claimAlphabet.length)];
    groups.push(group);
  }
  return groups.join('-');
}
