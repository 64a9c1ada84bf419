import { describe, expect, it } from 'vitest';
import { createCoseQrCodec, encodeQrText } from '../../src/adapters/cose/cose-qr-codec.ts';
import { type QrClaims, qrClaimsMap, readQrClaims } from '../../src/domain/verification/qr-claims.ts';

const TYPE_CODE = '11100000000013338W001';
const claims: QrClaims = {
  issuerCreditCode: '12440100455361428Y',
  issuedAt: 1795227330,
  licenceId: `1.2.156.3005.2.${TYPE_CODE}.12440100455361428Y.K7Q2M9X4B1C8D5E3F6G0.001.C`,
  status: { idx: 4711, uri: 'https://bc.example.cn/api/v1/status-lists/1' },
  certificateNo: 'Q440000001',
  newbornName: '李沐阳',
  newbornNameTruncated: false,
  sex: '2',
  birthTime: '2026-11-20T08:31+08:00',
  motherName: '王晓红',
  motherNameTruncated: false,
  issueDate: '2026-11-21',
  licenceDigest: 'vD5Q-A04EAZ_S0-Zg4_pE4nCy0IPLgsSd-Z0vUXptmE',
};
const kid8 = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
// A constant signature: zlib shortens this COSE_Sign1, so the two paths differ.
const signature = () => Promise.resolve(new Uint8Array(64).fill(7));

describe('a QR text made without trying zlib (back-issuance)', () => {
  it('is the plain COSE_Sign1 where zlib would have shortened it, and verifiers read the same claims', async () => {
    const zipped = await encodeQrText(qrClaimsMap(claims), kid8, signature);
    const plain = await encodeQrText(qrClaimsMap(claims), kid8, signature, { compress: false });
    expect(zipped.compressed).toBe(true);
    expect(plain.compressed).toBe(false);
    expect(plain.cose).toEqual(zipped.cose);
    expect(plain.text.length).toBeGreaterThan(zipped.text.length);
    const codec = createCoseQrCodec();
    const [a, b] = [codec.decode(zipped.text)!, codec.decode(plain.text)!];
    expect(readQrClaims(b.claims, TYPE_CODE)).toEqual(claims);
    expect(b.toBeSigned).toEqual(a.toBeSigned);
    expect(b.signature).toEqual(a.signature);
  });
});
