import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Service } from '../service.ts';
import { seedDemoAccounts } from './demo-trust-domain.ts';

/**
 * On an empty data directory outside production, creates the demo trust domain. In production
 * nothing is seeded: the operator CLI sets up the root CA, institutions and accounts.
 */
export async function prepareTrustDomain(service: Service, config: Config, logger: Logger): Promise<void> {
  const empty = service.institutions.list().length === 0 && service.accounts.list().length === 0;
  if (!empty) return;
  if (config.env === 'production') {
    logger.warn('no institutions or accounts yet: run the set-up CLI (npm run cli -- help)');
    return;
  }
  const accounts = await seedDemoAccounts(service, config.dataDir, new Date());
  logger.info({ accounts: accounts.length, file: 'demo-credentials.json' }, 'demo trust domain created');
}
