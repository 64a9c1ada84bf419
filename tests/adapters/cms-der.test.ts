/**
 * The CMS SignedData and TSTInfo written as DER by hand (src/adapters/pki/der.ts) are byte for
 * byte what pkijs encodes for the same structure — pkijs, as the PDF signatures were made before,
 * is the reference here. The ECDSA value is fixed so that both encodings sign the same bytes.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CMS_OID, createSignedData, sha256 } from '../../src/adapters/pki/cms-signed-data.ts';
import { oid, readElement, smallInteger, tlv } from '../../src/adapters/pki/der.ts';
import { encodeTstInfo, TSA_POLICY } from '../../src/adapters/pki/timestamp-authority.ts';
import { createTestPki, type TestPki } from './pdf-test-kit.ts';

/** r‖s with high bits set in both halves, so both DER INTEGERs need their zero prefix. */
const FIXED_SIGNATURE = new Uint8Array(64).map((_, i) => (i === 0 || i === 32 ? 0x80 | i : (i * 37) & 0xff));

function signingCertificateV2(certDer: Uint8Array, cert: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
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

/** The pkijs construction the PDF signer used before the DER writer. */
function pkijsSignedData(options: {
  contentType: string;
  content?: Uint8Array;
  contentDigest: Uint8Array;
  chainDer: Uint8Array[];
  includeCertificates: boolean;
  unsigned?: Uint8Array;
}): { der: Uint8Array; toSign: Uint8Array } {
  const certificates = options.chainDer.map((der) => pkijs.Certificate.fromBER(der));
  const leaf = certificates[0]!;
  const attributes = [
    new pkijs.Attribute({
      type: CMS_OID.contentType,
      values: [new asn1js.ObjectIdentifier({ value: options.contentType })],
    }),
    new pkijs.Attribute({
      type: CMS_OID.messageDigest,
      values: [new asn1js.OctetString({ valueHex: options.contentDigest })],
    }),
    new pkijs.Attribute({
      type: CMS_OID.signingCertificateV2,
      values: [signingCertificateV2(options.chainDer[0]!, leaf)],
    }),
  ];
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: encoded.map((e) => e.a) });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const signature = new Uint8Array(
    new asn1js.Sequence({
      value: [
        new asn1js.Integer({ valueHex: new Uint8Array([0, ...FIXED_SIGNATURE.subarray(0, 32)]) }),
        new asn1js.Integer({ valueHex: new Uint8Array([0, ...FIXED_SIGNATURE.subarray(32)]) }),
      ],
    }).toBER(false),
  );
  const unsigned = options.unsigned
    ? [new pkijs.Attribute({ type: CMS_OID.timeStampToken, values: [asn1js.fromBER(options.unsigned).result] })]
    : [];
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
  const signedData = new pkijs.SignedData({
    version: options.contentType === CMS_OID.data ? 1 : 3,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: options.contentType,
      ...(options.content ? { eContent: new asn1js.OctetString({ valueHex: options.content }) } : {}),
    }),
    ...(options.includeCertificates ? { certificates } : {}),
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) });
  return { der: new Uint8Array(contentInfo.toSchema().toBER(false)), toSign };
}

let pki: TestPki;
let chain: Uint8Array[];

beforeAll(async () => {
  pki = await createTestPki();
  chain = [...pki.signingKey.x5c.map((b64) => new Uint8Array(Buffer.from(b64, 'base64'))), pki.rootDer];
});

describe('CMS SignedData written as DER', () => {
  it('equals the pkijs encoding of a detached PAdES signature with a timestamp token attribute', async () => {
    const token = pkijsSignedData({
      contentType: CMS_OID.tstInfo,
      content: new Uint8Array(300).fill(7),
      contentDigest: sha256(new Uint8Array(300).fill(7)),
      chainDer: chain,
      includeCertificates: true,
    }).der;
    const digest = sha256(new TextEncoder().encode('the signed byte ranges'));
    const reference = pkijsSignedData({
      contentType: CMS_OID.data,
      contentDigest: digest,
      chainDer: chain,
      includeCertificates: true,
      unsigned: token,
    });
    let signedAttributes: Uint8Array | null = null;
    const der = await createSignedData({
      contentType: CMS_OID.data,
      contentDigest: digest,
      chainDer: chain,
      includeCertificates: true,
      sign: async (attributes) => {
        signedAttributes = attributes;
        return FIXED_SIGNATURE;
      },
      unsignedAttributes: async () => [tlv(0x30, oid(CMS_OID.timeStampToken), tlv(0x31, token))],
    });
    expect(Buffer.from(signedAttributes!).toString('hex')).toBe(Buffer.from(reference.toSign).toString('hex'));
    expect(Buffer.from(der).toString('hex')).toBe(Buffer.from(reference.der).toString('hex'));
  });

  it('equals the pkijs encoding of an encapsulated TSTInfo token, with and without certificates', async () => {
    // Longer than 64 KiB: pkijs splits the content into pieces of a constructed OCTET STRING.
    for (const content of [new Uint8Array(180).fill(3), new Uint8Array(70_000).fill(5)]) {
      for (const includeCertificates of [true, false]) {
        const reference = pkijsSignedData({
          contentType: CMS_OID.tstInfo,
          content,
          contentDigest: sha256(content),
          chainDer: chain.slice(0, 1),
          includeCertificates,
        });
        const der = await createSignedData({
          contentType: CMS_OID.tstInfo,
          content,
          contentDigest: sha256(content),
          chainDer: chain.slice(0, 1),
          includeCertificates,
          sign: async () => FIXED_SIGNATURE,
        });
        expect(Buffer.from(der).toString('hex')).toBe(Buffer.from(reference.der).toString('hex'));
      }
    }
  });
});

describe('TSTInfo written as DER', () => {
  it('equals the pkijs encoding, with and without a nonce', () => {
    const serialBytes = new Uint8Array(16).fill(0x5a);
    const genTime = new Date('2026-11-20T02:00:07.000Z');
    for (const nonce of [null, new Uint8Array([0x00, 0x91, 0x22]), new Uint8Array([0x7f])]) {
      const query = { hashAlgorithm: CMS_OID.sha256, hashedMessage: sha256(new Uint8Array([1])), nonce, certReq: true };
      const reference = new pkijs.TSTInfo({
        version: 1,
        policy: TSA_POLICY,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: query.hashAlgorithm }),
          hashedMessage: new asn1js.OctetString({ valueHex: query.hashedMessage }),
        }),
        serialNumber: new asn1js.Integer({ valueHex: serialBytes }),
        genTime,
        accuracy: new pkijs.Accuracy({ seconds: 1 }),
        ...(nonce ? { nonce: new asn1js.Integer({ valueHex: nonce }) } : {}),
      });
      const der = encodeTstInfo(query, genTime, tlv(0x02, serialBytes));
      expect(Buffer.from(der).toString('hex')).toBe(Buffer.from(reference.toSchema().toBER(false)).toString('hex'));
    }
  });

  it('writes lengths of one, two and three bytes and small integers as DER', () => {
    expect(readElement(tlv(0x04, new Uint8Array(200))).value.length).toBe(200);
    expect([...tlv(0x04, new Uint8Array(300)).subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
    expect([...tlv(0x04, new Uint8Array(70_000)).subarray(0, 5)]).toEqual([0x04, 0x83, 0x01, 0x11, 0x70]);
    expect([...smallInteger(128)]).toEqual([0x02, 0x02, 0x00, 0x80]);
    expect([...smallInteger(0)]).toEqual([0x02, 0x01, 0x00]);
  });
});
