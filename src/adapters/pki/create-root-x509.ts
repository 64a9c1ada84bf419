import { type EcPublicJwk, keyIdentifierOf, spkiDerOf } from './ec-jwk.ts';
import { addYears, randomSerialNumber, subjectName } from './x509-names.ts';
import { cryptoWithSigner, P256_SIGNING_KEY_HANDLE, type X509Signer, x509 } from './x509-signer.ts';

export interface RootX509Request {
  /** e.g. 出生医学证明电子证照根CA; the demo root says 演示 in its name. */
  commonName: string;
  /** e.g. 国家卫生健康委员会. */
  organization: string;
  publicJwk: EcPublicJwk;
  notBefore: Date;
  /** A root outlives every institution certificate it signs and every e-licence those sign. */
  validityYears?: number;
  /** Signs with the root's own private key (self-signature). */
  sign: X509Signer;
}

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
