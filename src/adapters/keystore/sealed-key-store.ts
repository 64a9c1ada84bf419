import { createPublicKey, generateKeyPairSync, type KeyObject, sign as signData } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import {
  type Clock,
  type KeyStore,
  type ManagedKeyStore,
  type PendingKey,
  type SigningKey,
  systemClock,
} from '../../domain/ports.ts';
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
import type { SealedKeyVault } from './sealed-key-vault.ts';

export interface SealedKeyStoreOptions {
  /** The sealed private keys: the service database (sealed-key-vault.ts). */
  vault: SealedKeyVault;
  /**
   * Sealed keys held for this process only and never written to the vault: the operator CLI's
   * root key brought from offline custody (`--root-key FILE`).
   */
  offlineKeys?: readonly EncryptedKeyFile[];
  passphrase: string;
  register: KeyRegister;
  /** In production the example passphrase and the published example keys are refused. */
  environment: 'production' | 'development' | 'test';
  clock?: Clock;
  /** scrypt cost of new sealed keys; tests lower it. */
  scryptLog2N?: number;
}

const refuseExample = (what: string) =>
  new DomainError('EXAMPLE_KEY_REFUSED', `${what} is a published example or test key and is refused in production`);

/**
 * The key store: private keys sealed at rest (see encrypted-key-file.ts) in the vault — the
 * service database, which every node shares — decrypted on first use and kept as KeyObjects;
 * public metadata in the key register. It hands out public material and signing functions only,
 * and signs only with active keys. What it keeps in memory is derived: a decrypted key is the
 * one sealed document of its kid, which never changes, and a key another node made is read from
 * the vault when first used.
 */
export class SealedKeyStore implements ManagedKeyStore {
  private readonly privateKeys = new Map<string, KeyObject>();
  /** Secrets derived ahead of `generateKey` (prepareKeys), each sealing one new key. */
  private readonly sealing: SealingSecret[] = [];
  private readonly clock: Clock;
  private readonly offline: ReadonlyMap<string, EncryptedKeyFile>;

  private constructor(private readonly options: SealedKeyStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.offline = new Map((options.offlineKeys ?? []).map((sealed) => [sealed.kid, sealed]));
  }

  /** Opens the store; in production refuses the example passphrase and any example key. */
  static open(options: SealedKeyStoreOptions): SealedKeyStore {
    if (options.environment === 'production') {
      if (options.passphrase === EXAMPLE_PASSPHRASE) throw refuseExample('The key passphrase');
      const kids = [
        ...options.vault.kids(),
        ...(options.offlineKeys ?? []).map((sealed) => sealed.kid),
        ...options.register.list().map((key) => key.kid),
      ];
      const example = kids.find(isExampleKey);
      if (example) throw refuseExample(`Key ${example}`);
    }
    return new SealedKeyStore(options);
  }

  activeKey(institutionCreditCode: string): SigningKey {
    const record = this.options.register.active('licence', institutionCreditCode);
    if (!record || Date.parse(record.notAfter) <= this.clock.now().getTime()) {
      throw new DomainError('NO_SIGNING_KEY', `Institution ${institutionCreditCode} has no valid signing key`);
    }
    return this.toSigningKey(record);
  }

  /**
   * The institution's current key, and a key store that signs with it without reading the
   * register again: for the signatures of one credential, made together right after this lookup
   * found the key active (two register reads fewer per issue). A revocation stops the next
   * credential, not the second half of this one.
   */
  activeSigner(institutionCreditCode: string): { key: SigningKey; keyStore: KeyStore } {
    const key = this.activeKey(institutionCreditCode);
    return {
      key,
      keyStore: {
        activeKey: (code) => this.activeKey(code),
        sign: async (kid, data) => (kid === key.kid ? this.signWith(kid, data) : this.sign(kid, data)),
      },
    };
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
   * Decrypts every active key held here, so a wrong passphrase or a damaged sealed key stops
   * start-up instead of the first issuance (and the scrypt cost is paid before serving). A root
   * key kept offline is simply not held here. The derivations run at once on the thread pool.
   * With `first`, only that many of them (in the register's order): one key that opens proves
   * the passphrase. Returns the kids unlocked.
   */
  async unlockActiveKeys(options: { first?: number } = {}): Promise<string[]> {
    const held = new Set([...this.options.vault.kids(), ...this.offline.keys()]);
    const kids = this.options.register
      .list()
      .filter((record) => record.status === 'active' && held.has(record.kid))
      .map((record) => record.kid)
      .slice(0, options.first);
    const keys = await Promise.allSettled(
      kids.map((kid) => {
        const cached = this.privateKeys.get(kid);
        return cached
          ? Promise.resolve(cached)
          : decryptPrivateKeyOffThread(this.readSealed(kid), this.options.passphrase, kid);
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
   * Derives the sealing secrets of the next `count` new keys at once on the thread pool, so
   * making several keys (a first start's trust domain) does not run one scrypt after another on
   * the main thread. Each secret, with its own salt, seals one key.
   */
  async prepareKeys(count: number): Promise<void> {
    const log2N = this.options.scryptLog2N ?? DEFAULT_SCRYPT_LOG2N;
    const secrets = await Promise.all(
      Array.from({ length: count }, () => deriveSealingSecret(this.options.passphrase, log2N)),
    );
    this.sealing.push(...secrets);
  }

  /** Whether this store holds the private key of `kid` (without opening it). */
  holdsKey(kid: string): boolean {
    return this.offline.has(kid) || this.options.vault.read(kid) !== null;
  }

  /** Creates a P-256 key and writes it sealed to the vault (never replacing one). */
  generateKey(): PendingKey {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sealed = encryptPrivateKey(
      privateKey,
      this.options.passphrase,
      this.options.scryptLog2N ?? DEFAULT_SCRYPT_LOG2N,
      this.sealing.shift(),
    );
    if (!this.options.vault.write(sealed, this.clock.now().toISOString())) {
      // A kid is the thumbprint of a fresh random key: a clash means a broken random source.
      throw new Error(`A key ${sealed.kid} is already held`);
    }
    this.privateKeys.set(sealed.kid, privateKey);
    return { kid: sealed.kid, publicJwk: sealed.publicJwk, sign: async (tbs) => this.signWith(sealed.kid, tbs) };
  }

  /**
   * The public half of the private key this store holds for `kid` (decrypting its sealed key),
   * for checks that must not trust the register's copy. Throws when it is not held here.
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
    const key = decryptPrivateKey(this.readSealed(kid), this.options.passphrase, kid);
    this.privateKeys.set(kid, key);
    return key;
  }

  /** A registered key not held here (or unreadable) is a fault of custody, not a missing key. */
  private readSealed(kid: string): EncryptedKeyFile {
    if (this.options.environment === 'production' && isExampleKey(kid)) throw refuseExample(`Key ${kid}`);
    let sealed: EncryptedKeyFile | null = this.offline.get(kid) ?? null;
    try {
      sealed ??= this.options.vault.read(kid);
    } catch {
      sealed = null;
    }
    if (!sealed) throw new DomainError('KEY_UNREADABLE', `The private key of ${kid} is not held here or unreadable`);
    return sealed;
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
