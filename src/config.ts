import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';

export type Environment = 'production' | 'development' | 'test';

export interface Config {
  readonly env: Environment;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /**
   * DATABASE_URL: a PostgreSQL database (postgres://user:password@host:port/name, SCRAM or md5)
   * shared by every node; null keeps the embedded SQLite file in DATA_DIR.
   */
  readonly databaseUrl: string | null;
  /** Passphrase that encrypts institution private keys at rest. */
  readonly keyPassphrase: string | null;
  /** Lifetime of staff bearer tokens. */
  readonly tokenTtlSeconds: number;
  /** GB/T 36903 licence type code: defining body's credit code + 3 digits. The real code is not
   *  public, so it is configurable; the default reuses DOMAIN.md's valid example credit code. */
  readonly licenceTypeCode: string;
  readonly logLevel: string;
  /** Sign-in attempts per account and address, citizen claims per certificate and address, per minute. */
  readonly rateLimitPerMinute: number;
  /**
   * Express's `trust proxy`: which reverse proxies may tell the client's address in
   * X-Forwarded-For. false (the default) uses the connection's address.
   */
  readonly trustProxy: false | number | readonly string[];
  /** How often the service signs the audit chain head, when it moved (seconds). */
  readonly auditCheckpointSeconds: number;
  /** Public PDF verifications per client address per minute (a PDF costs far more than a QR). */
  readonly pdfVerificationsPerMinute: number;
  /**
   * The service's public address (PUBLIC_BASE_URL, e.g. https://elicence.example.gov.cn): status
   * list URIs (printed in every QR) are made from it, and the X.509 certificates it issues point
   * there for the root's CRL and certificate.
   */
  readonly publicBaseUrl: string;
  /** RFC 3161 timestamp requests per client address per minute. */
  readonly timestampsPerMinute: number;
  /**
   * Worker threads rendering and signing certificate PDFs (PDF_RENDER_THREADS); 0 renders on the
   * event loop. Default: one per core, but 0 under NODE_ENV=test (each worker parses the fonts).
   */
  readonly pdfRenderThreads: number;
  /** Parents' sign-in through the government platform's identity provider (OIDC_CITIZEN_*); null: off. */
  readonly oidcCitizen: OidcSettings | null;
  /** Staff sign-in through the health commission's identity provider (OIDC_STAFF_*); null: off. */
  readonly oidcStaff: OidcSettings | null;
}

/** One OpenID provider the service is a relying party of; the redirect URI is PUBLIC_BASE_URL + /oidc/callback. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claim carrying the person's ID number (citizens only), and the name claim. */
  idNumberClaim: string | null;
  nameClaim: string | null;
  /** `acr` values accepted; empty accepts any. */
  acceptedAcr: readonly string[];
  /** Scopes asked for (default `openid profile`). */
  scope: string;
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

function readThreadCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 64) throw new ConfigError(`${name} must be an integer 0–64`);
  return value;
}

