import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config.ts';
import { institutionRoles, isRole } from '../domain/accounts/account.ts';
import {
  clearLocks,
  disableAccount,
  enableAccount,
  listAccounts,
  resetPassword,
  revokeTokens,
} from '../domain/accounts/account-administration.ts';
import { identityLinksOf, linkIdentity, unlinkIdentity } from '../domain/accounts/identity.ts';
import { checkNewPassword } from '../domain/accounts/password-policy.ts';
import { eventBy, type Operator } from '../domain/audit/audit-event.ts';
import { isValidCreditCode } from '../domain/check/credit-code.ts';
import { DomainError } from '../domain/errors.ts';
import {
  createInstitution,
  createRootCa,
  revokeKey,
  rotateInstitutionKey,
} from '../domain/trust/key-administration.ts';
import { checkProductionPassphrase } from '../domain/trust/production-guards.ts';
import { reissueCertificates } from '../domain/trust/reissue-certificates.ts';
import { runBackfill } from './backfill.ts';

const usage = `Operator commands (DATA_DIR selects the data directory; KEY_PASSPHRASE or KEY_PASSPHRASE_FILE the key passphrase):
  init-root-ca --name CN --organization O          the trust root and the service keys it certifies (once):
                                                    trust-list, audit, status-list signers, timestamp authority
  add-institution --credit-code C --name N --division D   the institution and its first signing key
  rotate-key --institution C                        a new signing key; the old one keeps verifying
  revoke-key --kid K --reason R [--revoked-at ISO]  e-licences signed from then on fail ISSUER_REVOKED
  add-number-range --institution C --prefix Q --first 440000001 --last 440099999
  add-account --username U --role R [--institution C] [--police-unit P] --password-file F   (or the password on stdin;
                                                    --police-unit: a police account's unit, whose archives it shares)
  list-accounts                                     accounts, disabled or not, with their sign-in locks
  unlock-account --username U                       clears the account's sign-in failures and locks
  revoke-tokens --username U                        every bearer token of the account stops working
  disable-account --username U                      no sign-in, all tokens revoked
  enable-account --username U
  reset-password --username U --password-file F     (or on stdin) revokes tokens, clears locks
  link-identity --username U --issuer URL --subject S     the health commission's provider subject S signs
                                                    in to the console as U (role and institution: U's)
  unlink-identity --username U --issuer URL --subject S
  list-identities --username U                      the provider subjects linked to U
  Passwords: at least 12 characters, not the username, strength score 3 of 4 (zxcvbn).
  verify-audit                                      the audit chain against every signed checkpoint
  backfill FILE [--reject-file R] [--threads N]     back-issues paper certificates from NDJSON or CSV (docs/backfill.md);
                                                    run again after a stop, it continues where it stopped;
                                                    N worker threads sign (default one per core)
  publish-crl                                       re-signs the root's CRL now (the root key must be here)
  reissue-certificates                              certificates of the old profile (2.25 arc, no CRL pointer)
                                                    re-issued for the same keys and validity (root key here)
  retimestamp-pdfs [--within-days 365]              a new document timestamp (and DSS) on every stored PDF
                                                    whose newest timestamp's TSA certificate ends within the
                                                    window; the TSA is renewed first if its own does
  take-root-offline --out F                         writes the root's sealed key to the new file F and removes it
                                                    from the database (keep F in offline custody)
  --root-key F (any command)                        brings the root's sealed key from offline custody for this run
                                                    only (e.g. rotate-key, add-institution, publish-crl)
  help                                              this text
Exit codes: 0 done, 1 refused, 2 usage error.`;

class UsageError extends Error {}

