import { Signer } from '@signpdf/utils';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { attribute, CMS_OID, createSignedData, sha256 } from '../pki/cms-signed-data.ts';

/** Gets an RFC 3161 timestamp token (DER, with the TSA certificate) over a SHA-256 digest. */
export type Timestamper = (sha256: Uint8Array) => Promise<Uint8Array>;

/** A timestamp token with the TSA's certificate, its CMS and TSTInfo, stays well under this. */
export const TIMESTAMP_TOKEN_MAX_BYTES = 4096;

/**
 * The PAdES signature (ETSI EN 319 142-1 baseline, CAdES detached, ECDSA P-256 / SHA-256):
 * content-type, message-digest and signing-certificate-v2 signed; no signing-time (the /M entry
 * carries the claimed time); with a timestamper, the signature timestamp over the signature value
 * as an unsigned attribute (B-T). The private-key operation goes through KeyStore.sign, so keys
 * can live in a hardware module.
 */
export class KeyStoreCmsSigner extends Signer {
  private readonly chainDer: Uint8Array[];

  constructor(
    private readonly keyStore: KeyStore,
    private readonly signingKey: SigningKey,
    private readonly timestamper: Timestamper | null = null,
  ) {
    super();
    this.chainDer = signingKey.x5c.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
    if (this.chainDer.length === 0) throw new Error(`Signing key ${signingKey.kid} has no x509 certificate`);
  }

  /** Upper bound of the CMS size, to size the PDF's signature placeholder. */
  maxSignatureBytes(): number {
    const certificates = this.chainDer.reduce((sum, der) => sum + der.length, 0);
    return certificates + 2048 + (this.timestamper ? TIMESTAMP_TOKEN_MAX_BYTES : 0);
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    const timestamper = this.timestamper;
    const cms = await createSignedData({
      contentType: CMS_OID.data,
      contentDigest: sha256(pdfBuffer),
      chainDer: this.chainDer,
      includeCertificates: true,
      sign: (attributes) => this.keyStore.sign(this.signingKey.kid, attributes),
      ...(timestamper
        ? {
            unsignedAttributes: async (signatureValue: Uint8Array) => {
              const token = await timestamper(sha256(signatureValue));
              return [attribute(CMS_OID.timeStampToken, token)];
            },
          }
        : {}),
    });
    return Buffer.from(cms);
  }
}

/** Signs a document timestamp (ETSI.RFC3161): the "signature" is the TSA's token over the byte ranges. */
export class DocumentTimestampSigner extends Signer {
  constructor(private readonly timestamper: Timestamper) {
    super();
  }

  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return Buffer.from(await this.timestamper(sha256(pdfBuffer)));
  }
}