const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrSubnet(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [ip, bits, ...rest] = entry.split('/');
  const family = isIP(ip ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY as express's `trust proxy` takes it, less the setting that trusts everyone: a hop
 * count (`1`), or a comma-separated list of proxy addresses, subnets (`10.0.0.0/8`) and the names
 * loopback, linklocal, uniquelocal. `true` is refused: it lets any client choose its own address
 * and so its own rate limits and sign-in throttles.
 */
export function readTrustProxy(raw: string | undefined): false | number | readonly string[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'false') return false;
  const text = raw.trim();
  if (text === 'true') {
    throw new ConfigError('TRUST_PROXY=true would let any client set its address; name the proxies or a hop count');
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new ConfigError('TRUST_PROXY hop count must be 0–10');
    return hops === 0 ? false : hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isAddressOrSubnet(entry));
  if (bad.length > 0) {
    throw new ConfigError(
      `TRUST_PROXY must be a hop count or a list of addresses, subnets and loopback/linklocal/uniquelocal; not "${bad.join('", "')}"`,
    );
  }
  return Object.freeze(entries);
}

/** An absolute http(s) URL without a trailing slash; short, because it is printed in every QR. */
function readBaseUrl(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'http://localhost:3000';
  if (!/^https?:\/\/[\x21-\x7e]{1,100}$/.test(raw)) throw new ConfigError('PUBLIC_BASE_URL must be an http(s) URL');
  return raw.replace(/\/+$/, '');
}

const claimName = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/**
 * OIDC_<WHO>_ISSUER, _CLIENT_ID, _CLIENT_SECRET (or _CLIENT_SECRET_FILE), _ACR (comma-separated
 * accepted `acr` values) and, for citizens, _ID_NUMBER_CLAIM and _NAME_CLAIM. No issuer: off.
 */
export async function readOidc(
  env: NodeJS.ProcessEnv,
  who: 'CITIZEN' | 'STAFF',
  environment: Environment,
): Promise<OidcSettings | null> {
  const key = (name: string) => `OIDC_${who}_${name}`;
  const issuer = env[key('ISSUER')]?.trim() ?? '';
  if (issuer === '') return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`${key('ISSUER')} must be an https URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && environment !== 'production')) {
    throw new ConfigError(`${key('ISSUER')} must be an https URL (http only on loopback outside production)`);
  }
  const clientId = env[key('CLIENT_ID')]?.trim() ?? '';
  let clientSecret = env[key('CLIENT_SECRET')] ?? '';
  const secretFile = env[key('CLIENT_SECRET_FILE')];
  if (secretFile) {
    const { readFile } = await import('node:fs/promises');
    clientSecret = (await readFile(secretFile, 'utf8')).trim();
  }
  if (clientId === '' || clientSecret === '') {
    throw new ConfigError(`${key('ISSUER')} is set: ${key('CLIENT_ID')} and ${key('CLIENT_SECRET')} are required too`);
  }
  const claim = (name: string, fallback: string | null) => {
    const value = env[key(name)]?.trim() || fallback;
    if (value !== null && !claimName.test(value)) throw new ConfigError(`${key(name)} is not a claim name`);
    return value;
  };
  const acceptedAcr = (env[key('ACR')] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (who === 'CITIZEN' && environment === 'production' && acceptedAcr.length === 0) {
    throw new ConfigError(`${key('ACR')} is required in production: the real-person authentication level to accept`);
  }
  return {
    issuer,
    clientId,
    clientSecret,
    idNumberClaim: who === 'CITIZEN' ? claim('ID_NUMBER_CLAIM', 'id_number') : null,
    nameClaim: claim('NAME_CLAIM', 'name'),
    acceptedAcr: Object.freeze(acceptedAcr),
    scope: env[key('SCOPE')]?.trim() || 'openid profile',
  };
}

function readEnvironment(raw: string | undefined): Environment {
  if (raw === 'production' || raw === 'test') return raw;
  return 'development';
}

function readDatabaseUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!/^postgres(ql)?:\/\/[^/]/i.test(value)) {
    throw new ConfigError(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (unset: the SQLite file in DATA_DIR)',
    );
  }
  return value;
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
    databaseUrl: readDatabaseUrl(env.DATABASE_URL),
    keyPassphrase: keyPassphrase === '' ? null : keyPassphrase,
    tokenTtlSeconds: readPositiveInt('TOKEN_TTL_SECONDS', env.TOKEN_TTL_SECONDS, 900),
    licenceTypeCode: env.LICENCE_TYPE_CODE ?? '11100000000013338W001',
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimitPerMinute: readPositiveInt('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 20),
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    auditCheckpointSeconds: readPositiveInt('AUDIT_CHECKPOINT_SECONDS', env.AUDIT_CHECKPOINT_SECONDS, 300),
    pdfVerificationsPerMinute: readPositiveInt('PDF_VERIFICATIONS_PER_MINUTE', env.PDF_VERIFICATIONS_PER_MINUTE, 30),
    publicBaseUrl: readBaseUrl(env.PUBLIC_BASE_URL),
    timestampsPerMinute: readPositiveInt('TIMESTAMPS_PER_MINUTE', env.TIMESTAMPS_PER_MINUTE, 60),
    pdfRenderThreads: readThreadCount(
      'PDF_RENDER_THREADS',
      env.PDF_RENDER_THREADS,
      readEnvironment(env.NODE_ENV) === 'test' ? 0 : availableParallelism(),
    ),
    oidcCitizen: await readOidc(env, 'CITIZEN', readEnvironment(env.NODE_ENV)),
    oidcStaff: await readOidc(env, 'STAFF', readEnvironment(env.NODE_ENV)),
  };
  if (config.env === 'production' && config.keyPassphrase === null) {
    throw new ConfigError('KEY_PASSPHRASE or KEY_PASSPHRASE_FILE is required in production');
  }
  return Object.freeze(config);
}