function need(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

async function readPassword(file: string | undefined): Promise<string> {
  if (file) return (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(usage);
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'reject-file': { type: 'string' },
      threads: { type: 'string' },
      'credit-code': { type: 'string' },
      name: { type: 'string' },
      division: { type: 'string' },
      institution: { type: 'string' },
      'police-unit': { type: 'string' },
      prefix: { type: 'string' },
      first: { type: 'string' },
      last: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      'password-file': { type: 'string' },
      organization: { type: 'string' },
      kid: { type: 'string' },
      reason: { type: 'string' },
      'revoked-at': { type: 'string' },
      'within-days': { type: 'string' },
      issuer: { type: 'string' },
      subject: { type: 'string' },
      out: { type: 'string' },
      'root-key': { type: 'string' },
    },
    strict: true,
  });
  if (command !== 'backfill' && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = await loadConfig();
  // Back-issuance has a composition root of its own, without the rest of the service's modules.
  if (command === 'backfill') return backfill(config, positionals, values);
  const rootKeyFile = values['root-key'];
  const { openOperatorTools } = await import('../operator-tools.ts');
  const tools = openOperatorTools(config, undefined, rootKeyFile ? { rootKeyFile } : {});
  const { institutions, accounts, audit } = tools;
  const now = tools.clock.now();
  const operator: Operator = { username: 'cli', role: 'operator' };
  const username = () => need(values, 'username');
  try {
    // Every command may create or open keys under this passphrase.
    if (config.env === 'production') checkProductionPassphrase(config.keyPassphrase, tools.passwordStrength);
    switch (command) {
      case 'init-root-ca': {
        const request = { commonName: need(values, 'name'), organization: need(values, 'organization') };
        const created = await createRootCa(tools.keyAdministration(), operator, request);
        console.log(`root CA ${created.root.kid} created`);
        console.log(`  trust-list signer ${created.trustListSigner.kid}`);
        console.log(`  audit signer ${created.auditSigner.kid}`);
        console.log(`  status-list signer ${created.statusListSigner.kid}`);
        console.log(`  timestamp authority ${created.timestampAuthority.kid}`);
        return 0;
      }
      case 'add-institution': {
        const creditCode = need(values, 'credit-code');
        if (!isValidCreditCode(creditCode)) throw new UsageError('--credit-code has an invalid check character');
        const division = need(values, 'division');
        if (!tools.divisions.lookup(division))
          throw new UsageError('--division is not a current GB/T 2260 county-level code');
        const name = need(values, 'name');
        const { key } = await createInstitution(tools.keyAdministration(), operator, {
          creditCode,
          name,
          divisionCode: division,
        });
        console.log(`institution ${creditCode} created with signing key ${key.kid}`);
        return 0;
      }
      case 'rotate-key': {
        const found = institutions.find(need(values, 'institution'));
        if (!found) throw new UsageError(`no institution ${values.institution}`);
        const key = await rotateInstitutionKey(tools.keyAdministration(), operator, found.creditCode);
        console.log(`institution ${found.creditCode} now signs with ${key.kid}`);
        return 0;
      }
      case 'revoke-key': {
        const revokedAt = values['revoked-at'] ? new Date(String(values['revoked-at'])) : now;
        if (Number.isNaN(revokedAt.getTime())) throw new UsageError('--revoked-at is not a time');
        const revoked = revokeKey(tools.keyAdministration(), operator, {
          kid: need(values, 'kid'),
          revokedAt,
          reason: need(values, 'reason'),
          institutionKeysOnly: false,
        });
        console.log(`key ${revoked.kid} revoked from ${revoked.revokedAt}`);
        // Re-signed at once where the root key is here; else the service re-signs it when it next can.
        const crl = await tools.publishCrl().catch((error: unknown) => {
          if (error instanceof DomainError) return null;
          throw error;
        });
        console.log(
          crl ? `CRL ${crl.number} signed, next update ${crl.nextUpdate}` : 'CRL not re-signed: no root key here',
        );
        return 0;
      }
      case 'add-number-range': {
        const institution = need(values, 'institution');
        if (!institutions.find(institution)) throw new UsageError(`no institution ${institution}`);
        const prefix = need(values, 'prefix');
        const firstNo = Number(need(values, 'first'));
        const lastNo = Number(need(values, 'last'));
        if (!/^[A-Z]$/.test(prefix)) throw new UsageError('--prefix is one upper-case letter');
        if (
          !Number.isInteger(firstNo) ||
          !Number.isInteger(lastNo) ||
          firstNo < 0 ||
          lastNo < firstNo ||
          lastNo > 999_999_999
        ) {
          throw new UsageError('--first and --last are numbers 0–999999999 with first ≤ last');
        }
        const range = institutions.addNumberRange({
          institution,
          prefix,
          firstNo,
          lastNo,
          receivedOn: now.toISOString().slice(0, 10),
        });
        audit.record(eventBy(operator, 'number-range.received', institution, { prefix, firstNo, lastNo }), now);
        console.log(`range ${range.id} added: ${lastNo - firstNo + 1} numbers`);
        return 0;
      }
      case 'add-account': {
        const username = need(values, 'username');
        const role = need(values, 'role');
        if (!isRole(role))
          throw new UsageError(`--role is one of admin, midwife, issuer, police, agency, auditor, statistician`);
        const institution = values.institution ?? null;
        if (institutionRoles.includes(role) !== (institution !== null)) {
          throw new UsageError(`--institution is required for midwife and issuer accounts and not allowed otherwise`);
        }
        if (institution && !institutions.find(institution)) throw new UsageError(`no institution ${institution}`);
        const policeUnit = values['police-unit']?.trim() || null;
        if (policeUnit !== null && role !== 'police') throw new UsageError('--police-unit is for police accounts only');
        const password = await readPassword(values['password-file']);
        checkNewPassword(password, { username }, tools.passwordStrength);
        const passwordHash = await tools.hasher.hash(password);
        accounts.create({ username, passwordHash, role, institution, policeUnit }, now);
        audit.record(eventBy(operator, 'account.created', username, { role }), now);
        console.log(`account ${username} (${role}) created`);
        return 0;
      }
      case 'list-accounts':
        for (const a of listAccounts(tools.accountAdministration)) {
          const locks = a.locks.map(
            (l) => `${l.scope}:${l.sourceFingerprint ?? '*'} until ${l.lockedUntil.toISOString()}`,
          );
          console.log(
            [
              a.username,
              a.role,
              a.institution ?? '-',
              a.disabled ? 'disabled' : 'active',
              locks.join(', ') || '-',
            ].join('\t'),
          );
        }
        return 0;
      case 'unlock-account': {
        const { cleared } = clearLocks(tools.accountAdministration, operator, username());
        console.log(`account ${values.username}: ${cleared} sign-in counters cleared`);
        return 0;
      }
      case 'revoke-tokens': {
        const { revokedTokens } = revokeTokens(tools.accountAdministration, operator, username());
        console.log(`account ${values.username}: ${revokedTokens} tokens revoked`);
        return 0;
      }
      case 'disable-account': {
        const { revokedTokens } = disableAccount(tools.accountAdministration, operator, username());
        console.log(`account ${values.username} disabled; ${revokedTokens} tokens revoked`);
        return 0;
      }
      case 'enable-account':
        enableAccount(tools.accountAdministration, operator, username());
        console.log(`account ${values.username} enabled`);
        return 0;
      case 'reset-password': {
        const name = username();
        const password = await readPassword(values['password-file']);
        const { revokedTokens } = await resetPassword(tools.accountAdministration, operator, name, password);
        console.log(`account ${name}: password reset; ${revokedTokens} tokens revoked`);
        return 0;
      }
      case 'link-identity':
      case 'unlink-identity': {
        const name = username();
        const issuer = need(values, 'issuer');
        const subject = need(values, 'subject');
        if (!/^https?:\/\/[\x21-\x7e]{1,193}$/.test(issuer)) throw new UsageError('--issuer is an http(s) URL');
        if (!/^[\x21-\x7e]{1,255}$/.test(subject)) throw new UsageError('--subject is printable ASCII without spaces');
        if (command === 'link-identity') {
          linkIdentity(tools.identityLinks, operator, name, { issuer, subject });
          console.log(`account ${name}: linked to ${subject} at ${issuer}`);
        } else {
          unlinkIdentity(tools.identityLinks, operator, name, { issuer, subject });
          console.log(`account ${name}: link to ${subject} at ${issuer} removed`);
        }
        return 0;
      }
      case 'list-identities': {
        console.log(JSON.stringify(identityLinksOf(tools.identityLinks, username())));
        return 0;
      }
      case 'verify-audit': {
        // The chain against every signed checkpoint; the key store (passphrase) checks the signatures.
        const report = tools.auditCheckpoints().verify();
        console.log(JSON.stringify(report));
        return report.intact ? 0 : 1;
      }
      case 'take-root-offline': {
        const kid = await tools.takeRootOffline(need(values, 'out'));
        console.log(`root key ${kid} written to ${values.out} and removed from the database`);
        return 0;
      }
      case 'publish-crl': {
        const crl = await tools.publishCrl();
        console.log(`CRL ${crl.number} signed at ${crl.thisUpdate}, next update ${crl.nextUpdate}`);
        return 0;
      }
      case 'reissue-certificates': {
        const reissued = await reissueCertificates(tools.keyAdministration(), operator);
        for (const key of reissued) console.log(`re-issued the ${key.purpose} certificate of ${key.kid}`);
        console.log(`${reissued.length} certificate(s) re-issued`);
        if (reissued.length > 0) {
          const crl = await tools.publishCrl();
          console.log(`CRL ${crl.number} signed`);
        }
        return 0;
      }
      case 'retimestamp-pdfs': {
        const days = values['within-days'] === undefined ? 365 : Number(values['within-days']);
        if (!Number.isInteger(days) || days < 0 || days > 36_500) {
          throw new UsageError('--within-days must be a whole number of days (0 to 36500)');
        }
        console.log(JSON.stringify(await tools.retimestampPdfs(days)));
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command');
    }
  } finally {
    tools.close();
  }
}

/** `backfill FILE [--reject-file R] [--threads N]` (docs/backfill.md). */
async function backfill(
  config: Config,
  positionals: string[],
  values: { threads?: string | undefined; 'reject-file'?: string | undefined },
): Promise<number> {
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('backfill takes one input file');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 0 && threads <= 64)) {
    throw new UsageError('--threads is a whole number 0–64 (0: everything on the main thread)');
  }
  const { openBackfillTools } = await import('../backfill-tools.ts');
  const tools = openBackfillTools(config);
  try {
    await tools.checkProductionPassphrase();
    const summary = await runBackfill(
      await tools.ports(threads === undefined ? {} : { threads }),
      { username: 'cli', role: 'operator' },
      file,
      {
        ...(values['reject-file'] && { rejectFile: values['reject-file'] }),
        tty: process.stderr.isTTY === true,
        log: (line) => console.log(line),
      },
    );
    console.log(
      JSON.stringify({
        issued: summary.issued,
        rejected: summary.rejected,
        skipped: summary.skipped,
        seconds: summary.seconds,
        stages: summary.stages,
      }),
    );
    return 0;
  } finally {
    tools.close();
  }
}

/** A write the database refused by a constraint: SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23. */
function isConstraintViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_CONSTRAINT') || ((error as Error).name === 'PostgresError' && code.startsWith('23'));
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    if (error instanceof DomainError || isConstraintViolation(error)) {
      console.error(`refused: ${(error as Error).message}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
