import { randomBytes } from 'node:crypto';
import type { x509 } from './x509-signer.ts';

type NameParams = ConstructorParameters<typeof x509.Name>[0];

/**
 * Subject of a certificate. Every text value is written as an explicit UTF8String (never the
 * library's RFC 2253 string parser, which would treat quotes and backslashes in a name as
 * escapes): Chinese institution names round-trip byte for byte.
 */
export function subjectName(fields: { commonName: string; organization: string; creditCode?: string }): NameParams {
  const name: NameParams = [
    { '2.5.4.6': [{ printableString: 'CN' }] },
    { '2.5.4.10': [{ utf8String: fields.organization }] },
  ];
  // ETSI EN 319 412-1 semantics identifier: "NTR" (national trade register) + country + "-" + id.
  if (fields.creditCode) name.push({ '2.5.4.97': [{ utf8String: `NTRCN-${fields.creditCode}` }] });
  name.push({ '2.5.4.3': [{ utf8String: fields.commonName }] });
  return name;
}

/** A positive 127-bit random serial (RFC 5280 allows 20 octets; CA/B practice wants ≥ 64 random bits). */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export function addYears(date: Date, years: number): Date {
  const result = new Date(date.getTime());
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}
