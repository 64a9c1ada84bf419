import { randomBytes } from 'node:crypto';
import express from 'express';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import {
  createCertificateRenderer,
  createCertificateSigner,
  createPooledCertificateRenderer,
} from './adapters/certificate-production.ts';
import { createCoseQrCodec } from './adapters/cose/cose-qr-codec.ts';
import { countryDirectory } from './adapters/countries.ts';
import { divisionDirectory } from './adapters/divisions.ts';
import { createNodeJwsVerifier } from './adapters/jws/node-jws-verifier.ts';
import { createAuditKey } from './adapters/keystore/audit-key.ts';
import { openKeyStore } from './adapters/keystore/open-key-store.ts';
import { createOpenIdClientProvider } from './adapters/oidc/openid-client-provider.ts';
import { loadFonts, warmUpFonts } from './adapters/pdf/index.ts';
import { createPdfRenderPool } from './adapters/pdf/render-pool.ts';
import type { PadesServices } from './adapters/pdf/sign-pdf.ts';
import { createWorkerPdfInspector } from './adapters/pdf/worker-pdf-inspector.ts';
import { nodeX509 } from './adapters/pki/node-x509.ts';
import { pemToDer } from './adapters/pki/pem.ts';
import { nodeTimestampTokens } from './adapters/pki/timestamp-authority.ts';
import { decodeQrImage } from './adapters/qr/zxing-qr-decoder.ts';
import { createScryptPasswordHasher } from './adapters/scrypt-password-hasher.ts';
import { newStaffPassword, newTimeLedId, nodeSecrets } from './adapters/secrets.ts';
import { createSqlAccountRepository } from './adapters/sql/account-repository.ts';
import { createSqlApplicationStore } from './adapters/sql/application-store.ts';
import { createSqlAuditCheckpointStore } from './adapters/sql/audit-checkpoint-store.ts';
import { createSqlAuditLog } from './adapters/sql/audit-log.ts';
import { createSqlBirthExportSource, exportReaders, nodeSha256 } from './adapters/sql/birth-export-source.ts';
import { createSqlCertificateRegister } from './adapters/sql/certificate-register.ts';
import { createSqlClaimCodeStore } from './adapters/sql/claim-code-store.ts';
import { createSqlCollectionStore } from './adapters/sql/collection-store.ts';
import { createSqlConsoleSessionStore, createSqlSharedSecrets } from './adapters/sql/console-session-store.ts';
import { createSqlCrlStore } from './adapters/sql/crl-store.ts';
import { createSqlEventOutbox } from './adapters/sql/event-outbox.ts';
import { createSqlHouseholdRegistrations } from './adapters/sql/household-registrations.ts';
import { createSqlIdentityStore } from './adapters/sql/identity-store.ts';
import { createSqlInstitutionRepository } from './adapters/sql/institution-repository.ts';
import { createSqlNumberStock } from './adapters/sql/number-stock.ts';
import { createSqlOnlineApplicationStore } from './adapters/sql/online-application-store.ts';
import { openStorage } from './adapters/sql/open-storage.ts';
import { createSqlPoliceArchiveStore, policeUnitsOf } from './adapters/sql/police-archive-store.ts';
import { createSqlRateLimitCounter } from './adapters/sql/rate-limit-store.ts';
import { createSqlReportsStore } from './adapters/sql/reports-store.ts';
import { createSqlSignInThrottle } from './adapters/sql/sign-in-throttle-store.ts';
import { createSqlStatusListStore } from './adapters/sql/status-list-store.ts';
import { createSqlSubscriptionStore } from './adapters/sql/subscription-store.ts';
import { createSqlTokenStore } from './adapters/sql/token-store.ts';
import { createSqlUnitOfWork } from './adapters/sql/unit-of-work.ts';
import { createSqlWebhookDeliveryQueue } from './adapters/sql/webhook-delivery-queue.ts';
import { zlibCompression } from './adapters/status-lists/zlib-compression.ts';
import { nodeWebhookSecrets } from './adapters/webhooks/standard-webhooks.ts';
import { createWebhookDispatcher, type DispatcherOptions } from './adapters/webhooks/webhook-dispatcher.ts';
import { zxcvbnPasswordStrength } from './adapters/zxcvbn-password-strength.ts';
import { createApp } from './app.ts';
import type { Config, OidcSettings } from './config.ts';
import type { AccountAdministration } from './domain/accounts/account-administration.ts';
import type { AppointmentPorts } from './domain/appointments/ports.ts';
import { createAuditCheckpointer } from './domain/audit/audit-checkpoint.ts';
import { DomainError } from './domain/errors.ts';
import { voidInterruptedReservations } from './domain/lifecycle/numbers.ts';
import type { OnlinePorts } from './domain/lifecycle/online-applications.ts';
import type { PoliceArchivePorts } from './domain/lifecycle/police-archives.ts';
import type { LifecyclePorts } from './domain/lifecycle/ports.ts';
import type { Clock } from './domain/ports.ts';
import { createStatusListAssigner } from './domain/status-lists/assign-status.ts';
import { createStatusListPublisher } from './domain/status-lists/publish-status-lists.ts';
import type { KeyAdministration } from './domain/trust/key-administration.ts';
import { ensureAuditSigner, ensureTimestampAuthority } from './domain/trust/provision-signing-key.ts';
import { type CrlPublication, currentCrl } from './domain/trust/publish-crl.ts';
import { createRegisterTrustSource } from './domain/trust/register-trust-source.ts';
import { type TimestampAuthority, timestampDigest } from './domain/trust/timestamp-authority.ts';
import type { VerificationPorts } from './domain/verification/ports.ts';
import { buildOpenApi } from './http/openapi.ts';
import type { Route } from './http/route.ts';
import { accountRoutes } from './http/routes/account-routes.ts';
import { adminRoutes } from './http/routes/admin-routes.ts';
import { appointmentRoutes } from './http/routes/appointment-routes.ts';
import { auditRoutes } from './http/routes/audit-routes.ts';
import { authRoutes } from './http/routes/auth-routes.ts';
import { eventRoutes } from './http/routes/event-routes.ts';
import { exportRoutes } from './http/routes/export-routes.ts';
import { identityLinkRoutes } from './http/routes/identity-link-routes.ts';
import { issuingRoutes } from './http/routes/issuing-routes.ts';
import { onlineApplicationRoutes } from './http/routes/online-application-routes.ts';
import { pkiRoutes } from './http/routes/pki-routes.ts';
import { policeArchiveRoutes } from './http/routes/police-archive-routes.ts';
import { recordRoutes } from './http/routes/record-routes.ts';
import { reportRoutes } from './http/routes/report-routes.ts';
import { systemRoutes } from './http/routes/system-routes.ts';
import { trustRoutes } from './http/routes/trust-routes.ts';
import { verificationRoutes } from './http/routes/verification-routes.ts';
import { keyPassphrase } from './setup/key-passphrase.ts';
import { SCHEMAS } from './validation/schema-registry.ts';
import { createCertificateValidator, createValidator } from './validation/validator.ts';
import { createConsoleRouter, homeOf } from './web/console-router.tsx';
import { createConsoleSessions } from './web/console-session.ts';
import { CALLBACK_PATH, createOidcRouter, type OidcSide } from './web/oidc-router.tsx';
import { createPagesRouter } from './web/pages-router.tsx';

