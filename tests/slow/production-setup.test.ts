import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { completeCreditCode } from '../../src/domain/check/credit-code.ts';
import { start } from '../../src/start.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), 'bc-production-'));
const passwordFile = path.join(dataDir, '..', `${path.basename(dataDir)}-password`);
const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATA_DIR: dataDir,
  // Random per run: a passphrase written in the repository is refused in production.
  KEY_PASSPHRASE: randomBytes(18).toString('base64url'),
};
const creditCode = completeCreditCode('12350102488000123');
let institutionAdded = '';

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(passwordFile, { force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('./node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('a production deployment set up with the operator CLI', () => {
  it('creates the root CA, an institution with its key, number stock and accounts', async () => {
    expect(
      (await cli('init-root-ca', '--name', '出生医学证明电子证照根CA', '--organization', '福建省卫生健康委员会')).code,
    ).toBe(0);
    const added = await cli(
      'add-institution',
      '--credit-code',
      creditCode,
      '--name',
      '福州市鼓楼区妇幼保健院',
      '--division',
      '350102',
    );
    expect(added.code).toBe(0);
    institutionAdded = added.stdout;
    expect(
      (
        await cli(
          'add-number-range',
          '--institution',
          creditCode,
          '--prefix',
          'M',
          '--first',
          '350000001',
          '--last',
          '350000100',
        )
      ).code,
    ).toBe(0);
    writeFileSync(passwordFile, 'correct horse battery staple\n', { mode: 0o600 });
    const issuer = await cli(
      'add-account',
      '--username',
      'issuer.gulou',
      '--role',
      'issuer',
      '--institution',
      creditCode,
      '--password-file',
      passwordFile,
    );
    expect(issuer).toMatchObject({ code: 0, stdout: 'account issuer.gulou (issuer) created\n' });
  }, 60_000);

  it('refuses bad commands with exit 2 and refused changes with exit 1', async () => {
    expect((await cli('no-such-command')).code).toBe(2);
    expect((await cli('add-institution', '--credit-code', '123', '--name', 'x', '--division', '350102')).code).toBe(2);
    expect(
      (await cli('add-account', '--username', 'x', '--role', 'issuer', '--password-file', passwordFile)).code,
    ).toBe(2);
    const again = await cli('add-institution', '--credit-code', creditCode, '--name', '重复', '--division', '350102');
    expect(again.code).toBe(1);
    expect((await cli('init-root-ca', '--name', 'second', '--organization', 'second')).code).toBe(1);
  }, 60_000);

  it('starts without demo data, signs the issuer in and publishes the institution in the trust list', async () => {
    const config = await loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' });
    const running = await start(config, { logger: pino({ level: 'silent' }), clock: { now: () => new Date() } });
    try {
      expect(existsSync(path.join(dataDir, 'demo-credentials.json'))).toBe(false);
      const token = await fetch(`${running.url}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'issuer.gulou', password: 'correct horse battery staple' }),
      });
      expect(token.status).toBe(200);
      expect(((await token.json()) as { role: string }).role).toBe('issuer');
      const trustList = (await (await fetch(`${running.url}/api/v1/trust-list`)).json()) as any;
      expect(trustList.root).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(
        trustList.issuers.map((i: { creditCode: string; name: string; status: string }) => [
          i.creditCode,
          i.name,
          i.status,
        ]),
      ).toEqual([[creditCode, '福州市鼓楼区妇幼保健院', 'active']]);
      const audit = await cli('verify-audit');
      expect(audit.code).toBe(0);
      expect(JSON.parse(audit.stdout)).toMatchObject({ intact: true });
    } finally {
      await running.stop();
    }
  }, 60_000);

  it('contains an account with the CLI: password policy, disable, reset, unlock', async () => {
    const write = (password: string) => writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const add = () =>
      cli('add-account', '--username', 'police.gulou', '--role', 'police', '--password-file', passwordFile);
    write(' '.repeat(12));
    expect(await add()).toMatchObject({
      code: 1,
      stderr: 'refused: The password is refused: password must not be one character repeated or only spaces\n',
    });
    write('police.gulou.2026');
    expect(await add()).toMatchObject({
      code: 1,
      stderr: 'refused: The password is refused: password must not contain the username or the display name\n',
    });
    write('maple canyon whispers ninety');
    expect((await add()).code).toBe(0);
    expect(await cli('disable-account', '--username', 'police.gulou')).toMatchObject({
      code: 0,
      stdout: 'account police.gulou disabled; 0 tokens revoked\n',
    });
    expect((await cli('list-accounts')).stdout).toContain('police.gulou\tpolice\t-\tdisabled\t-');
    expect((await cli('enable-account', '--username', 'police.gulou')).code).toBe(0);
    write('orchid freight lantern eleven');
    expect(await cli('reset-password', '--username', 'police.gulou', '--password-file', passwordFile)).toMatchObject({
      code: 0,
      stdout: 'account police.gulou: password reset; 0 tokens revoked\n',
    });
    expect((await cli('unlock-account', '--username', 'police.gulou')).code).toBe(0);
    expect((await cli('unlock-account', '--username', 'nobody')).code).toBe(1);
  }, 60_000);

  it('publishes the CRL, finds nothing to re-issue or re-timestamp, and re-signs the CRL on a revocation', async () => {
    // The service signed CRL 1 when it started above.
    expect(await cli('publish-crl')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^CRL 2 signed at /) });
    expect(await cli('reissue-certificates')).toMatchObject({ code: 0, stdout: '0 certificate(s) re-issued\n' });
    const retimestamp = await cli('retimestamp-pdfs', '--within-days', '30');
    expect(JSON.parse(retimestamp.stdout)).toEqual({
      examined: 0,
      retimestamped: 0,
      skippedChanged: 0,
      renewedTsaUntil: null,
    });
    expect((await cli('retimestamp-pdfs', '--within-days', 'soon')).code).toBe(2);
    const kid = /with signing key (\S+)/.exec(institutionAdded)![1]!;
    const revoked = await cli('revoke-key', '--kid', kid, '--reason', 'keyCompromise');
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/\nCRL 3 signed, next update /);
  }, 60_000);

  it('takes the root key offline and brings it back for one command only', async () => {
    const rootFile = path.join(dataDir, '..', `${path.basename(dataDir)}-root.key`);
    try {
      const sealedKids = () => {
        const db = new Database(path.join(dataDir, 'service.sqlite'), { readonly: true });
        try {
          const root = db.prepare("SELECT kid FROM signing_keys WHERE purpose = 'root'").pluck().get() as string;
          return { root, held: db.prepare('SELECT kid FROM sealed_keys').pluck().all() as string[] };
        } finally {
          db.close();
        }
      };
      expect(sealedKids().held).toContain(sealedKids().root);
      // A root key file of an earlier version would bring the root back: it must go first.
      const legacy = path.join(dataDir, 'keys', `${sealedKids().root}.key`);
      mkdirSync(path.dirname(legacy));
      writeFileSync(legacy, '{}');
      expect(await cli('take-root-offline', '--out', rootFile)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`Remove keys/${sealedKids().root}.key`),
      });
      rmSync(path.dirname(legacy), { recursive: true });
      const offline = await cli('take-root-offline', '--out', rootFile);
      expect(offline).toMatchObject({ code: 0, stdout: expect.stringMatching(/^root key \S+ written to /) });
      expect(statSync(rootFile).mode & 0o777).toBe(0o600);
      expect(sealedKids().held).not.toContain(sealedKids().root);
      expect(existsSync(path.join(dataDir, 'keys'))).toBe(false);
      expect((await cli('take-root-offline', '--out', `${rootFile}.again`)).code).toBe(1);
      expect((await cli('rotate-key', '--institution', creditCode)).code).toBe(1);
      const rotated = await cli('rotate-key', '--institution', creditCode, '--root-key', rootFile);
      expect(rotated).toMatchObject({
        code: 0,
        stdout: expect.stringContaining(`institution ${creditCode} now signs with`),
      });
      expect(await cli('publish-crl', '--root-key', rootFile)).toMatchObject({ code: 0 });
      // Brought for those commands only: the database still does not hold the root.
      expect(sealedKids().held).not.toContain(sealedKids().root);
      // The service starts with the root offline and serves the CRL the CLI signed.
      const config = await loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' });
      const running = await start(config, { logger: pino({ level: 'silent' }), clock: { now: () => new Date() } });
      try {
        expect((await fetch(`${running.url}/api/v1/pki/root.crl`)).status).toBe(200);
      } finally {
        await running.stop();
      }
    } finally {
      rmSync(rootFile, { force: true });
    }
  }, 120_000);

  it('refuses to start in production without a key passphrase', async () => {
    await expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).rejects.toThrow(/KEY_PASSPHRASE/);
  });
});
