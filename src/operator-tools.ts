import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedBackfillRows } from './adapters/backfill/backfill-rows.ts';
import { bitsetGlyphCoverage } from './adapters/backfill/glyph-bitset.ts';
import { glyphBitsetOf } from './adapters/backfill/glyph-bitset-of.ts';
import { createCertificateSigner } from './adapters/certificate-production.ts';
import { createCoseQrCodec } from './adapters/cose/cose-qr-codec.ts';
import { countryDirectory } from './adapters/countries.ts';
import { divisionDirectory } from './adapters/divisions.ts';
import { createNodeJwsVerifier } from './adapters/jws/node-jws-verifier.ts';
import { createAuditKey } from './adapters/keystore/audit-key.ts';
import type { EncryptedKeyFile } from './adapters/keystore/encrypted-key-file.ts';
import { openKeyStore } from './adapters/keystore/open-key-store.ts';
import { loadFonts, pdfInspector } from './adapters/pdf/index.ts';
import { createPageChecker } from './adapters/pdf/page-check.ts';
import { appendDocumentTimestamp, appendDss } from './adapters/pdf/sign-pdf.ts';
import { nodeX509 } from './adapters/pki/node-x509.ts';
import { derToPem } from './adapters/pki/pem.ts';
import { nodeTimestampTokens } from './adapters/pki/timestamp-authority.ts';
import { createScryptPasswordHasher } from './adapters/scrypt-password-hasher.ts';
import { nodeSecrets } from './adapters/secrets.ts';
import { createSqlAccountRepository } from './adapters/sql/account-repository.ts';
import { createSqlAuditCheckpointStore } from './adapters/sql/audit-checkpoint-store.ts';
import { createSqlAuditLog } from './adapters/sql/audit-log.ts';
import { createSqlStoredPdfs } from './adapters/sql/certificate-pdf-store.ts';
import { createSqlCrlStore } from './adapters/sql/crl-store.ts';
import { createSqlIdentityStore } from './adapters/sql/identity-store.ts';
import { createSqlInstitutionRepository } from './adapters/sql/institution-repository.ts';
import { openStorage } from './adapters/sql/open-storage.ts';
import { createSqlSealedKeyVault } from './adapters/sql/sealed-key-vault.ts';
import { createSqlSignInThrottle } from './adapters/sql/sign-in-throttle-store.ts';
import { createSqlTokenStore } from './adapters/sql/token-store.ts';
import { zlibCompression } from './adapters/status-lists/zlib-compression.ts';
import { zxcvbnPasswordStrength } from './adapters/zxcvbn-password-strength.ts';
import { backfillPortsOf } from './backfill-tools.ts';
import type { Config } from './config.ts';
import type { AccountAdministration } from './domain/accounts/account-administration.ts';
import { createAuditCheckpointer } from './domain/audit/audit-checkpoint.ts';
import { DomainError } from './domain/errors.ts';
import { type BackfillPorts, inProcessBackfillWorkers } from './domain/lifecycle/backfill.ts';
import { retimestampPdfs } from './domain/maintenance/retimestamp-pdfs.ts';
import { type Clock, systemClock } from './domain/ports.ts';
import type { KeyAdministration } from './domain/trust/key-administration.ts';
import { provisionTimestampAuthority } from './domain/trust/provision-signing-key.ts';
import { type CrlPublication, signCrl } from './domain/trust/publish-crl.ts';
import type { TimestampAuthority } from './domain/trust/timestamp-authority.ts';
import { padesServicesOf } from './service.ts';
import { keyPassphrase } from './setup/key-passphrase.ts';
import { createCertificateValidator } from './validation/validator.ts';

/**
 * What the operator CLI works with: the service database with its institutions, accounts and
 * audit log, and — opened only by the commands that need it — key administration.
 */
