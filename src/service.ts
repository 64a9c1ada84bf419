import path from 'node:path';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import { createCertificateRenderer, createCertificateSigner } from './adapters/certificate-production.ts';
import { countryDirectory } from './adapters/countries.ts';
import { divisionDirectory } from './adapters/divisions.ts';
import { createNodeJwsVerifier } from './adapters/jws/node-jws-verifier.ts';
import { openKeyStore } from './adapters/keystore/open-key-store.ts';
import { loadFonts, pdfInspector, warmUpFonts } from './adapters/pdf/index.ts';
import { nodeX509 } from './adapters/pki/node-x509.ts';
import { decodeQrImage } from './adapters/qr/zxing-qr-decoder.ts';
import { createScryptPasswordHasher } from './adapters/scrypt-password-hasher.ts';
import { nodeSecrets } from './adapters/secrets.ts';
import { createSqliteAccountRepository } from './adapters/sqlite/account-repository.ts';
import { createSqliteApplicationStore } from './adapters/sqlite/application-store.ts';
import { createSqliteAuditLog } from './adapters/sqlite/audit-log.ts';
import { createSqliteCertificateRegister } from './adapters/sqlite/certificate-register.ts';
import { createSqliteClaimCodeStore } from './adapters/sqlite/claim-code-store.ts';
import { openDatabase, type SqliteDatabase } from './adapters/sqlite/database.ts';
import { createSqliteHouseholdRegistrations } from './adapters/sqlite/household-registrations.ts';
import { createSqliteInstitutionRepository } from './adapters/sqlite/institution-repository.ts';
import { createSqliteNumberStock } from './adapters/sqlite/number-stock.ts';
import { createSqliteOnlineApplicationStore } from './adapters/sqlite/online-application-store.ts';
import { createSqliteReportsStore } from './adapters/sqlite/reports-store.ts';
import { createSqliteTokenStore } from './adapters/sqlite/token-store.ts';
import { createSqliteUnitOfWork } from './adapters/sqlite/unit-of-work.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { OnlinePorts } from './domain/lifecycle/online-applications.ts';
import type { LifecyclePorts } from './domain/lifecycle/ports.ts';
import { type Clock, systemClock } from './domain/ports.ts';
import type { KeyAdministration } from './domain/trust/key-administration.ts';
import { createRegisterTrustSource } from './domain/trust/register-trust-source.ts';
import type { VerificationPorts } from './domain/verification/ports.ts';
import { buildOpenApi } from './http/openapi.ts';
import type { Route } from './http/route.ts';
import { adminRoutes } from './http/routes/admin-routes.ts';
import { auditRoutes } from './http/routes/audit-routes.ts';
import { authRoutes } from './http/routes/auth-routes.ts';
import { issuingRoutes } from './http/routes/issuing-routes.ts';
import { onlineApplicationRoutes } from './http/routes/online-application-routes.ts';
import { recordRoutes } from './http/routes/record-routes.ts';
import { reportRoutes } from './http/routes/report-routes.ts';
import { systemRoutes } from './http/routes/system-routes.ts';
import { trustRoutes } from './http/routes/trust-routes.ts';
import { verificationRoutes } from './http/routes/verification-routes.ts';
import { keyPassphrase } from './setup/key-passphrase.ts';
import { SCHEMAS } from './validation/schema-registry.ts';
import { createCertificateValidator, createValidator } from './validation/validator.ts';
import { createPagesRouter } from './web/pages-router.tsx';

export const serviceVersion = '1.0.0';

/**
 * scrypt costs as log2 N, of password hashes and of new key files. Absent in production, where
 * each adapter uses its own production cost; tests pass a low one so a service starts in
 * milliseconds.
 */
export interface KdfCost {
  passwordLog2N: number;
  keyFileLog2N: number;
}

export interface ServiceDeps {
  logger: Logger;
  clock: Clock;
  kdfCost?: KdfCost;
}

