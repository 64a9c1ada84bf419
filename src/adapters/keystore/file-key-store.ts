import { createPublicKey, generateKeyPairSync, type KeyObject, sign as signData } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors.ts';
import { type Clock, type ManagedKeyStore, type PendingKey, type SigningKey, systemClock } from '../../domain/ports.ts';
import type { KeyRegister, SigningKeyRecord } from '../../domain/trust/ports.ts';
import { toLowS } from '../pki/p256-low-s.ts';
import { pemToX5c } from '../pki/pem.ts';
import {
  DEFAULT_SCRYPT_LOG2N,
  decryptPrivateKey,
  decryptPrivateKeyOffThread,
  deriveSealingSecret,
  type EncryptedKeyFile,
  encryptPrivateKey,
  type SealingSecret,
} from './encrypted-key-file.ts';
import { EXAMPLE_PASSPHRASE, isExampleKey } from './example-keys.ts';

export interface FileKeyStoreOptions {
  /** One `<kid>.key` file per key, e.g. DATA_DIR/keys. */
  directory: string;
  passphrase: string;
  register: KeyRegister;
  /** In production the example passphrase and the published example keys are refused. */
  environment: 'production' | 'development' | 'test';
  clock?: Clock;
  /** scrypt cost of new key files; tests lower it. */
  scryptLog2N?: number;
}

const KID = /^[A-Za-z0-9_-]{43}$/;

const refuseExample = (what: string) =>
  new DomainError('EXAMPLE_KEY_REFUSED', `${what} is a published example or test key and is refused in production`);

/**
 * The file key store: private keys encrypted at rest (see encrypted-key-file.ts), decrypted on
 * first use and kept as KeyObjects; public metadata in SQLite. It hands out public material
 * only, and signs only with active keys.
 */
export class FileKeyStore implements ManagedKeyStore {
  private readonly privateKeys = new Map<string, KeyObject>();
  /** Secrets derived ahead of `generateKey` (prepareKeys), each sealing one new key file. */
  private readonly sealing: SealingSecret[] = [];
  private readonly clock: Clock;

