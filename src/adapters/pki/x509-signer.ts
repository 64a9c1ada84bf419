import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type X509Crypto = Parameters<typeof x509.cryptoProvider.set>[0];
type X509SigningKey = Extract<
  Parameters<typeof x509.X509CertificateGenerator.create>[0],
  { signingKey: unknown }
>['signingKey'];

x509.cryptoProvider.set(webcrypto as unknown as X509Crypto);

/** Signs a TBS structure with ECDSA P-256/SHA-256 and returns IEEE P1363 (r‖s), like `KeyStore.sign`. */
export type X509Signer = (tbs: Uint8Array) => Promise<Uint8Array>;

/**
 * @peculiar/x509 signs through `crypto.subtle.sign(alg, signingKey, tbs)`. Handing it a crypto
 * whose `sign` goes to our signer keeps the CA's private key behind the key-store port (an HSM
 * can replace it); everything else is node's WebCrypto. The library converts the P1363 value to
 * the DER signature X.509 needs.
 */
export function cryptoWithSigner(sign: X509Signer): X509Crypto {
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, property) {
      if (property === 'sign')
        return async (_algorithm: unknown, _key: unknown, data: ArrayBufferView | ArrayBuffer) => {
          const bytes = ArrayBuffer.isView(data)
            ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
            : new Uint8Array(data);
          const signature = await sign(bytes);
          return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    subtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T) => webcrypto.getRandomValues(array as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
  } as unknown as X509Crypto;
}

/** Stands in for a CryptoKey: the library reads only `algorithm` to pick ecdsa-with-SHA256. */
export const P256_SIGNING_KEY_HANDLE = {
  algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
  type: 'private',
  extractable: false,
  usages: ['sign'],
} as unknown as X509SigningKey;

export { x509 };
