import { describe, expect, it } from 'vitest';
import { newTimeLedId, nodeSecrets } from '../../src/adapters/secrets.ts';
import { LICENCE_SERIAL_LENGTH } from '../../src/domain/licence-id.ts';

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The first 48 bits of a serial (5 bits a character): the milliseconds it was made at. */
function serialTime(serial: string): number {
  let bits = '';
  for (const character of serial) bits += SERIAL_ALPHABET.indexOf(character).toString(2).padStart(5, '0');
  return Number.parseInt(bits.slice(0, 48), 2);
}

describe('the service’s secrets', () => {
  it('leads licence serials with the time they were made, so an issuer’s serials sort as they were made', async () => {
    const before = Date.now();
    const first = nodeSecrets.newLicenceSerial();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = nodeSecrets.newLicenceSerial();
    const after = Date.now();
    for (const serial of [first, second]) {
      expect(serial).toMatch(new RegExp(`^[${SERIAL_ALPHABET}]{${LICENCE_SERIAL_LENGTH}}$`));
      expect(serialTime(serial)).toBeGreaterThanOrEqual(before);
      expect(serialTime(serial)).toBeLessThanOrEqual(after);
    }
    expect(first < second).toBe(true);
  });

  it('keeps serials made in the same millisecond apart by their 52 random bits', () => {
    const serials = Array.from({ length: 1000 }, () => nodeSecrets.newLicenceSerial());
    expect(new Set(serials).size).toBe(1000);
    const tails = new Set(serials.map((serial) => serial.slice(10)));
    expect(tails.size).toBe(1000);
  });

  it('leads outbox ids with the time and keeps the other ids wholly random', () => {
    const before = Date.now();
    const led = newTimeLedId('evt_');
    expect(led).toMatch(/^evt_[A-Za-z0-9_-]{16}$/);
    const time = Buffer.from(led.slice(4), 'base64url').readUIntBE(0, 6);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());

    const ids = Array.from({ length: 1000 }, () => nodeSecrets.newId('A'));
    for (const id of ids) expect(id).toMatch(/^A[A-Za-z0-9_-]{16}$/);
    // Wholly random: ids made in one millisecond do not share a time-led head.
    const heads = new Set(ids.map((id) => Buffer.from(id.slice(1), 'base64url').readUIntBE(0, 6)));
    expect(heads.size).toBe(1000);
  });
});
