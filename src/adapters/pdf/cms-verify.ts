import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './cms.ts';

export interface CmsCheck {
  /** The digest of the signed bytes matches and the signature verifies with the signer's certificate. */
  intact: boolean;
  /** Why not intact; empty when intact. */
  detail: string;
  signerCertDer: Uint8Array | null;
  /** Every certificate the CMS carries, the signer's first. */
  chainDer: Uint8Array[];
  signingTime: Date | null;
  /** The signature timestamp (unsigned attribute), intact over the signature value; null when absent. */
  timestamp: TimestampCheck | null;
}

export interface TimestampCheck {
  genTime: Date;
  /** The TSA's certificate first, then any other the token carries. */
  chainDer: Uint8Array[];
}

function attributeValue(attrs: pkijs.SignedAndUnsignedAttributes, type: string): unknown {
  return attrs.attributes.find((a) => a.type === type)?.values[0];
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function certDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema().toBER(false));
}

/** The ESS signing-certificate-v2 hash, when present, must name the signer's certificate. */
function signingCertMatches(attrs: pkijs.SignedAndUnsignedAttributes, signerDer: Uint8Array): boolean {
  const value = attributeValue(attrs, OID.signingCertificateV2);
  if (value === undefined) return true;
  const essCertId = (value as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence | undefined;
  const first = (essCertId?.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value;
  if (!first) return false;
  // hashAlgorithm is OPTIONAL with DEFAULT SHA-256; only SHA-256 is accepted.
  let hashIndex = 0;
  if (first[0] instanceof asn1js.Sequence) {
    const alg = new pkijs.AlgorithmIdentifier({ schema: first[0] });
    if (alg.algorithmId !== OID.sha256) return false;
    hashIndex = 1;
  }
  const hash = first[hashIndex];
  if (!(hash instanceof asn1js.OctetString)) return false;
  return equalBytes(new Uint8Array(hash.valueBlock.valueHexView), createHash('sha256').update(signerDer).digest());
}

/**
 * Checks a detached CMS SignedData over `content` with the certificate it carries. Trust in that
 * certificate is not decided here: the caller checks signerCertDer against its trust list.
 */
export function verifyDetachedCms(cms: Uint8Array, content: Uint8Array[]): CmsCheck {
  return verifyCms(cms, content, OID.data);
}

/** Whether a CMS is an RFC 3161 timestamp token (a document timestamp) rather than a signature. */
export function isTimestampToken(cms: Uint8Array): boolean {
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn1js.fromBER(cms).result });
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    return signedData.encapContentInfo.eContentType === OID.tstInfo;
  } catch {
    return false;
  }
}

const DIGEST_NAMES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/**
 * An RFC 3161 timestamp token over `imprintedData`: the TSA's CMS signature over the TSTInfo holds
 * and the TSTInfo's message imprint is the digest of the data. Trust in the TSA is the caller's.
 */
export function verifyTimestampToken(token: Uint8Array, imprintedData: Uint8Array[]): TimestampCheck | null {
  const check = verifyCms(token, null, OID.tstInfo);
  if (!check.intact || !check.signerCertDer || !check.eContent) return null;
  try {
    const tstInfo = new pkijs.TSTInfo({ schema: asn1js.fromBER(check.eContent).result });
    const digestName = DIGEST_NAMES[tstInfo.messageImprint.hashAlgorithm.algorithmId];
    if (!digestName) return null;
    const hash = createHash(digestName);
    for (const part of imprintedData) hash.update(part);
    const imprint = new Uint8Array(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
    if (!equalBytes(imprint, hash.digest())) return null;
    return { genTime: tstInfo.genTime, chainDer: check.chainDer };
  } catch {
    return null;
  }
}

function verifyCms(
  cms: Uint8Array,
  content: Uint8Array[] | null,
  contentTypeOid: string,
): CmsCheck & { eContent?: Uint8Array } {
  const fail = (detail: string, partial: Partial<CmsCheck> = {}): CmsCheck => ({
    intact: false,
    detail,
    signerCertDer: null,
    chainDer: [],
    signingTime: null,
    timestamp: null,
    ...partial,
  });
  let signedData: pkijs.SignedData;
  try {
    const asn1 = asn1js.fromBER(cms);
    if (asn1.offset === -1) return fail('CMS is not DER');
    const contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
    if (contentInfo.contentType !== OID.signedData) return fail('CMS is not SignedData');
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch {
    return fail('CMS structure is invalid');
  }
  const certificates = (signedData.certificates ?? []).filter((c) => c instanceof pkijs.Certificate);
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) return fail('CMS must have exactly one signer');
  const sid = signerInfo.sid;
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : undefined;
  if (!signer) return fail("CMS does not carry the signer's certificate");
  const signerCertDer = certDer(signer);
  const chainDer = [signerCertDer, ...certificates.filter((c) => c !== signer).map(certDer)];
  const attrs = signerInfo.signedAttrs;
  const signingTimeValue = attrs ? attributeValue(attrs, OID.signingTime) : undefined;
  const signingTime =
    signingTimeValue instanceof asn1js.UTCTime || signingTimeValue instanceof asn1js.GeneralizedTime
      ? signingTimeValue.toDate()
      : null;
  const found = { signerCertDer, chainDer, signingTime, timestamp: null };
  const eContentOctets = signedData.encapContentInfo.eContent;
  const eContent = eContentOctets ? new Uint8Array(eContentOctets.getValue()) : undefined;
  if (signedData.encapContentInfo.eContentType !== contentTypeOid) return fail('unexpected content type', found);
  // A detached signature signs the PDF's byte ranges; a timestamp token its encapsulated TSTInfo.
  const signedContent = content ?? (eContent ? [eContent] : null);
  if (!signedContent) return fail('CMS has no content', found);

  if (signerInfo.digestAlgorithm.algorithmId !== OID.sha256) return fail('digest algorithm is not SHA-256', found);
  if (!attrs) return fail('CMS has no signed attributes', found);
  const contentType = attributeValue(attrs, OID.contentType);
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.getValue() !== contentTypeOid) {
    return fail('content-type attribute does not name the content', found);
  }
  const digest = attributeValue(attrs, OID.messageDigest);
  const hash = createHash('sha256');
  for (const part of signedContent) hash.update(part);
  if (
    !(digest instanceof asn1js.OctetString) ||
    !equalBytes(new Uint8Array(digest.valueBlock.valueHexView), hash.digest())
  ) {
    return fail('the signed bytes do not match the message digest', found);
  }
  if (!signingCertMatches(attrs, signerCertDer)) return fail('signing-certificate-v2 names another certificate', found);
  let valid = false;
  try {
    const key = new X509Certificate(signerCertDer).publicKey;
    valid = verifySignature(
      'sha256',
      new Uint8Array(attrs.encodedValue),
      { key, dsaEncoding: 'der' },
      new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
    );
  } catch {
    valid = false;
  }
  if (!valid) return fail("the signature does not verify with the signer's certificate", found);
  const token = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === OID.timeStampToken)?.values[0];
  let timestamp: TimestampCheck | null = null;
  if (token && contentTypeOid === OID.data) {
    // RFC 3161 Appendix A: the token's imprint is over the signature value.
    timestamp = verifyTimestampToken(new Uint8Array((token as asn1js.BaseBlock).toBER(false)), [
      new Uint8Array(signerInfo.signature.valueBlock.valueHexView),
    ]);
    if (!timestamp) return fail('the signature timestamp does not hold', found);
  }
  return { intact: true, detail: '', ...found, timestamp, ...(eContent ? { eContent } : {}) };
}
