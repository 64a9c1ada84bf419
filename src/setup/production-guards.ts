import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { PasswordStrength } from '../domain/accounts/account.ts';
import type { KeyRegister, X509Issuer } from '../domain/trust/ports.ts';
import { demoTraceProblems, passphraseProblems, refuseUnsafeProduction } from '../domain/trust/production-guards.ts';
import { demoInstitutions } from './demo-trust-domain.ts';

const demoFileNames = ['demo-credentials.json', 'demo-key-passphrase'];

export interface GuardedService {
  passwordStrength: PasswordStrength;
  signingKeys: Pick<KeyRegister, 'active'>;
  keyAdministration: { x509: Pick<X509Issuer, 'describe'> };
  institutions: { list(): { creditCode: string }[] };
  accounts: { list(): { username: string }[] };
}

/** In production: a strong, unpublished key passphrase and no trace of the demo, or no start. */
export function guardProduction(service: GuardedService, config: Config): void {
  if (config.env !== 'production') return;
  const root = service.signingKeys.active('root');
  const demoCodes = new Set<string>(demoInstitutions.map((i) => i.creditCode));
  const demo = demoTraceProblems({
    rootOrganization: root ? service.keyAdministration.x509.describe(root.x509Pem).organization : null,
    demoInstitutions: service.institutions
      .list()
      .map((i) => i.creditCode)
      .filter((code) => demoCodes.has(code)),
    demoAccounts: service.accounts
      .list()
      .map((a) => a.username)
      .filter((name) => name.startsWith('demo-')),
    demoFiles: demoFileNames.filter((name) => existsSync(path.join(config.dataDir, name))),
  });
  refuseUnsafeProduction([...passphraseProblems(config.keyPassphrase, service.passwordStrength), ...demo]);
}
