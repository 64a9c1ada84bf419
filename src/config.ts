import path from 'node:path';

export type Environment = 'production' | 'development' | 'test';

export interface Config {
  readonly env: Environment;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Passphrase that encrypts institution private keys at rest. */
  readonly keyPassphrase: string | null;
  /** Lifetime of staff bearer tokens. */
  readonly tokenTtlSeconds: number;
  /** GB/T 36903 licence type code: defining body's credit code + 3 digits. The real code is not
   *  public, so it is configurable; the default reuses DOMAIN.md's valid example credit code. */
  readonly licenceTypeCode: string;
  readonly logLevel: string;
  /** Sign-in and citizen-claim attempts per client address per minute. */
  readonly rateLimitPerMinute: number;
  /** The service's public address: status list URIs (printed in every QR) are made from it. */
  readonly publicBaseUrl: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be 0–65535, got "${raw}"`);
  return port;
}

function readPositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer`);
  return value;
}

/** An absolute http(s) URL without a trailing slash; short, because it is printed in every QR. */
function readBaseUrl(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'http://localhost:3000';
  if (!/^https?:\/\/[\x21-\x7e]{1,100}$/.test(raw)) throw new ConfigError('PUBLIC_BASE_URL must be an http(s) URL');
  return raw.replace(/\/+$/, '');
}

function readEnvironment(raw: string | undefined): Environment {
  if (raw === 'production' || raw === 'test') return raw;
  return 'development';
}

/** Reads the environment once. `KEY_PASSPHRASE_FILE` wins over `KEY_PASSPHRASE`. */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  let keyPassphrase = env.KEY_PASSPHRASE ?? null;
  if (env.KEY_PASSPHRASE_FILE) {
    const { readFile } = await import('node:fs/promises');
    keyPassphrase = (await readFile(env.KEY_PASSPHRASE_FILE, 'utf8')).trim();
  }
  const config: Config = {
    env: readEnvironment(env.NODE_ENV),
    port: readPort(env.PORT),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    keyPassphrase: keyPassphrase === '' ? null : keyPassphrase,
    tokenTtlSeconds: readPositiveInt('TOKEN_TTL_SECONDS', env.TOKEN_TTL_SECONDS, 900),
    licenceTypeCode: env.LICENCE_TYPE_CODE ?? '11100000000013338W001',
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: readPositiveInt('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 20),
    publicBaseUrl: readBaseUrl(env.PUBLIC_BASE_URL),
  };
  if (config.env === 'production' && config.keyPassphrase === null) {
    throw new ConfigError('KEY_PASSPHRASE or KEY_PASSPHRASE_FILE is required in production');
  }
  return Object.freeze(config);
}