export const serviceVersion = '1.0.0';

/** How often a node voids the numbers reserved by processes that are gone (see numbers.ts). */
const RESERVATION_SWEEP_MS = 60_000;

/**
 * scrypt costs as log2 N, of password hashes and of new sealed keys. Absent in production, where
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
  /** Webhook dispatcher settings (tests shorten the timeout and fix the jitter). */
  webhooks?: Partial<DispatcherOptions>;
}

/** Everything the service holds open; built once at start, closed once at shutdown. */
export function createService(config: Config, deps: ServiceDeps) {
  const { clock, kdfCost } = deps;
  if (kdfCost && config.env === 'production') throw new Error('a lowered KDF cost is for tests, never production');
  const sql = openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl ?? undefined });
  const accounts = createSqlAccountRepository(sql);
  const institutions = createSqlInstitutionRepository(sql);
  const tokens = createSqlTokenStore(sql);
  const audit = createSqlAuditLog(sql);
  const hasher = createScryptPasswordHasher(kdfCost && { N: 2 ** kdfCost.passwordLog2N });
  const throttle = createSqlSignInThrottle(sql);
  const accountAdministration: AccountAdministration = {
    accounts,
    tokens,
    throttle,
    hasher,
    strength: zxcvbnPasswordStrength,
    audit,
    clock,
  };
  const {
    keyStore,
    repository: signingKeys,
    imported,
  } = openKeyStore(
    { ...config, keyPassphrase: keyPassphrase(config) },
    sql,
    clock,
    kdfCost && { scryptLog2N: kdfCost.keyFileLog2N },
  );
  if (imported.length > 0) {
    deps.logger.info(
      { imported: imported.length },
      'key files of DATA_DIR/keys imported into the database (the files may be removed after a backup)',
    );
  }
  /** Whether this key store holds the key's private half (a root kept offline is not held here). */
  const keyHere = (kid: string): boolean => keyStore.holdsKey(kid);
  const auditCheckpoints = createAuditCheckpointer({
    audit,
    checkpoints: createSqlAuditCheckpointStore(sql),
    key: createAuditKey(keyStore, signingKeys),
    clock,
  });
  let checkpointTimer: NodeJS.Timeout | null = null;
  let reservationSweep: NodeJS.Timeout | null = null;
  const fonts = loadFonts();
  const directories = { divisions: divisionDirectory, countries: countryDirectory };
  const validate = createValidator({ clock, glyphs: fonts, ...directories });
  const register = createSqlCertificateRegister(sql);
  const statusStore = createSqlStatusListStore(sql, { baseUrl: config.publicBaseUrl });
  const webhooks = createWebhookDispatcher({
    queue: createSqlWebhookDeliveryQueue(sql),
    clock,
    log: deps.logger,
    ...(deps.webhooks && { options: deps.webhooks }),
  });
  const events = createSqlEventOutbox(sql, { newId: newTimeLedId, committed: () => webhooks.wake() });

  // Certificate PDFs are laid out and signed in worker threads; the keys stay in this thread's key store.
  const pdfRenderPool =
    config.pdfRenderThreads > 0 ? createPdfRenderPool({ keyStore, clock, threads: config.pdfRenderThreads }) : null;
  const lifecycle: LifecyclePorts = {
    transactions: createSqlUnitOfWork(sql),
    stock: createSqlNumberStock(sql),
    applications: createSqlApplicationStore(sql),
    register,
    claimCodes: createSqlClaimCodeStore(sql),
    households: createSqlHouseholdRegistrations(sql),
    institutions,
    signer: createCertificateSigner(keyStore),
    statusLists: createStatusListAssigner(statusStore),
    renderer: pdfRenderPool
      ? createPooledCertificateRenderer({ pool: pdfRenderPool, keyStore, ...directories, pades: padesJob })
      : createCertificateRenderer({ keyStore, fonts, ...directories, pades: () => padesServices() }),
    validateCertificate: createCertificateValidator({ clock, glyphs: fonts, ...directories }),
    secrets: nodeSecrets,
    audit,
    events,
    clock,
    licenceTypeCode: config.licenceTypeCode,
  };
  const online = { ...lifecycle, online: createSqlOnlineApplicationStore(sql) } satisfies OnlinePorts;
  const appointments: AppointmentPorts = { ...lifecycle, collection: createSqlCollectionStore(sql) };
  const verification: VerificationPorts = {
    trust: createRegisterTrustSource(signingKeys, nodeX509, config.licenceTypeCode),
    register,
    jws: createNodeJwsVerifier(),
    qr: createCoseQrCodec(),
    clock,
  };

  const policeArchives: PoliceArchivePorts = {
    ...lifecycle,
    archives: createSqlPoliceArchiveStore(sql),
    policeUnits: policeUnitsOf(accounts),
    verification,
  };

  // Uploaded PDFs are parsed in worker threads, never on the event loop.
  const pdfWorkers = createWorkerPdfInspector();
  let ready = false;
  let openApi: unknown = null;
  const keyAdministration: KeyAdministration = {
    keyStore,
    register: signingKeys,
    x509: nodeX509,
    institutions,
    audit,
    clock,
    publicBaseUrl: config.publicBaseUrl,
  };
  const crlPublication: CrlPublication = {
    register: signingKeys,
    keyStore,
    x509: nodeX509,
    crls: createSqlCrlStore(sql),
    clock,
    rootKeyHere: keyHere,
  };
  const timestampAuthority: TimestampAuthority = {
    register: signingKeys,
    keyStore,
    tokens: nodeTimestampTokens,
    clock,
  };
  /** The service's own PDF signatures are timestamped by its TSA, with the root's CRL in the DSS. */
  function padesServices(): PadesServices | null {
    if (!signingKeys.active('tsa') || !signingKeys.active('root')) return null;
    return padesServicesOf(timestampAuthority, crlPublication);
  }
  /** The same, as plain data for a render worker: the active TSA key's certificate and the DSS contents. */
  async function padesJob() {
    const services = padesServices();
    const tsa = signingKeys.active('tsa');
    if (!services || !tsa) return null;
    return { tsa: { kid: tsa.kid, x509Pem: tsa.x509Pem }, validationData: await services.validationData() };
  }
  const statusLists = createStatusListPublisher({
    store: statusStore,
    register: signingKeys,
    keyStore,
    x509: nodeX509,
    compression: zlibCompression,
    clock,
  });
  const trust = {
    register: signingKeys,
    keyStore,
    x509: nodeX509,
    statusLists,
    clock,
    licenceTypeCode: config.licenceTypeCode,
  };
  const reportPorts = { reports: createSqlReportsStore(sql), audit, clock };
  /** Secrets every node shares (the console's CSRF key, the rate-limit key hash), made on first use. */
  const sharedSecrets = createSqlSharedSecrets(sql, () => clock.now());
  /** The per-minute limits' counters, in the database: every node counts the same requests. */
  const rateLimits = createSqlRateLimitCounter(sql, sharedSecrets, () => randomBytes(32));
  const routes: Route[] = [
    ...systemRoutes({ isReady: () => ready, openApi: () => openApi }),
    ...authRoutes({
      signIn: { accounts, hasher, tokens, throttle, audit, clock, tokenTtlSeconds: config.tokenTtlSeconds },
      signOut: { tokens, audit, clock },
    }),
    ...accountRoutes({ accounts: accountAdministration }),
    ...issuingRoutes({ lifecycle, online, tokens }),
    ...onlineApplicationRoutes({ online, validateApplication: (body) => validate('application', body) }),
    ...recordRoutes({ lifecycle }),
    ...policeArchiveRoutes({ archives: policeArchives }),
    ...verificationRoutes({
      verification,
      pdf: pdfWorkers,
      pdfPerAddressPerMinute: config.pdfVerificationsPerMinute,
      rateLimits,
    }),
    ...trustRoutes(trust),
    ...pkiRoutes({
      crl: crlPublication,
      tsa: timestampAuthority,
      rootCertificate() {
        const root = signingKeys.active('root');
        if (!root) throw new DomainError('SERVICE_UNAVAILABLE', 'The trust domain has no root CA yet');
        return pemToDer(root.x509Pem);
      },
      timestampsPerAddressPerMinute: config.timestampsPerMinute,
      rateLimits,
    }),
    ...adminRoutes({ keys: keyAdministration }),
    ...reportRoutes(reportPorts),
    ...auditRoutes({ audit, checkpoints: auditCheckpoints, auditKeys: () => signingKeys.list('audit') }),
    ...eventRoutes({
      subscriptions: createSqlSubscriptionStore(sql),
      secrets: nodeWebhookSecrets(nodeSecrets.newId),
      audit,
      clock,
      endpoints: config.env === 'production' ? 'https-only' : 'https-or-loopback',
      wake: () => webhooks.wake(),
    }),
    ...appointmentRoutes({ appointments, tokens, online: online.online, applications: lifecycle.applications }),
    ...exportRoutes({
      source: createSqlBirthExportSource(exportReaders(sql, config.databaseUrl ?? undefined)),
      sha256: nodeSha256,
      audit,
      clock,
      register: signingKeys,
      keyStore,
      x509: nodeX509,
    }),
  ];
  // Sign-in through the identity providers (OIDC_CITIZEN_*, OIDC_STAFF_*): off unless configured.
  const identityStore = createSqlIdentityStore(sql);
  const identity = { store: identityStore, audit, clock };
  const oidcSide = (settings: OidcSettings | null): OidcSide | null =>
    settings && {
      provider: createOpenIdClientProvider({
        ...settings,
        redirectUri: `${config.publicBaseUrl}${CALLBACK_PATH}`,
        acrValues: settings.acceptedAcr,
        allowHttp: config.env !== 'production' && settings.issuer.startsWith('http:'),
      }),
      requirements: { acceptedAcr: settings.acceptedAcr },
    };
  const citizenOidc = oidcSide(config.oidcCitizen);
  const staffOidc = oidcSide(config.oidcStaff);
  routes.push(...identityLinkRoutes({ links: { accounts, store: identityStore, audit, clock } }));
  // The same schema objects the validator compiled: what is documented is what is enforced.
  openApi = buildOpenApi(routes, SCHEMAS as unknown as Record<string, Record<string, unknown>>, serviceVersion);

  const qrSvg = (text: string) => QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  const pages = express.Router();
  const sessions = createConsoleSessions({
    tokens,
    clock,
    store: createSqlConsoleSessionStore(sql),
    secrets: sharedSecrets,
  });
  pages.use(
    createOidcRouter({
      publicBaseUrl: config.publicBaseUrl,
      identity,
      citizen: citizenOidc,
      staff: staffOidc,
      online,
      tokens,
      accounts,
      sessions,
      homeOf,
    }),
  );
  pages.use(
    createConsoleRouter({
      sessions,
      signIn: { accounts, hasher, throttle, audit, clock },
      tokens,
      online,
      verification,
      pdf: pdfWorkers,
      validate,
      decodeQrImage,
      qrSvg,
      signInPerMinute: config.rateLimitPerMinute,
      rateLimits,
      archives: policeArchives,
      divisions: divisionDirectory,
      appointments,
      admin: {
        keys: keyAdministration,
        accounts: accountAdministration,
        stock: { institutions, audit, clock, transaction: (work) => signingKeys.transaction(work) },
        usage: reportPorts.reports.usage,
      },
      newPassword: newStaffPassword,
      staffOidc: staffOidc !== null,
      audit: { events: audit, log: audit, checkpoints: auditCheckpoints },
      reports: reportPorts,
      identityLinks: { accounts, store: identityStore, audit, clock },
      staffIssuer: config.oidcStaff?.issuer,
    }),
  );
  pages.use(
    createPagesRouter({
      online,
      tokens,
      verification,
      pdf: pdfWorkers,
      validate,
      attemptsPerMinute: config.rateLimitPerMinute,
      rateLimits,
      pdfPerAddressPerMinute: config.pdfVerificationsPerMinute,
      qrSvg,
      decodeQrImage,
      appointments,
      oidc: citizenOidc ? { identity, side: citizenOidc } : undefined,
    }),
  );
  const app = createApp({
    logger: deps.logger,
    pages,
    tokens,
    clock,
    routes,
    validate,
    rateLimited: [
      { path: '/api/v1/auth/token', perMinute: config.rateLimitPerMinute, key: { by: 'body', field: 'username' } },
      {
        path: '/api/v1/citizen/claims',
        perMinute: config.rateLimitPerMinute,
        key: { by: 'body', field: 'certificateNo' },
      },
      // 线上申领 and reopening it: counted per application code, like claims per certificate number.
      ...['/api/v1/citizen/applications', '/api/v1/citizen/application-sessions'].map((path) => ({
        path,
        perMinute: config.rateLimitPerMinute,
        key: { by: 'body', field: 'applicationCode' } as const,
      })),
    ],
    trustProxy: config.trustProxy,
    rateLimits,
  });

  webhooks.start();
  return {
    app,
    /** The database (tests look under the API through it). */
    sql,
    accounts,
    institutions,
    tokens,
    audit,
    hasher,
    accountAdministration,
    identityStore,
    passwordStrength: zxcvbnPasswordStrength,
    signingKeys,
    keyStore,
    keyAdministration,
    fonts,
    /** Worker threads rendering certificate PDFs (0: on the event loop). */
    pdfRenderThreads: pdfRenderPool?.threads ?? 0,
    lifecycle,
    verification,
    auditCheckpoints,
    crlPublication,
    timestampAuthority,
    statusLists,
    /** The in-process webhook dispatcher: started here, stopped by `close`. */
    webhooks,
    /**
     * What must hold before serving: one active key opens (scrypt on the thread pool), so a wrong
     * passphrase fails here, at start, not at the first issue. The rest waits for warmUpRest.
     */
    warmUp: async () => {
      await keyStore.unlockActiveKeys({ first: 1 });
    },
    /**
     * Once serving: unlocks the other active keys (a damaged sealed key is found here) and
     * exercises the fonts, so the first certificate is not the slow one. A failure is the
     * caller's to report; until it is done a first PDF is just slower.
     */
    warmUpRest: async () => {
      await Promise.all([
        keyStore.unlockActiveKeys(),
        // With render workers, each warms its own fonts; this thread's fonts only answer glyph coverage.
        pdfRenderPool ? pdfRenderPool.ready() : warmUpFonts(fonts),
      ]);
    },
    /** Derives the sealing secrets of `count` keys about to be made, at once on the thread pool. */
    prepareKeys: (count: number) => keyStore.prepareKeys(count),
    /**
     * Makes the audit key if this trust domain has none and the root key is here, then signs the
     * audit chain head every AUDIT_CHECKPOINT_SECONDS when it moved. Stopped by close().
     */
    async startAuditCheckpoints() {
      const now = clock.now();
      const key = await ensureAuditSigner({
        ...keyAdministration,
        now,
        rootKeyHere: keyHere,
      });
      if (!key) deps.logger.warn('no audit key: checkpoints of the audit log are not signed (see README, security)');
      // The timestamp authority and the CRL come the same way: made where the root key is here.
      const tsa = await ensureTimestampAuthority({
        ...keyAdministration,
        now,
        rootKeyHere: keyHere,
      });
      if (!tsa)
        deps.logger.warn('no timestamp authority key: PDFs are signed without timestamps (see README, security)');
      if (signingKeys.active('root')) {
        await currentCrl(crlPublication).catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'no CRL could be published (the root key is offline)'),
        );
      }
      const tick = () =>
        auditCheckpoints
          .sign({ onlyIfMoved: true })
          .catch((error: unknown) => deps.logger.error({ err: error }, 'signing an audit checkpoint failed'));
      checkpointTimer = setInterval(tick, config.auditCheckpointSeconds * 1000);
      checkpointTimer.unref();
      // Another node may die between reserving a number and landing its certificate.
      reservationSweep = setInterval(() => {
        try {
          for (const certificateNo of voidInterruptedReservations(lifecycle)) {
            deps.logger.warn({ certificateNo }, 'voided a number left reserved by a process that is gone');
          }
        } catch (error) {
          deps.logger.error({ err: error }, 'sweeping abandoned number reservations failed');
        }
      }, RESERVATION_SWEEP_MS);
      reservationSweep.unref();
    },
    setReady(value: boolean) {
      ready = value;
    },
    close() {
      ready = false;
      if (checkpointTimer) clearInterval(checkpointTimer);
      if (reservationSweep) clearInterval(reservationSweep);
      void pdfWorkers.close();
      void pdfRenderPool?.close();
      webhooks.stop();
      sql.close();
    },
  };
}

export type Service = ReturnType<typeof createService>;

/**
 * PAdES beyond B-B: the trust domain's TSA, and for the DSS what chains the signer and every
 * timestamp (root, each TSA certificate, earlier ones too: older document timestamps stay
 * checkable) with the root's current CRL.
 */
export function padesServicesOf(tsa: TimestampAuthority, crls: CrlPublication): PadesServices {
  return {
    timestamp: (digest) => timestampDigest(tsa, digest),
    async validationData() {
      const crl = await currentCrl(crls).catch(() => null);
      const root = tsa.register.active('root');
      const authorities = tsa.register.list('tsa').filter((key) => key.status !== 'revoked');
      return {
        // The institution's certificate is in the CMS already.
        certificates: [...(root ? [root] : []), ...authorities].map((key) => pemToDer(key.x509Pem)),
        crls: crl ? [crl.der] : [],
      };
    },
  };
}
