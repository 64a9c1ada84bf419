import { createHash } from 'node:crypto';
import { algorithm, children, contextTag, oid, readElement, smallInteger, TAG, tlv } from './der.ts';

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

/** The parts of an X.509 certificate a SignerInfo names it by, read once per certificate. */
interface CertificateParts {
  der: Uint8Array;
  /** The issuer Name and the serialNumber INTEGER, DER, exactly as in the certificate. */
  issuer: Uint8Array;
  serialNumber: Uint8Array;
  /** ESS SigningCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256, the DEFAULT, so omitted). */
  signingCertificateV2: Uint8Array;
}

function readCertificateParts(der: Uint8Array): CertificateParts {
  const [tbs] = children(readElement(der).value);
  if (!tbs) throw new TypeError('not an X.509 certificate');
  const fields = children(tbs.value);
  // TBSCertificate: [0] version (absent for v1), serialNumber, signature, issuer, …
  const at = fields[0]?.tag === contextTag(0) ? 1 : 0;
  const serialNumber = fields[at]?.der;
  const issuer = fields[at + 2]?.der;
  if (!serialNumber || !issuer) throw new TypeError('not an X.509 certificate');
  // IssuerSerial { GeneralNames { directoryName [4] EXPLICIT Name }, serialNumber }
  const issuerSerial = tlv(TAG.sequence, tlv(TAG.sequence, tlv(contextTag(4), issuer)), serialNumber);
  const essCertId = tlv(TAG.sequence, tlv(TAG.octetString, sha256(der)), issuerSerial);
  return {
    der,
    issuer,
    serialNumber,
    signingCertificateV2: tlv(TAG.sequence, tlv(TAG.sequence, essCertId)),
  };
}

/** Certificates by their DER: the same few (institution, intermediate, TSA) sign every PDF. */
const parsedCertificates = new Map<string, CertificateParts>();
const PARSED_CERTIFICATES_KEPT = 256;

function certificateParts(der: Uint8Array): CertificateParts {
  const key = Buffer.from(der.buffer, der.byteOffset, der.length).toString('base64');
  let parts = parsedCertificates.get(key);
  if (!parts) {
    parts = readCertificateParts(der);
    if (parsedCertificates.size >= PARSED_CERTIFICATES_KEPT) parsedCertificates.clear();
    parsedCertificates.set(key, parts);
  }
  return parts;
}

/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF value } with one value, DER. */
export const attribute = (type: string, value: Uint8Array) => tlv(TAG.sequence, oid(type), tlv(TAG.set, value));

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
  /** Adds unsigned attributes (DER `Attribute`s) once the signature value is known (the signature timestamp). */
  unsignedAttributes?: (signatureValue: Uint8Array) => Promise<Uint8Array[]>;
}

/** pkijs splits an encapsulated OCTET STRING into a constructed one of 64 KiB pieces; written the same way. */
function encapsulatedContent(content: Uint8Array): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < content.length; at += 65536) {
    pieces.push(tlv(TAG.octetString, content.subarray(at, Math.min(content.length, at + 65536))));
  }
  return tlv(contextTag(0), tlv(TAG.constructedOctetString, ...pieces));
}

/**
 * CMS SignedData with one signer (ECDSA P-256 / SHA-256) and the signed attributes content-type,
 * message-digest and signing-certificate-v2 — no signing-time: in a PDF the /M entry carries the
 * claimed time and a timestamp the proven one. Written as DER directly (der.ts), byte for byte
 * the encoding pkijs gives the same structure (node-forge cannot handle ECDSA and double-encodes
 * UTF-8 distinguished names); the certificates are copied as they are.
 */
export async function createSignedData(request: SignedDataRequest): Promise<Uint8Array> {
  if (!request.chainDer[0]) throw new TypeError('A CMS signer needs its certificate');
  const certificates = request.chainDer.map(certificateParts);
  const leaf = certificates[0]!;
  // DER orders a SET OF by its members' encodings; verifiers hash the bytes as sent either way.
  const attributes = [
    attribute(CMS_OID.contentType, oid(request.contentType)),
    attribute(CMS_OID.messageDigest, tlv(TAG.octetString, request.contentDigest)),
    attribute(CMS_OID.signingCertificateV2, leaf.signingCertificateV2),
  ].sort((x, y) => Buffer.compare(x, y));
  // The signature covers the attributes as a universal SET (RFC 5652 §5.4); the SignerInfo holds them as [0] IMPLICIT.
  const toSign = tlv(TAG.set, ...attributes);
  const signature = p1363ToDer(await request.sign(toSign));
  const unsigned = request.unsignedAttributes ? await request.unsignedAttributes(signature) : [];
  const signedAttrs = toSign.slice();
  signedAttrs[0] = contextTag(0);

  const signerInfo = tlv(
    TAG.sequence,
    smallInteger(1),
    tlv(TAG.sequence, leaf.issuer, leaf.serialNumber),
    algorithm(CMS_OID.sha256),
    signedAttrs,
    algorithm(CMS_OID.ecdsaWithSha256),
    tlv(TAG.octetString, signature),
    ...(unsigned.length > 0 ? [tlv(contextTag(1), ...unsigned)] : []),
  );
  const encapsulated = request.content !== undefined;
  const signedData = tlv(
    TAG.sequence,
    // RFC 5652 §5.1: version 3 when the content type is other than id-data.
    smallInteger(request.contentType === CMS_OID.data ? 1 : 3),
    tlv(TAG.set, algorithm(CMS_OID.sha256)),
    tlv(
      TAG.sequence,
      oid(request.contentType),
      ...(encapsulated ? [encapsulatedContent(request.content as Uint8Array)] : []),
    ),
    ...(request.includeCertificates ? [tlv(contextTag(0), ...certificates.map((c) => c.der))] : []),
    tlv(TAG.set, signerInfo),
  );
  return tlv(TAG.sequence, oid(CMS_OID.signedData), tlv(contextTag(0), signedData));
}
