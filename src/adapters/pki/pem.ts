/** PEM ⇄ DER for X.509 certificates; `x5c` entries are plain (not url-safe) base64 DER. */

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END CERTIFICATE-----\s*$/;

export function pemToDer(pem: string): Uint8Array {
  const match = PEM_CERTIFICATE.exec(pem.trim());
  if (!match?.[1]) throw new TypeError('Not a PEM certificate');
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

export function derToPem(der: Uint8Array): string {
  const body = Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}

export const pemToX5c = (pem: string): string => Buffer.from(pemToDer(pem)).toString('base64');

export const x5cToPem = (x5c: string): string => derToPem(new Uint8Array(Buffer.from(x5c, 'base64')));
