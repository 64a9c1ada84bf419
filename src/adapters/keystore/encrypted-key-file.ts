import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  type KeyObject,
  randomBytes,
  scrypt,
  scryptSync,
} from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import { type EcPublicJwk, jwkThumbprint, publicJwkOf } from '../pki/ec-jwk.ts';

/**
 * One private key at rest: PKCS#8 DER sealed with AES-256-GCM under a scrypt-derived key.
 * Why not node's encrypted PKCS#8 PEM: it derives with PBKDF2 at 2048 iterations, cheap to
 * brute-force; scrypt is memory-hard. GCM authenticates, and the kid is associated data, so a
 * file renamed or swapped for another key's fails to open. The public JWK stays readable so the
 * kid can be checked (and the example-key list consulted) without the passphrase.
 */
export interface EncryptedKeyFile {
  format: typeof FORMAT;
  kid: string;
  publicJwk: EcPublicJwk;
  kdf: { name: 'scrypt'; log2N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

const FORMAT = 'birth-certificate-key/v1';
/** N = 2^16, r = 8: 64 MiB and about 0.1–0.2 s per decryption, paid once per key per process. */
export const DEFAULT_SCRYPT_LOG2N = 16;
const MAX_SCRYPT_LOG2N = 20;

const scryptOptions = (kdf: EncryptedKeyFile['kdf']) => ({
  N: 2 ** kdf.log2N,
  r: kdf.r,
  p: kdf.p,
  maxmem: 256 * 2 ** kdf.log2N * kdf.r + 2 ** 20,
});
const saltOf = (kdf: EncryptedKeyFile['kdf']) => Buffer.from(kdf.salt, 'base64url');

const derive = (passphrase: string, kdf: EncryptedKeyFile['kdf']) =>
  scryptSync(passphrase.normalize('NFC'), saltOf(kdf), 32, scryptOptions(kdf));

/** The same derivation on libuv's thread pool: several keys unlock at once, off the main thread. */
const deriveOnThreadPool = (passphrase: string, kdf: EncryptedKeyFile['kdf']) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), saltOf(kdf), 32, scryptOptions(kdf), (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** A fresh salt and the key it derives from the passphrase, to seal exactly one key file. */
export interface SealingSecret {
  kdf: EncryptedKeyFile['kdf'];
  secret: Buffer;
}

const newKdf = (log2N: number): EncryptedKeyFile['kdf'] => ({
  name: 'scrypt',
  log2N,
  r: 8,
  p: 1,
  salt: randomBytes(16).toString('base64url'),
});

/**
 * A sealing secret derived on the thread pool: a store that knows it will make several keys
 * derives their secrets at once, instead of one scrypt after another on the main thread.
 */
export async function deriveSealingSecret(passphrase: string, log2N = DEFAULT_SCRYPT_LOG2N): Promise<SealingSecret> {
  const kdf = newKdf(log2N);
  return { kdf, secret: await deriveOnThreadPool(passphrase, kdf) };
}

/** Seals `key` under the passphrase; `sealing` is a secret derived beforehand (used for this file only). */
export function encryptPrivateKey(
  key: KeyObject,
  passphrase: string,
  log2N = DEFAULT_SCRYPT_LOG2N,
  sealing?: SealingSecret,
): EncryptedKeyFile {
  const publicJwk = publicJwkOf(key);
  const kid = jwkThumbprint(publicJwk);
  const kdf = sealing?.kdf ?? newKdf(log2N);
  const secret = sealing?.secret ?? derive(passphrase, kdf);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  cipher.setAAD(Buffer.from(`${FORMAT}|${kid}`));
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return {
    format: FORMAT,
    kid,
    publicJwk,
    kdf,
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') },
    ciphertext: ciphertext.toString('base64url'),
  };
}

const unreadable = (kid: string) =>
  new DomainError('KEY_UNREADABLE', `The key file of ${kid} cannot be opened (wrong passphrase or damaged file)`);

/** The private key, after checking the file belongs to `expectedKid` and holds that very key. */
export function decryptPrivateKey(file: EncryptedKeyFile, passphrase: string, expectedKid: string): KeyObject {
  checkKeyFile(file, expectedKid);
  let secret: Buffer;
  try {
    secret = derive(passphrase, file.kdf);
  } catch {
    throw unreadable(expectedKid);
  }
  return openKeyFile(file, secret, expectedKid);
}

/** As decryptPrivateKey, with the scrypt derivation on the thread pool. */
export async function decryptPrivateKeyOffThread(
  file: EncryptedKeyFile,
  passphrase: string,
  expectedKid: string,
): Promise<KeyObject> {
  checkKeyFile(file, expectedKid);
  const secret = await deriveOnThreadPool(passphrase, file.kdf).catch(() => {
    throw unreadable(expectedKid);
  });
  return openKeyFile(file, secret, expectedKid);
}

function checkKeyFile(file: EncryptedKeyFile, expectedKid: string): void {
  if (file.format !== FORMAT || file.kid !== expectedKid || file.kdf?.name !== 'scrypt') throw unreadable(expectedKid);
  const { log2N, r, p } = file.kdf;
  if (!Number.isInteger(log2N) || log2N < 10 || log2N > MAX_SCRYPT_LOG2N || r !== 8 || p !== 1) {
    throw unreadable(expectedKid);
  }
}

function openKeyFile(file: EncryptedKeyFile, secret: Buffer, expectedKid: string): KeyObject {
  let key: KeyObject;
  try {
    const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(file.cipher.iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${FORMAT}|${expectedKid}`));
    decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64url'));
    const der = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64url')), decipher.final()]);
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw unreadable(expectedKid);
  }
  if (jwkThumbprint(publicJwkOf(key)) !== expectedKid) throw unreadable(expectedKid);
  return key;
}