export function openOperatorTools(
  config: Config,
  clock: Clock = systemClock,
  options: { /** A sealed root key from offline custody, held for this run only. */ rootKeyFile?: string } = {},
) {
  const sql = openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl ?? undefined });
  const offlineKeys = options.rootKeyFile ? [readSealedKeyFile(options.rootKeyFile)] : undefined;
  /** The key store over the database's sealed keys (and the root brought for this run, if any). */
  const keys = () =>
    openKeyStore({ ...config, keyPassphrase: keyPassphrase(config) }, sql, clock, undefined, offlineKeys);
  const institutions = createSqlInstitutionRepository(sql);
  const accounts = createSqlAccountRepository(sql);
  const audit = createSqlAuditLog(sql);
  const hasher = createScryptPasswordHasher();
  const accountAdministration: AccountAdministration = {
    accounts,
    tokens: createSqlTokenStore(sql),
    throttle: createSqlSignInThrottle(sql),
    hasher,
    strength: zxcvbnPasswordStrength,
    audit,
    clock,
  };
  return {
    institutions,
    accounts,
    accountAdministration,
    /** Links of staff accounts to identity-provider subjects (link-identity, unlink-identity). */
    identityLinks: { accounts, store: createSqlIdentityStore(sql), audit, clock },
    audit,
    hasher,
    passwordStrength: zxcvbnPasswordStrength,
    divisions: divisionDirectory,
    clock,
    keyAdministration(): KeyAdministration {
      const { keyStore, repository } = keys();
      return {
        keyStore,
        register: repository,
        x509: nodeX509,
        institutions,
        audit,
        clock,
        publicBaseUrl: config.publicBaseUrl,
      };
    },
    /** Re-signs the root's CRL now (the root key must be in this key store). */
    async publishCrl() {
      const { keyStore, repository } = keys();
      return signCrl({ register: repository, keyStore, x509: nodeX509, crls: createSqlCrlStore(sql), clock });
    },
    /**
     * Re-timestamps the stored PDFs whose newest timestamp's TSA certificate ends within
     * `withinDays` (renewing the TSA first when its own certificate does).
     */
    async retimestampPdfs(withinDays: number) {
      const { keyStore, repository } = keys();
      const rootKeyHere = (kid: string) => keyStore.holdsKey(kid);
      const crls: CrlPublication = {
        register: repository,
        keyStore,
        x509: nodeX509,
        crls: createSqlCrlStore(sql),
        clock,
        rootKeyHere,
      };
      const tsa: TimestampAuthority = { register: repository, keyStore, tokens: nodeTimestampTokens, clock };
      const pades = padesServicesOf(tsa, crls);
      const endOf = (pem: string) => new Date(nodeX509.describe(pem).notAfter);
      return retimestampPdfs(
        {
          pdfs: createSqlStoredPdfs(sql),
          async timestampExpiry(pdf) {
            const reading = await pdfInspector.readSignature(pdf);
            if (!reading.ok) return null;
            const newest = reading.documentTimestamps.at(-1) ?? reading.timestamp;
            const der = newest?.chainDer[0];
            return der ? endOf(derToPem(der)) : null;
          },
          activeTsaExpiry() {
            const active = repository.active('tsa');
            return active ? endOf(active.x509Pem) : null;
          },
          async renewTimestampAuthority() {
            const root = repository.active('root');
            if (!root || !rootKeyHere(root.kid)) {
              throw new DomainError('KEY_NOT_USABLE', 'Renewing the timestamp authority needs the root key here');
            }
            const record = await provisionTimestampAuthority({
              keyStore,
              register: repository,
              x509: nodeX509,
              now: clock.now(),
              publicBaseUrl: config.publicBaseUrl,
            });
            return endOf(record.x509Pem);
          },
          async extend(pdf) {
            return appendDocumentTimestamp(await appendDss(pdf, await pades.validationData()), pades.timestamp);
          },
          clock,
        },
        withinDays,
      );
    },
    /**
     * What `backfill` works with: the register, the run's progress, and the CPU-bound steps on
     * `threads` worker threads (default one per core; 0 runs them on this thread). Each worker
     * opens the key store itself (backfill-worker.ts); the fonts are parsed once, here, only to
     * make the shared coverage bit set validation needs, and then let go.
     */
    backfillPorts(options: { threads?: number } = {}): BackfillPorts {
      const inProcessWorkers = () =>
        inProcessBackfillWorkers({
          institutions,
          validateCertificate: createCertificateValidator({
            clock,
            glyphs: bitsetGlyphCoverage(glyphBitsetOf(loadFonts())),
            divisions: divisionDirectory,
            countries: countryDirectory,
          }),
          signer: createCertificateSigner(keys().keyStore, { compressQr: false }),
          storedRows: storedBackfillRows,
          secrets: nodeSecrets,
          licenceTypeCode: config.licenceTypeCode,
        });
      return backfillPortsOf({ sql, config, clock, inProcessWorkers }, options);
    },
    /** The audit log with its signed checkpoints, checked against the key store's audit keys. */
    auditCheckpoints() {
      const { keyStore, repository } = keys();
      const checkpoints = createSqlAuditCheckpointStore(sql);
      return createAuditCheckpointer({ audit, checkpoints, key: createAuditKey(keyStore, repository), clock });
    },
    /**
     * Takes the root key offline: writes its sealed document to `out` (a new file, owner-only)
     * and removes it from the database, after checking the file reads back the same and opens
     * under the passphrase. The root's certificate and public key stay in the register.
     */
    async takeRootOffline(out: string): Promise<string> {
      const { keyStore, repository } = keys();
      const root = repository.active('root');
      if (!root) throw new DomainError('KEY_NOT_FOUND', 'There is no root key');
      const vault = createSqlSealedKeyVault(sql);
      const sealed = vault.read(root.kid);
      if (!sealed) throw new DomainError('KEY_NOT_FOUND', 'The root key is not in the database (offline already)');
      // A key file of an earlier version would bring the root back at the next start (it is imported).
      if (existsSync(path.join(config.dataDir, 'keys', `${root.kid}.key`))) {
        throw new DomainError('INVALID_STATE', `Remove keys/${root.kid}.key from the data directory first`);
      }
      keyStore.publicKeyOf(root.kid);
      writeFileSync(out, `${JSON.stringify(sealed, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      if (readSealedKeyFile(out).ciphertext !== sealed.ciphertext) throw new Error(`${out} did not read back`);
      vault.removeRoot(root.kid);
      return root.kid;
    },
    close: () => sql.close(),
  };
}

/** A sealed key document kept outside the database (the root in offline custody). */
function readSealedKeyFile(file: string): EncryptedKeyFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EncryptedKeyFile;
  } catch {
    throw new DomainError('KEY_UNREADABLE', `The key file ${path.basename(file)} cannot be read`);
  }
}

/** What offline verification (a bundle, no service) needs besides the bundle itself. */
export const offlineVerificationTools = () => ({
  x509: nodeX509,
  jws: createNodeJwsVerifier(),
  qr: createCoseQrCodec(),
  compression: zlibCompression,
  // Offline there is no register of issued PDFs: the page is compared with a re-render of the e-licence.
  pdf: {
    ...pdfInspector,
    pageMatches: createPageChecker({ divisions: divisionDirectory, countries: countryDirectory }),
  },
});
