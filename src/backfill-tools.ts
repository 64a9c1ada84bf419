/**
 * The composition root of `backfill` (docs/backfill.md): only what a back-issuance run needs on
 * its main thread — the register, the audit log, the outbox, the status lists, the run's progress
 * and the worker threads. The operator CLI's own root (operator-tools.ts) loads the whole service
 * (PDF, fonts, password dictionaries, HTTP): ~70 MB more of the run's memory and 1–2 s of its
 * start, for nothing the run uses. What only the one-thread run (`--threads 0`) needs (key store,
 * fonts, validator, signer) is loaded when it is asked for.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackfillRowWriter } from './adapters/backfill/backfill-rows.ts';
import { bitsetGlyphCoverage, glyphBitsetOffThread } from './adapters/backfill/glyph-bitset.ts';
import { heapCompactor } from './adapters/backfill/heap.ts';
import { startBulkWrites } from './adapters/backfill/wal-checkpointer.ts';
import { createBackfillWorkerPool } from './adapters/backfill/worker-pool.ts';
import { newTimeLedId, nodeSecrets } from './adapters/secrets.ts';
import { createSqlAuditLog } from './adapters/sql/audit-log.ts';
import { createSqlBackfillProgressStore } from './adapters/sql/backfill-progress-store.ts';
import { createSqlCertificateRegister } from './adapters/sql/certificate-register.ts';
import { createSqlEventOutbox } from './adapters/sql/event-outbox.ts';
import { openStorage } from './adapters/sql/open-storage.ts';
import type { Sql } from './adapters/sql/sql.ts';
import { sqliteConnectionOf } from './adapters/sql/sqlite-sql.ts';
import { createSqlStatusListStore } from './adapters/sql/status-list-store.ts';
import { createSqlUnitOfWork } from './adapters/sql/unit-of-work.ts';
import type { Config } from './config.ts';
import type { BackfillPorts } from './domain/lifecycle/backfill.ts';
import { type Clock, systemClock } from './domain/ports.ts';
import { createStatusListAssigner } from './domain/status-lists/assign-status.ts';
import { keyPassphrase } from './setup/key-passphrase.ts';

export interface BackfillTools {
  /** What `runBackfill` works with, the CPU-bound steps on `threads` worker threads (default one per core; 0: this thread). */
  ports(options?: { threads?: number }): Promise<BackfillPorts>;
  /** The production passphrase check every operator command makes (the password dictionaries load only then). */
  checkProductionPassphrase(): Promise<void>;
  close(): void;
}

/**
 * The ports of a run over `sql`: the worker threads (one per core by default), or with
 * `threads: 0` the steps on this thread as `inProcessWorkers` makes them.
 */
export function backfillPortsOf(
  deps: { sql: Sql; config: Config; clock: Clock; inProcessWorkers: () => BackfillPorts['workers'] },
  options: { threads?: number } = {},
): BackfillPorts {
  const { sql, config, clock } = deps;
  const extension = path.extname(fileURLToPath(import.meta.url));
  const entryOf = (name: string) => new URL(`./${name}${extension}`, import.meta.url);
  const workers =
    options.threads === 0
      ? deps.inProcessWorkers()
      : createBackfillWorkerPool(
          entryOf('backfill-worker'),
          {
            database: config.databaseUrl ? { url: config.databaseUrl } : { file: sqliteConnectionOf(sql).name },
            passphrase: keyPassphrase(config),
            environment: config.env,
            licenceTypeCode: config.licenceTypeCode,
          },
          glyphBitsetOffThread(entryOf('adapters/backfill/glyph-bitset-worker')),
          options.threads,
        );
  const statusStore = createSqlStatusListStore(sql, { baseUrl: config.publicBaseUrl });
  return {
    transactions: createSqlUnitOfWork(sql),
    register: createSqlCertificateRegister(sql),
    statusLists: createStatusListAssigner(statusStore),
    audit: createSqlAuditLog(sql),
    // Delivered by the service's dispatcher, which finds committed events by polling.
    events: createSqlEventOutbox(sql, { newId: newTimeLedId, committed: () => {} }),
    progress: createSqlBackfillProgressStore(sql),
    rows: createBackfillRowWriter(sql),
    workers,
    // SQLite's WAL checkpoints off the writing thread; PostgreSQL checkpoints by itself.
    bulkWrites: () =>
      sql.engine === 'sqlite'
        ? startBulkWrites(sqliteConnectionOf(sql))
        : { committed: () => {}, finish: async () => {} },
    compactMemory: heapCompactor(),
    clock,
  };
}

/** The backfill command's own root: the service database, and the one-thread steps' modules loaded only when asked for. */
export function openBackfillTools(config: Config, clock: Clock = systemClock): BackfillTools {
  const sql = openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl ?? undefined });

  /** The modules of the CPU-bound steps on this thread; the key store is opened here. */
  const loadInProcessWorkers = async (): Promise<() => BackfillPorts['workers']> => {
    const [
      { inProcessBackfillWorkers },
      { openKeyStore },
      { loadFonts },
      { glyphBitsetOf },
      { createCertificateValidator },
      { divisionDirectory },
      { countryDirectory },
      { createBackfillSigner },
      { createSqlInstitutionRepository },
      { storedBackfillRows },
    ] = await Promise.all([
      import('./domain/lifecycle/backfill.ts'),
      import('./adapters/keystore/open-key-store.ts'),
      import('./adapters/pdf/index.ts'),
      import('./adapters/backfill/glyph-bitset-of.ts'),
      import('./validation/validator.ts'),
      import('./adapters/divisions.ts'),
      import('./adapters/countries.ts'),
      import('./adapters/backfill/backfill-signer.ts'),
      import('./adapters/sql/institution-repository.ts'),
      import('./adapters/backfill/backfill-rows.ts'),
    ]);
    return () => {
      const { keyStore } = openKeyStore({ ...config, keyPassphrase: keyPassphrase(config) }, sql, clock);
      return inProcessBackfillWorkers({
        institutions: createSqlInstitutionRepository(sql),
        validateCertificate: createCertificateValidator({
          clock,
          glyphs: bitsetGlyphCoverage(glyphBitsetOf(loadFonts())),
          divisions: divisionDirectory,
          countries: countryDirectory,
        }),
        signer: createBackfillSigner(keyStore),
        storedRows: storedBackfillRows,
        secrets: nodeSecrets,
        licenceTypeCode: config.licenceTypeCode,
      });
    };
  };

  return {
    async ports(options = {}) {
      const inProcessWorkers =
        options.threads === 0
          ? await loadInProcessWorkers()
          : () => {
              throw new Error('Worker threads were asked for');
            };
      return backfillPortsOf({ sql, config, clock, inProcessWorkers }, options);
    },
    async checkProductionPassphrase() {
      if (config.env !== 'production') return;
      const [{ checkProductionPassphrase }, { zxcvbnPasswordStrength }] = await Promise.all([
        import('./domain/trust/production-guards.ts'),
        import('./adapters/zxcvbn-password-strength.ts'),
      ]);
      checkProductionPassphrase(config.keyPassphrase, zxcvbnPasswordStrength);
    },
    close: () => sql.close(),
  };
}
