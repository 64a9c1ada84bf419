import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { voidInterruptedReservations as voidInterrupted } from '../domain/lifecycle/numbers.ts';
import { provisionDemoTrustDomain } from '../domain/trust/provision-demo-trust-domain.ts';
import { provisionStatusListSigner } from '../domain/trust/provision-signing-key.ts';
import type { Service } from '../service.ts';
import { demoInstitutions, seedDemoAccounts } from './demo-trust-domain.ts';

/**
 * On an empty data directory outside production, creates the demo trust domain. In production
 * nothing is seeded: the operator CLI sets up the root CA, institutions and accounts.
 */
export async function prepareTrustDomain(service: Service, config: Config, logger: Logger): Promise<void> {
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
  // A first start stopped between the two steps finds the PKI made and only seeds the rest.
  if (!service.signingKeys.active('root')) {
    const { keyStore, register, x509 } = service.keyAdministration;
    await provisionDemoTrustDomain({
      keyStore,
      register,
      x509,
      institutions: demoInstitutions.map(({ name, creditCode }) => ({ name, creditCode })),
      now,
    });
  }
  await provisionMissingStatusListSigner(service, logger);
  const accounts = await seedDemoAccounts(service, config.dataDir, now);
  logger.info({ accounts: accounts.length, file: 'demo-credentials.json' }, 'demo trust domain created');
}

/**
 * A number taken for a replacement or reissue whose certificate never landed (the process
 * stopped in between) is voided, so it is accounted for and never handed out again.
 */
export function voidInterruptedReservations(service: Service, logger: Logger): void {
  for (const certificateNo of voidInterrupted(service.lifecycle)) {
    logger.warn({ certificateNo }, 'voided a number left reserved by an interrupted issue');
  }
}

/** Parses and exercises the fonts so the first certificate is not the slow one. */
export async function warmUp(service: Service): Promise<void> {
  await service.warmUp();
}

/**
 * A data directory from before status lists has a root but no status-list signer: it gets one,
 * certified by the root, as `init-root-ca` makes for a new trust domain. Without it the status
 * lists (and the offline bundle) answer 503 until the operator provides one.
 */
async function provisionMissingStatusListSigner(service: Service, logger: Logger): Promise<void> {
  const { keyStore, register, x509, clock } = service.keyAdministration;
  if (!register.active('root') || register.active('status-list')) return;
  try {
    const record = await provisionStatusListSigner({ keyStore, register, x509, now: clock.now() });
    logger.info({ kid: record.kid }, 'status-list signing key provisioned');
  } catch (error) {
    logger.warn({ err: error }, 'no status-list signing key: status lists are unavailable');
  }
}
