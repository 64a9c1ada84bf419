import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeX509 } from '../../src/adapters/pki/node-x509.ts';
import { fixtureRecords } from '../fixtures/records.ts';
import { startTestService, type TestService } from './harness.ts';
import { bornBefore, issueBirth, staffOf } from './lifecycle-helpers.ts';

let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
  await issueBirth(svc, await staffOf(svc, 'gz'), bornBefore(fixtureRecords[0]!, new Date(), 2));
});
afterAll(() => svc?.stop());

const partOf = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i]!, 'base64url').toString());

describe('GET /api/v1/trust-list names the status-list signers and the lists (for offline verifiers)', () => {
  it('carries the status-list signing certificate that signs the served status list tokens, under the root', async () => {
    const trustList = (await svc.request('GET', '/api/v1/trust-list')).body;
    expect(trustList.statusListSigners).toHaveLength(1);
    const [signer] = trustList.statusListSigners;
    expect(Object.keys(signer).sort()).toEqual(
      ['certificate', 'kid', 'notAfter', 'notBefore', 'retiredAt', 'revokedAt', 'status'].sort(),
    );
    expect(signer.status).toBe('active');
    const chain = nodeX509.checkChain(
      [nodeX509.x5cOf(signer.certificate)],
      nodeX509.x5cOf(trustList.root),
      'status-list-signing',
    );
    expect(chain.ok).toBe(true);

    expect(trustList.statusLists.length).toBeGreaterThanOrEqual(1);
    for (const uri of trustList.statusLists as string[]) {
      const res = await svc.request('GET', new URL(uri).pathname);
      expect(res.status).toBe(200);
      const token = Buffer.from(res.body).toString();
      expect(partOf(token, 1).sub).toBe(uri);
      expect(partOf(token, 0).kid).toBe(signer.kid);
      expect(partOf(token, 0).x5c).toEqual([nodeX509.x5cOf(signer.certificate)]);
    }
  });

  it('keeps every field it had before: the institution keys are not mixed with the status-list key', async () => {
    const trustList = (await svc.request('GET', '/api/v1/trust-list')).body;
    const signerKids = new Set(trustList.statusListSigners.map((s: { kid: string }) => s.kid));
    for (const issuer of trustList.issuers) {
      for (const key of issuer.keys) expect(signerKids.has(key.kid)).toBe(false);
      expect(issuer.certificates).toHaveLength(issuer.keys.length);
    }
    expect(Object.keys(trustList)).toEqual([
      'version',
      'issuedAt',
      'licenceTypeCode',
      'root',
      'issuers',
      'statusListSigners',
      'statusLists',
    ]);
  });
});
