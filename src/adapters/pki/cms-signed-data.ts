import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Object identifiers of the CMS structures this PKI writes and reads. */
export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  /** RFC 5035 ESS signing-certificate-v2: binds the signature to the signer's certificate. */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  /** RFC 3161 id-smime-aa-timeStampToken: the signature timestamp, an unsigned attribute. */
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  /** RFC 3161 id-ct-TSTInfo. */
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest());

function derInteger(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const body = unsigned.subarray(start);
  // A set high bit would read as negative: DER prefixes a zero byte.
  const pad = (body[0] ?? 0) & 0x80 ? 1 : 0;
  const out = new Uint8Array(2 + pad + body.length);
  out[0] = 0x02;
  out[1] = pad + body.length;
  out.set(body, 2 + pad);
  return out;
}

/** IEEE P1363 r‖s (what KeyStore.sign returns) → DER ECDSA-Sig-Value (what CMS carries). */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) throw new Error(`P-256 signature must be 64 bytes, got ${signature.length}`);
  const r = derInteger(signature.subarray(0, 32));
  const s = derInteger(signature.subarray(32));
  const out = new Uint8Array(2 + r.length + s.length);
  out[0] = 0x30;
  out[1] = r.length + s.length;
  out.set(r, 2);
  out.set(s, 2 + r.length);
  return out;
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

export interface SignedDataRequest {
  /** id-data (detached: no content) or id-ct-TSTInfo (encapsulated). */
  contentType: string;
  /** The content when encapsulated; undefined for a detached signature. */
  content?: Uint8Array;
  /** SHA-256 of the content (for a detached signature: of the signed bytes). */
  contentDigest: Uint8Array;
  /** The signer's certificate first, DER. */
  chainDer: readonly Uint8Array[];
  /** Whether the certificates go into the SignedData (RFC 3161 certReq). */
  includeCertificates: boolean;
  /** ECDSA P-256/SHA-256 over the DER signed attributes, IEEE P1363 (the key store's form). */
  sign: (signedAttributes: Uint8Array) => Promise<Uint8Array>;
  /** Adds unsigned attributes once the signature value is known (the signature timestamp). */
  unsignedAttributes?: (signatureValue: Uint8Array) => Promise<pkijs.Attribute[]>;
}

/**
 * CMS SignedData with one signer (ECDSA P-256 / SHA-256) and the signed attributes content-type,
 * message-digest and signing-certificate-v2 — no signing-time: in a PDF the /M entry carries the
 * claimed time and a timestamp the proven one. Built on pkijs because node-forge cannot handle
 * ECDSA and double-encodes UTF-8 (Chinese) distinguished names.
 */
export async function createSignedData(request: SignedDataRequest): Promise<Uint8Array> {
  const [leafDer] = request.chainDer;
  if (!leafDer) throw new TypeError('A CMS signer needs its certificate');
  const certificates = request.chainDer.map((der) => pkijs.Certificate.fromBER(der));
  const leaf = certificates[0]!;
  const attributes = [
    new pkijs.Attribute({
      type: CMS_OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: request.contentType })],
    }),
    new pkijs.Attribute({
      type: CMS_OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: request.contentDigest })],
    }),
    new pkijs.Attribute({ type: CMS_OID.signingCertificateV2, values: [signingCertificateV2(leafDer, leaf)] }),
  ];
  // DER orders a SET OF by its members' encodings; verifiers hash the bytes as sent either way.
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: encoded.map((e) => e.a) });
  // The signature covers the attributes re-tagged as a universal SET (RFC 5652 §5.4).
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const signature = p1363ToDer(await request.sign(toSign));
  const unsigned = request.unsignedAttributes ? await request.unsignedAttributes(signature) : [];

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.ecdsaWithSha256 }),
    signature: new asn1js.OctetString({ valueHex: signature }),
    ...(unsigned.length > 0
      ? { unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: unsigned }) }
      : {}),
  });
  const encapsulated = request.content !== undefined;
  const signedData = new pkijs.SignedData({
    // RFC 5652 §5.1: version 3 when the content type is other than id-data.
    version: request.contentType === CMS_OID.data ? 1 : 3,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: request.contentType,
      ...(encapsulated ? { eContent: new asn1js.OctetString({ valueHex: request.content }) } : {}),
    }),
    ...(request.includeCertificates ? { certificates } : {}),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER(false));
}
