import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderPool, type PdfRenderJob, type PdfRenderPool } from '../../src/adapters/pdf/render-pool.ts';
import { createTestPki, fixtureView, type TestPki } from './pdf-test-kit.ts';

let pki: TestPki;
let pool: PdfRenderPool;

/** The fixture worker asks to sign with the kid it finds in `licenceId`. */
const jobAsking = (kid: string, pades: PdfRenderJob['pades'] = null): PdfRenderJob => ({
  view: fixtureView(0),
  qrText: 'unused',
  licenceId: kid,
  signedJson: '{}',
  signingKey: pki.signingKey,
  nowMs: 0,
  pades,
});

beforeAll(async () => {
  pki = await createTestPki();
  pool = createPdfRenderPool({
    keyStore: pki.keyStore,
    clock: { now: () => new Date() },
    threads: 1,
    entry: new URL('./fixtures/key-asking-render-worker.ts', import.meta.url),
  });
  await pool.ready();
});
afterAll(async () => {
  await pool?.close();
});

describe('the render pool’s key store over the port', () => {
  it('signs with the key of the job the worker holds', async () => {
    const signature = await pool.render(jobAsking(pki.signingKey.kid));
    const publicKey = createPublicKey({ key: pki.signingKey.publicJwk, format: 'jwk' });
    const data = new TextEncoder().encode('to be signed');
    const valid = [undefined, 'ieee-p1363' as const].some((dsaEncoding) =>
      verify('sha256', data, { key: publicKey, ...(dsaEncoding && { dsaEncoding }) }, signature),
    );
    expect(valid).toBe(true);
  });

  it('refuses a key the key store holds when it is not the job’s', async () => {
    const job = { ...jobAsking(pki.signingKey.kid), signingKey: { ...pki.signingKey, kid: 'the-key-of-this-job' } };
    await expect(pool.render(job)).rejects.toThrow('PDF rendering failed: signature refused: not a key of this job');
  });

  it('allows the job’s timestamp authority key', async () => {
    const other = { ...pki.signingKey, kid: 'the-institution-key-of-this-job' };
    const job = {
      ...jobAsking(pki.signingKey.kid, {
        tsa: { kid: pki.signingKey.kid, x509Pem: '' },
        validationData: { certificates: [], crls: [] },
      }),
      signingKey: other,
    };
    expect((await pool.render(job)).length).toBeGreaterThan(0);
  });
});