/** Everything the service holds open; built once at start, closed once at shutdown. */
export function createService(config: Config, deps: ServiceDeps) {
  const { clock, kdfCost } = deps;
  if (kdfCost && config.env === 'production') throw new Error('a lowered KDF cost is for tests, never production');
  const db: SqliteDatabase = openDatabase(path.join(config.dataDir, 'service.sqlite'));
  const accounts = createSqliteAccountRepository(db);
  const institutions = createSqliteInstitutionRepository(db);
  const tokens = createSqliteTokenStore(db);
  const audit = createSqliteAuditLog(db);
  const hasher = createScryptPasswordHasher(kdfCost && { N: 2 ** kdfCost.passwordLog2N });
  const { keyStore, repository: signingKeys } = openKeyStore(
    { ...config, keyPassphrase: keyPassphrase(config) },
    db,
    clock,
    kdfCost && { scryptLog2N: kdfCost.keyFileLog2N },
  );
  // A wrong passphrase fails here, at start, not at the first issue.
  keyStore.unlockActiveKeys();
  const fonts = loadFonts();
  const directories = { divisions: divisionDirectory, countries: countryDirectory };
  const validate = createValidator({ clock, glyphs: fonts, ...directories });
  const register = createSqliteCertificateRegister(db);

  const lifecycle: LifecyclePorts = {
    transactions: createSqliteUnitOfWork(db),
    stock: createSqliteNumberStock(db),
    applications: createSqliteApplicationStore(db),
    register,
    claimCodes: createSqliteClaimCodeStore(db),
    households: createSqliteHouseholdRegistrations(db),
    institutions,
    signer: createCertificateSigner(keyStore),
    renderer: createCertificateRenderer({ keyStore, fonts, ...directories }),
    validateCertificate: createCertificateValidator({ clock, glyphs: fonts, ...directories }),
    secrets: nodeSecrets,
    audit,
    clock,
    licenceTypeCode: config.licenceTypeCode,
  };
  const online = { ...lifecycle, online: createSqliteOnlineApplicationStore(db) } satisfies OnlinePorts;
  const verification: VerificationPorts = {
    trust: createRegisterTrustSource(signingKeys, nodeX509, config.licenceTypeCode),
    register,
    jws: createNodeJwsVerifier(),
    clock,
  };

  let ready = false;
  let openApi: unknown = null;
  const keyAdministration: KeyAdministration = {
    keyStore,
    register: signingKeys,
    x509: nodeX509,
    institutions,
    audit,
    clock,
  };
  const trust = {
    register: signingKeys,
    keyStore,
    x509: nodeX509,
    certificates: register,
    clock,
    licenceTypeCode: config.licenceTypeCode,
  };
  const routes: Route[] = [
    ...systemRoutes({ isReady: () => ready, openApi: () => openApi }),
    ...authRoutes({
      signIn: { accounts, hasher, tokens, audit, clock, tokenTtlSeconds: config.tokenTtlSeconds },
      validate,
    }),
    ...issuingRoutes({ lifecycle, online, tokens, validate }),
    ...onlineApplicationRoutes({ online, validate }),
    ...recordRoutes({ lifecycle }),
    ...verificationRoutes({ verification, pdf: pdfInspector, validate }),
    ...trustRoutes(trust),
    ...adminRoutes({ keys: keyAdministration, validate }),
    ...reportRoutes({ reports: createSqliteReportsStore(db), audit, clock }),
    ...auditRoutes({ audit }),
  ];
  // The same schema objects the validator compiled: what is documented is what is enforced.
  openApi = buildOpenApi(routes, SCHEMAS as unknown as Record<string, Record<string, unknown>>, serviceVersion);

  const pages = createPagesRouter({
    online,
    tokens,
    verification,
    pdf: pdfInspector,
    validate,
    attemptsPerMinute: config.rateLimitPerMinute,
    qrSvg: (text) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }),
    decodeQrImage,
  });
  const app = createApp({
    logger: deps.logger,
    pages,
    tokens,
    clock,
    routes,
    rateLimited: [
      '/api/v1/auth/token',
      '/api/v1/citizen/claims',
      '/api/v1/citizen/applications',
      '/api/v1/citizen/application-sessions',
    ].map((p) => ({
      path: p,
      perMinute: config.rateLimitPerMinute,
    })),
  });

  return {
    app,
    db,
    accounts,
    institutions,
    tokens,
    audit,
    hasher,
    signingKeys,
    keyStore,
    keyAdministration,
    fonts,
    lifecycle,
    verification,
    /** Parses and exercises the fonts so the first certificate is not the slow one. */
    warmUp: () => warmUpFonts(fonts),
    setReady(value: boolean) {
      ready = value;
    },
    close() {
      ready = false;
      db.close();
    },
  };
}

export type Service = ReturnType<typeof createService>;

/**
 * What the operator CLI works with: the service database with its institutions, accounts and
 * audit log, and — opened only by the commands that need it — key administration.
 */
export function openOperatorTools(config: Config, clock: Clock = systemClock) {
  const db = openDatabase(path.join(config.dataDir, 'service.sqlite'));
  const institutions = createSqliteInstitutionRepository(db);
  const audit = createSqliteAuditLog(db);
  return {
    institutions,
    accounts: createSqliteAccountRepository(db),
    audit,
    hasher: createScryptPasswordHasher(),
    divisions: divisionDirectory,
    clock,
    keyAdministration(): KeyAdministration {
      const { keyStore, repository } = openKeyStore({ ...config, keyPassphrase: keyPassphrase(config) }, db, clock);
      return { keyStore, register: repository, x509: nodeX509, institutions, audit, clock };
    },
    close: () => db.close(),
  };
}

/** What offline verification (a bundle, no service) needs besides the bundle itself. */
export const offlineVerificationTools = () => ({ x509: nodeX509, jws: createNodeJwsVerifier(), pdf: pdfInspector });
