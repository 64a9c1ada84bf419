/**
 * A back-issuance worker thread (see domain/lifecycle/backfill.ts): validates and signs batches
 * for `backfill`, one core each. It is a composition root of its own thread: it opens the
 * service database read-only (the institution directory and the key register) and the key
 * store itself, whose sealed keys (in that database) it decrypts under the passphrase like the main
 * thread's key store does; no private key crosses between threads. The fonts' coverage comes
 * as a shared bit set, so validation here answers exactly as the API's.
 */
import 'reflect-metadata';
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { storedBackfillRows } from './adapters/backfill/backfill-rows.ts';
import { createBackfillSigner } from './adapters/backfill/backfill-signer.ts';
import { bitsetGlyphCoverage } from './adapters/backfill/glyph-bitset.ts';
import { openReadOnlyDatabase } from './adapters/backfill/read-only-database.ts';
import type { BackfillWorkerData, BackfillWorkerRequest } from './adapters/backfill/worker-pool.ts';
import { countryDirectory } from './adapters/countries.ts';
import { divisionDirectory } from './adapters/divisions.ts';
import { SealedKeyStore } from './adapters/keystore/sealed-key-store.ts';
import { createSigningKeyRepository } from './adapters/keystore/signing-key-repository.ts';
import { postgresSql } from './adapters/postgres/postgres-sql.ts';
import { nodeSecrets } from './adapters/secrets.ts';
import { createSqlInstitutionRepository } from './adapters/sql/institution-repository.ts';
import { createSqlSealedKeyVault } from './adapters/sql/sealed-key-vault.ts';
import { sqliteSql } from './adapters/sql/sqlite-sql.ts';
import { DomainError } from './domain/errors.ts';
import { createBackfillTickets } from './domain/lifecycle/backfill.ts';
import { type SigningKey, systemClock } from './domain/ports.ts';
import type { KeyRegister } from './domain/trust/ports.ts';
import { createCertificateValidator } from './validation/validator.ts';

const data = workerData as BackfillWorkerData;
// The fonts' coverage arrives once made (glyph-bitset.ts), shared by every worker thread.
const [{ glyphs }] = (await once(parentPort!, 'message')) as [{ glyphs: SharedArrayBuffer }];
// The keys and institutions are read from the service's database, as the main thread's.
const sql =
  'url' in data.database ? postgresSql(data.database.url) : sqliteSql(openReadOnlyDatabase(data.database.file));
const register = createSigningKeyRepository(sql);

/**
 * The key register read once per batch rather than twice per signature: a rotation made while
 * the run goes on takes effect from the next batch (each batch has one signing instant).
 */
const cache = {
  get: new Map<string, ReturnType<KeyRegister['get']>>(),
  active: new Map<string, ReturnType<KeyRegister['active']>>(),
  /** The institutions' current keys as the signer takes them (public material, x5c decoded once). */
  signing: new Map<string, SigningKey>(),
};
const cachedRegister: KeyRegister = {
  ...register,
  get(kid) {
    if (!cache.get.has(kid)) cache.get.set(kid, register.get(kid));
    return cache.get.get(kid)!;
  },
  active(purpose, institution) {
    const key = `${purpose}:${institution ?? ''}`;
    if (!cache.active.has(key)) cache.active.set(key, register.active(purpose, institution));
    return cache.active.get(key)!;
  },
};
const keyStore = SealedKeyStore.open({
  vault: createSqlSealedKeyVault(sql),
  passphrase: data.passphrase,
  register: cachedRegister,
  environment: data.environment,
});
const tickets = createBackfillTickets({
  institutions: createSqlInstitutionRepository(sql),
  validateCertificate: createCertificateValidator({
    clock: systemClock,
    divisions: divisionDirectory,
    countries: countryDirectory,
    glyphs: bitsetGlyphCoverage(glyphs),
  }),
  // Every valid record fits version 13 uncompressed; zlib shortened none of the generated ones.
  signer: createBackfillSigner(keyStore, (code) => {
    let key = cache.signing.get(code);
    if (!key) {
      key = keyStore.activeKey(code);
      cache.signing.set(code, key);
    }
    return key;
  }),
  // Each record's register row is made here: the main thread only binds it.
  storedRows: storedBackfillRows,
  secrets: nodeSecrets,
  licenceTypeCode: data.licenceTypeCode,
});

parentPort?.on('message', async (request: BackfillWorkerRequest) => {
  const started = performance.now();
  try {
    if (request.op === 'check') {
      const result = tickets.check(request.ticket, request.lines);
      parentPort?.postMessage({ id: request.id, result, ms: performance.now() - started });
    } else {
      cache.get.clear();
      cache.active.clear();
      cache.signing.clear();
      const { ticket, placed, issuedAt, operator } = request;
      const records = await tickets.sign(ticket, placed, new Date(issuedAt), operator);
      parentPort?.postMessage({ id: request.id, result: records, ms: performance.now() - started });
    }
  } catch (error) {
    parentPort?.postMessage({
      id: request.id,
      error: {
        message: error instanceof Error ? error.message : String(error),
        ...(error instanceof DomainError && { domainCode: error.code }),
      },
    });
  }
});
parentPort?.postMessage({ ready: true });
