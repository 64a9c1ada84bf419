/**
 * Known answers for the browser's offline verifier (public/offline-verify.js, run here under
 * node's WebCrypto): every QR vector gives the verdict the service's own offline path gives
 * (the offline bundle of the same vectors opened and verified by src/domain), with the trust
 * list as GET /api/v1/trust-list publishes it and the bundle's status list token.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStatusList, verifyQrOffline } from '../../public/offline-verify.js';
import { createNodeJwsVerifier } from '../../src/adapters/jws/node-jws-verifier.ts';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { zlibCompression } from '../../src/adapters/status-lists/zlib-compression.ts';
import { buildTrustList } from '../../src/domain/trust/build-trust-list.ts';
import { openOfflineBundle } from '../../src/domain/trust/open-offline-bundle.ts';
import { verify } from '../../src/domain/verification/verify.ts';
import { loadVectors } from '../vectors/load-vectors.ts';

const { vectors, context, qr, clock, bundleFile } = loadVectors();
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
const opened = openOfflineBundle(bundle, { x509: nodeX509, compression: zlibCompression }, { clock });
const serverPorts = { trust: opened.trust, register: opened.register, qr, jws: createNodeJwsVerifier(), clock };
const tokens: string[] = JSON.parse(Buffer.from(bundle.payload, 'base64url').toString()).statusLists;
const subOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string;

const root = context.keys.find((key) => key.purpose === 'root')!;
const trustList = buildTrustList({
  rootX509Pem: root.x509Pem,
  keys: context.keys,
  licenceTypeCode: context.licenceTypeCode,
  issuedAt: new Date(context.now),
  statusListUris: tokens.map(subOf),
});
const now = Date.parse(context.now);
const statusListOf = async (uri: string) => tokens.find((token) => subOf(token) === uri) ?? null;
const qrVectors = vectors.filter((vector) => vector.input.qr !== undefined && vector.input.signedJson === undefined);

describe('the browser offline verifier gives the service offline verdict on every QR vector', () => {
  it('covers valid, void, tampered, high-S, wrong and unknown kid, untrusted and revoked issuers, malformed', () => {
    const names = qrVectors.map((vector) => vector.name);
    for (const name of ['valid-qr', 'void', 'qr-payload-altered', 'high-s-qr', 'qr-kid-swapped', 'qr-wrong-key']) {
      expect(names).toContain(name);
    }
    for (const name of ['unknown-kid', 'issuer-revoked-before-signing', 'bad-base45', 'truncated']) {
      expect(names).toContain(name);
    }
  });

  it.each(qrVectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const server = await verify(vector.input, serverPorts);
    const browser = await verifyQrOffline(vector.input.qr, { trustList, statusListOf, now });
    const { householdRegistered: _ignored, ...serverVerdict } = server;
    expect(browser).toEqual(serverVerdict);
  });

  it('the genuine QR: signature valid, status valid as of the list, the claims as the service reads them', async () => {
    const result = await verifyQrOffline(qrVectors.find((v) => v.name === 'valid-qr')!.input.qr, {
      trustList,
      statusListOf,
      now,
    });
    expect(result).toMatchObject({ valid: true, status: 'valid', statusAsOf: '2026-12-01T00:00:00.000Z' });
    expect(result.certificate).toMatchObject({
      certificateNo: 'Q440000001',
      newborn: { name: '李沐阳', sex: '1' },
      mother: { name: '王晓红' },
      issuer: { creditCode: '12440100455361428Y' },
    });
  });
});

describe('status lists in the browser', () => {
  const valid = qrVectors.find((v) => v.name === 'valid-qr')!.input.qr;

  it('without the list of the credential the status is unavailable, the signature still judged', async () => {
    const result = await verifyQrOffline(valid, { trustList, statusListOf: async () => null, now });
    expect(result).toMatchObject({ valid: false, status: 'unknown', reason: 'STATUS_UNAVAILABLE' });
    expect(result.checks).toEqual([
      { name: 'format', result: 'pass' },
      { name: 'signature', result: 'pass' },
      { name: 'issuer', result: 'pass' },
      { name: 'status', result: 'fail' },
    ]);
  });

  it('a list past its exp is not believed', async () => {
    const exp = JSON.parse(Buffer.from(tokens[0]!.split('.')[1]!, 'base64url').toString()).exp as number;
    const result = await verifyQrOffline(valid, { trustList, statusListOf, now: exp * 1000 });
    expect(result.reason).toBe('STATUS_UNAVAILABLE');
  });

  it('a list is believed only when its signer is a status-list signer of the trust list', async () => {
    const token = tokens[0]!;
    expect(await openStatusList(token, subOf(token), trustList)).toMatchObject({ uri: subOf(token) });
    expect(await openStatusList(token, subOf(token), { ...trustList, statusListSigners: [] })).toBeNull();
    // A list for another URI than the credential names, and a list with one bit of its signature changed.
    expect(await openStatusList(token, 'https://bc.example.cn/api/v1/status-lists/2', trustList)).toBeNull();
    const [h, p, s] = token.split('.') as [string, string, string];
    const flipped = Buffer.from(s, 'base64url');
    flipped[10]! ^= 1;
    expect(await openStatusList(`${h}.${p}.${flipped.toString('base64url')}`, subOf(token), trustList)).toBeNull();
  });
});
