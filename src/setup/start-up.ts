import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { AccountRepository, PasswordHasher } from '../domain/accounts/account.ts';
import type { InstitutionRepository } from '../domain/institution.ts';
import { voidInterruptedReservations as voidInterrupted } from '../domain/lifecycle/numbers.ts';
import type { LifecyclePorts } from '../domain/lifecycle/ports.ts';
import { provisionDemoTrustDomain } from '../domain/trust/provision-demo-trust-domain.ts';
import { provisionStatusListSigner } from '../domain/trust/provision-signing-key.ts';
import { type DemoSeedTarget, demoInstitutions, hashDemoPasswords, seedDemoAccounts } from './demo-trust-domain.ts';

type KeyProvisioning = Omit<Parameters<typeof provisionDemoTrustDomain>[0], 'institutions' | 'now'>;

/**
 * What start-up needs of the service it prepares. The composition root (service.ts) builds the
 * service and hands it in; set-up never reaches back up to it.
 */
export interface StartingService extends DemoSeedTarget {
  institutions: DemoSeedTarget['institutions'] & Pick<InstitutionRepository, 'list'>;
  accounts: Pick<AccountRepository, 'create'> & { list(): readonly unknown[] };
  hasher: PasswordHasher;
  keyAdministration: KeyProvisioning;
  lifecycle: Pick<LifecyclePorts, 'transactions' | 'register' | 'stock' | 'audit' | 'clock'>;
  warmUp(): Promise<void>;
  /** Derives the sealing secrets of `count` keys about to be made, at once on the thread pool. */
  prepareKeys(count: number): Promise<void>;
}

/** The keys a demo trust domain is made of: root, trust-list, audit and status-list signers, one per institution. */
const DEMO_KEY_COUNT = 4 + demoInstitutions.length;

/**
 * Everything between opening the service and serving: the demo trust domain on a first start,
 * the font warm-up, then recovery of interrupted reservations. The warm-up (main thread) runs
 * while the demo passwords are hashed (thread pool); a failure of either is thrown once both
 * have settled, so nothing still runs when the caller closes the service.
 */
export async function prepareToServe(service: StartingService, config: Config, logger: Logger): Promise<void> {
  await settleAll([prepareTrustDomain(service, config, logger), service.warmUp()]);
  voidInterruptedReservations(service, logger);
}

/**
 * On an empty data directory outside production, creates the demo trust domain. In production
 * nothing is seeded: the operator CLI sets up the root CA, institutions and accounts.
 */
export async function prepareTrustDomain(service: StartingService, config: Config, logger: Logger): Promise<void> {
  const { clock } = service.lifecycle;
  const empty = service.institutions.list().length === 0 && service.accounts.list().length === 0;
  if (!empty) {
    await provisionMissingStatusListSigner(service, logger);
    return;
  }
  if (config.env === 'production') {
    logger.warn('no institutions or accounts yet: run the set-up CLI (npm run cli -- help)');
    return;
  }
  const now = clock.now();
  // The password hashes and the sealed keys' scrypt derivations all run at once on the thread
  // pool; the keys themselves are made on the main thread.
  const hashing = hashDemoPasswords(service.hasher);
  const provisioning = async () => {
    const { keyStore, register, x509, publicBaseUrl } = service.keyAdministration;
    // A first start stopped between the two steps finds the PKI made and only seeds the rest.
    if (register.active('root')) return;
    await service.prepareKeys(DEMO_KEY_COUNT);
    await provisionDemoTrustDomain({
      keyStore,
      register,
      x509,
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
      institutions: demoInstitutions.map(({ name, creditCode }) => ({ name, creditCode })),
      now,
    });
  };
  const [hashed] = await settleAll([hashing, provisioning()]);
  await provisionMissingStatusListSigner(service, logger);
  const accounts = await seedDemoAccounts(service, config.dataDir, now, hashed);
  logger.info({ accounts: accounts.length, file: 'demo-credentials.json' }, 'demo trust domain created');
}

/**
 * A number taken for a replacement or reissue whose certificate never landed (the process
 * stopped in between) is voided, so it is accounted for and never handed out again.
 */
export function voidInterruptedReservations(service: Pick<StartingService, 'lifecycle'>, logger: Logger): void {
  for (const certificateNo of voidInterrupted(service.lifecycle)) {
    logger.warn({ certificateNo }, 'voided a number left reserved by an interrupted issue');
  }
}

/**
 * A data directory made before status lists existed has no status-list key: one is made at start
 * when the root's key is here to certify it; without it, status lists stay unavailable.
 */
async function provisionMissingStatusListSigner(service: StartingService, logger: Logger): Promise<void> {
  const { keyStore, register, x509 } = service.keyAdministration;
  if (!register.active('root') || register.active('status-list')) return;
  try {
    const record = await provisionStatusListSigner({ keyStore, register, x509, now: service.lifecycle.clock.now() });
    logger.info({ kid: record.kid }, 'status-list signing key provisioned');
  } catch (error) {
    logger.warn({ err: error }, 'no status-list signing key: status lists are unavailable');
  }
}

/** Like Promise.all, but waits for every promise before throwing the first failure. */
async function settleAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(promises as readonly Promise<unknown>[]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
