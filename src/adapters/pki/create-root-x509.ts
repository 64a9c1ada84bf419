import type { RootX509Request } from '../../domain/trust/ports.ts';
import { keyIdentifierOf, spkiDerOf } from './ec-jwk.ts';
import { addYears, randomSerialNumber, subjectName } from './x509-names.ts';
import { cryptoWithSigner, P256_SIGNING_KEY_HANDLE, x509 } from './x509-signer.ts';

/** Self-signed health-commission root: CA, keyCertSign + cRLSign, returns PEM. */
export async function createRootX509(request: RootX509Request): Promise<string> {
  const keyId = keyIdentifierOf(request.publicJwk);
  const name = subjectName({ commonName: request.commonName, organization: request.organization });
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialNumber(),
      subject: name,
      issuer: name,
      notBefore: request.notBefore,
      notAfter: addYears(request.notBefore, request.validityYears ?? 25),
      publicKey: spkiDerOf(request.publicJwk),
      signingKey: P256_SIGNING_KEY_HANDLE,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        // pathLength 1 leaves room for provincial intermediate CAs without re-issuing the root.
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.SubjectKeyIdentifierExtension(keyId),
      ],
    },
    cryptoWithSigner(request.sign),
  );
  return certificate.toString('pem');
}