  private constructor(private readonly options: FileKeyStoreOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Opens the directory; in production refuses the example passphrase and any example key. */
  static open(options: FileKeyStoreOptions): FileKeyStore {
    mkdirSync(options.directory, { recursive: true, mode: 0o700 });
    if (options.environment === 'production') {
      if (options.passphrase === EXAMPLE_PASSPHRASE) throw refuseExample('The key passphrase');
      const files = readdirSync(options.directory).filter((name) => name.endsWith('.key'));
      const kids = [...files.map((name) => name.slice(0, -4)), ...options.register.list().map((key) => key.kid)];
      const example = kids.find(isExampleKey);
      if (example) throw refuseExample(`Key ${example}`);
    }
    return new FileKeyStore(options);
  }

  activeKey(institutionCreditCode: string): SigningKey {
    const record = this.options.register.active('licence', institutionCreditCode);
    if (!record || Date.parse(record.notAfter) <= this.clock.now().getTime()) {
      throw new DomainError('NO_SIGNING_KEY', `Institution ${institutionCreditCode} has no valid signing key`);
    }
    return this.toSigningKey(record);
  }

  /** Public material of any e-licence signing key, current or not. */
  signingKey(kid: string): SigningKey {
    const record = this.options.register.get(kid);
    if (record?.purpose !== 'licence') throw new DomainError('KEY_NOT_FOUND', `No signing key ${kid}`);
    return this.toSigningKey(record);
  }

  /** Whether `sign(kid, …)` would make a signature now: the key is active and not expired. */
  canSign(kid: string): boolean {
    const record = this.options.register.get(kid);
    return record?.status === 'active' && Date.parse(record.notAfter) > this.clock.now().getTime();
  }

  async sign(kid: string, data: Uint8Array): Promise<Uint8Array> {
    const record = this.options.register.get(kid);
    if (!record) throw new DomainError('KEY_NOT_FOUND', `No key ${kid}`);
    // Rotated-out and revoked keys verify old signatures but make no new ones.
    if (record.status !== 'active') throw new DomainError('KEY_NOT_USABLE', `Key ${kid} is ${record.status}`);
    return this.signWith(kid, data);
  }

  /**
   * Decrypts every active key whose file is here, so a wrong passphrase or a damaged file stops
   * start-up instead of the first issuance (and the scrypt cost is paid before serving). A root
   * key kept offline simply has no file here. The derivations run at once on the thread pool.
   * With `first`, only that many of them (in the register's order): one key that opens proves
   * the passphrase. Returns the kids unlocked.
   */
  async unlockActiveKeys(options: { first?: number } = {}): Promise<string[]> {
    const files = new Set(readdirSync(this.options.directory));
    const kids = this.options.register
      .list()
      .filter((record) => record.status === 'active' && files.has(`${record.kid}.key`))
      .map((record) => record.kid)
      .slice(0, options.first);
    const keys = await Promise.allSettled(
      kids.map((kid) => {
        const cached = this.privateKeys.get(kid);
        return cached
          ? Promise.resolve(cached)
          : decryptPrivateKeyOffThread(this.readKeyFile(kid), this.options.passphrase, kid);
      }),
    );
    kids.forEach((kid, i) => {
      const outcome = keys[i]!;
      if (outcome.status === 'rejected') throw outcome.reason;
      this.privateKeys.set(kid, outcome.value);
    });
    return kids;
  }

  /**
   * Derives the sealing secrets of the next `count` new key files at once on the thread pool, so
   * making several keys (a first start's trust domain) does not run one scrypt after another on
   * the main thread. Each secret, with its own salt, seals one file.
   */
  async prepareKeys(count: number): Promise<void> {
    const log2N = this.options.scryptLog2N ?? DEFAULT_SCRYPT_LOG2N;
    const secrets = await Promise.all(
      Array.from({ length: count }, () => deriveSealingSecret(this.options.passphrase, log2N)),
    );
    this.sealing.push(...secrets);
  }

  /** Whether this store holds a key file for `kid` (without opening it). */
  hasKeyFile(kid: string): boolean {
    return existsSync(this.fileOf(kid));
  }

  /** Creates a P-256 key and writes its encrypted file (never overwriting one). */
  generateKey(): PendingKey {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = encryptPrivateKey(
      privateKey,
      this.options.passphrase,
      this.options.scryptLog2N ?? DEFAULT_SCRYPT_LOG2N,
      this.sealing.shift(),
    );
    writeFileSync(this.fileOf(file.kid), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    this.privateKeys.set(file.kid, privateKey);
    return { kid: file.kid, publicJwk: file.publicJwk, sign: async (tbs) => this.signWith(file.kid, tbs) };
  }

  /**
   * The public half of the private key this store holds for `kid` (decrypting its file), for
   * checks that must not trust the register's copy. Throws KEY_NOT_FOUND when there is no file.
   */
  publicKeyOf(kid: string): KeyObject {
    return createPublicKey(this.privateKey(kid));
  }

  private signWith(kid: string, data: Uint8Array): Uint8Array {
    const key = this.privateKey(kid);
    // Low-S only (see p256-low-s.ts): the verifier refuses the high-S twin of every signature.
    return toLowS(new Uint8Array(signData('sha256', data, { key, dsaEncoding: 'ieee-p1363' })));
  }

  private privateKey(kid: string): KeyObject {
    const cached = this.privateKeys.get(kid);
    if (cached) return cached;
    const key = decryptPrivateKey(this.readKeyFile(kid), this.options.passphrase, kid);
    this.privateKeys.set(kid, key);
    return key;
  }

  /** A registered key whose file is gone or unreadable is a fault of custody, not a missing key. */
  private readKeyFile(kid: string): EncryptedKeyFile {
    if (this.options.environment === 'production' && isExampleKey(kid)) throw refuseExample(`Key ${kid}`);
    try {
      return JSON.parse(readFileSync(this.fileOf(kid), 'utf8')) as EncryptedKeyFile;
    } catch {
      throw new DomainError('KEY_UNREADABLE', `The key file of ${kid} is missing or unreadable`);
    }
  }

  private fileOf(kid: string): string {
    if (!KID.test(kid)) throw new DomainError('KEY_NOT_FOUND', 'Not a key id');
    return path.join(this.options.directory, `${kid}.key`);
  }

  /** x5c = [the key's certificate]: our PKI has no intermediate CA (the root certifies institutions). */
  private toSigningKey(record: SigningKeyRecord): SigningKey {
    return {
      kid: record.kid,
      institutionCreditCode: record.institutionCreditCode!,
      x5c: [pemToX5c(record.x509Pem)],
      publicJwk: record.publicJwk,
    };
  }
}
