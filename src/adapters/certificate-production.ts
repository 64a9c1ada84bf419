import type { CountryDirectory } from '../domain/codes/countries.ts';
import type { CertificateRenderer, CertificateSigner } from '../domain/lifecycle/ports.ts';
import type { DivisionDirectory } from '../domain/ports.ts';
import { certificateViewOf } from './certificate-view-of.ts';
import { licenceDigest } from './jws/licence-digest.ts';
import { signCredentials } from './jws/sign-credentials.ts';
import type { FileKeyStore } from './keystore/file-key-store.ts';
import { type FontSet, renderCertificatePdf } from './pdf/index.ts';
import type { PadesServices } from './pdf/sign-pdf.ts';

/** Both signatures with the issuing institution's current key, at the issue instant. */
export function createCertificateSigner(keyStore: FileKeyStore): CertificateSigner {
  return {
    async sign(payload, issuedAt) {
      const key = keyStore.activeKey(payload.certificate.issuer.creditCode);
      const signed = await signCredentials(payload, key, keyStore, { now: () => issuedAt });
      return {
        signedJson: JSON.stringify(signed.signedJson),
        qrText: signed.qr,
        licenceDigest: licenceDigest(signed.signedJson),
        kid: key.kid,
      };
    },
  };
}

/** The signed PDF, printed from the code tables, signed with the same institution key at the same instant. */
export function createCertificateRenderer(deps: {
  keyStore: FileKeyStore;
  fonts: FontSet;
  divisions: DivisionDirectory;
  countries: CountryDirectory;
  /** PAdES B-T … B-LTA when the trust domain has a timestamp authority (null: B-B). */
  pades?: () => PadesServices | null;
}): CertificateRenderer {
  return {
    render({ payload, signedJson, qrText, kid, issuedAt }) {
      return renderCertificatePdf({
        view: certificateViewOf(payload.certificate, deps),
        qrText,
        licenceId: payload.licence.id,
        signedJson,
        // The key that signed the e-licence; the key store refuses it if it was retired since.
        signingKey: deps.keyStore.signingKey(kid),
        keyStore: deps.keyStore,
        fonts: deps.fonts,
        now: issuedAt,
        pades: deps.pades?.() ?? null,
      });
    },
  };
}
