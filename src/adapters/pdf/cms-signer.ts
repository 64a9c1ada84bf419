import { createHash } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { KeyStore, SigningKey } from '../../domain/ports.ts';
import { OID, p1363ToDer } from './cms.ts';

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** RFC 5652 §11.3: UTCTime for 1950–2049, GeneralizedTime otherwise. */
function signingTimeValue(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? new asn1js.UTCTime({ valueDate: date })
    : new asn1js.GeneralizedTime({ valueDate: date });
}

/** ESS SigningCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256, the DEFAULT, so omitted). */
function signingCertificateV2(certDer: Uint8Array, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      // GeneralNames { directoryName [4] EXPLICIT Name }
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
      }),
      cert.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: sha256(certDer) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

/**
 * CMS SignedData (detached, ECDSA P-256 / SHA-256) for @signpdf. The private-key operation goes
 * through KeyStore.sign, so keys can live in a hardware module. Built on pkijs because
 * node-forge cannot handle ECDSA and double-encodes UTF-8 (Chinese) distinguished names.
 */
export class KeyStoreCmsSigner extends Signer {
  private readonly chainDer: Uint8Array[];

  constructor(
    private readonly keyStore: KeyStore,
    private readonly signingKey: SigningKey,
  ) {
    super();
    this.chainDer = signingKey.x5c.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
    if (this.chainDer.length === 0) throw new Error(`Signing key ${signingKey.kid} has no x509 certificate`);
  }

  /** Upper bound of the CMS size, to size the PDF's signature placeholder. */
  maxSignatureBytes(): number {
    return this.chainDer.reduce((sum, der) => sum + der.length, 0) + 2048;
  }

  /** `signingTime` is required: the PDF is signed at the certificate's signing instant, never "now". */
  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    if (!signingTime) throw new TypeError('A PDF signature needs the signing time');
    const [leafDer] = this.chainDer as [Uint8Array, ...Uint8Array[]];
    const certificates = this.chainDer.map((der) => pkijs.Certificate.fromBER(der));
    const leaf = certificates[0]!;
    const attributes = [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({
        type: OID.signingTime,
        values: [signingTimeValue(signingTime)],
      }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: sha256(pdfBuffer) })],
      }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(leafDer, leaf)] }),
    ];
    // DER orders a SET OF by its members' encodings; verifiers hash the bytes as sent either way.
    const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }));
    encoded.sort((x, y) => Buffer.compare(x.der, y.der));
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: encoded.map((e) => e.a) });
    // The signature covers the attributes re-tagged as a universal SET (RFC 5652 §5.4).
    const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
    toSign[0] = 0x31;
    const signature = p1363ToDer(await this.keyStore.sign(this.signingKey.kid, toSign));

    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }),
      signature: new asn1js.OctetString({ valueHex: signature }),
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates,
      signerInfos: [signerInfo],
    });
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER(false));
  }
}
