import type { ELicencePayload } from '../domain/certificate.ts';
import type { CountryDirectory } from '../domain/codes/countries.ts';
import type { CertificateRenderer, CertificateSigner } from '../domain/lifecycle/ports.ts';
import type { DivisionDirectory, SigningKey } from '../domain/ports.ts';
import { certificateViewOf } from './certificate-view-of.ts';
import { signCredentials } from './jws/sign-credentials.ts';
import type { SealedKeyStore } from './keystore/sealed-key-store.ts';
import { type FontSet, renderCertificatePdf } from './pdf/index.ts';
import type { PdfRenderJob, PdfRenderPool } from './pdf/render-pool.ts';
import type { PadesServices } from './pdf/sign-pdf.ts';

/**
 * Both signatures with the issuing institution's current key, at the issue instant. Options for
 * bulk signing (back-issuance): `activeKey` may answer from a memo (one key lookup per batch, not
 * per certificate), and `compressQr: false` skips trying zlib on the QR (see encodeQrText).
 */
export function createCertificateSigner(
  keyStore: SealedKeyStore,
  options: { activeKey?: (institutionCreditCode: string) => SigningKey; compressQr?: boolean } = {},
): CertificateSigner {
  const signOptions = options.compressQr === undefined ? {} : { compressQr: options.compressQr };
  const { activeKey } = options;
  // With a memo, each signature checks the key; otherwise the lookup that finds it active does.
  const signerFor = (code: string) => (activeKey ? { key: activeKey(code), keyStore } : keyStore.activeSigner(code));
  return {
    async sign(payload, issuedAt) {
      const { key, keyStore: signing } = signerFor(payload.certificate.issuer.creditCode);
      const signed = await signCredentials(payload, key, signing, { now: () => issuedAt }, signOptions);
      return {
        signedJson: JSON.stringify(signed.signedJson),
        qrText: signed.qr,
        licenceDigest: signed.licenceDigest,
        kid: key.kid,
      };
    },
  };
}

/** The named key, or (null) the issuing institution's current one. */
const pdfSigningKey = (keyStore: SealedKeyStore, kid: string | null, payload: ELicencePayload) =>
  kid === null ? keyStore.activeKey(payload.certificate.issuer.creditCode) : keyStore.signingKey(kid);

/** The signed PDF, printed from the code tables, signed with the same institution key at the same instant. */
export function createCertificateRenderer(deps: {
  keyStore: SealedKeyStore;
  fonts: FontSet;
  divisions: DivisionDirectory;
  countries: CountryDirectory;
  /** PAdES B-T … B-LTA when the trust domain has a timestamp authority (null: B-B). */
  pades?: () => PadesServices | null;
}): CertificateRenderer {
  return {
    canSignWith: (kid) => deps.keyStore.canSign(kid),
    render({ payload, signedJson, qrText, kid, issuedAt }) {
      return renderCertificatePdf({
        view: certificateViewOf(payload.certificate, deps),
        qrText,
        licenceId: payload.licence.id,
        signedJson,
        // The key that signed the e-licence; the key store refuses it if it was retired since.
        signingKey: pdfSigningKey(deps.keyStore, kid, payload),
        keyStore: deps.keyStore,
        fonts: deps.fonts,
        now: issuedAt,
        pades: deps.pades?.() ?? null,
      });
    },
  };
}

/** The same PDF as createCertificateRenderer's, rendered and signed by a worker thread of the pool. */
export function createPooledCertificateRenderer(deps: {
  pool: PdfRenderPool;
  keyStore: SealedKeyStore;
  divisions: DivisionDirectory;
  countries: CountryDirectory;
  /** The TSA key and the DSS contents for B-T … B-LTA (null: B-B). */
  pades: () => Promise<PdfRenderJob['pades']>;
}): CertificateRenderer {
  return {
    canSignWith: (kid) => deps.keyStore.canSign(kid),
    async render({ payload, signedJson, qrText, kid, issuedAt }) {
      return deps.pool.render({
        view: certificateViewOf(payload.certificate, deps),
        qrText,
        licenceId: payload.licence.id,
        signedJson,
        // Looked up here: the key store refuses a key retired since, before any work is queued.
        signingKey: pdfSigningKey(deps.keyStore, kid, payload),
        nowMs: issuedAt.getTime(),
        pades: await deps.pades(),
      });
    },
  };
}
