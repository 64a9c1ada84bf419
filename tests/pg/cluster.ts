import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for the tests: Debian's server binaries, `initdb` into a
 * temporary directory (as the `postgres` user when the tests run as root, which PostgreSQL
 * refuses to run as), started with `pg_ctl` on a free loopback port, removed by `stop()`.
 * Password authentication only (SCRAM-SHA-256 by default, md5 for roles made with
 * `password_encryption = md5`), as a real deployment would configure it.
 */
export interface Cluster {
  port: number;
  /** The superuser's URL on `database` (default `postgres`). */
  url(database?: string): string;
  stop(): void;
}

const SUPERUSER = 'bc_admin';
/** The one role the cluster authenticates with md5 (first matching pg_hba line wins). */
export const MD5_ROLE = 'md5_user';
const SUPERUSER_PASSWORD = 'throwaway-test-cluster';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, 'bin');
    if (existsSync(path.join(dir, 'initdb'))) return dir;
  }
  throw new Error("PostgreSQL's server binaries are not installed (Debian package postgresql)");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const home = mkdtempSync(path.join(tmpdir(), 'bc-pg-'));
  const data = path.join(home, 'data');
  const passwordFile = path.join(home, 'pwfile');
  writeFileSync(passwordFile, `${SUPERUSER_PASSWORD}\n`);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(home, uid, gid);
    chownSync(passwordFile, uid, gid);
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]]
      : [path.join(bin, command), args];
    const result = spawnSync(file, argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
  };
  run('initdb', [
    '-D',
    data,
    '-U',
    SUPERUSER,
    `--pwfile=${passwordFile}`,
    '--auth-local=scram-sha-256',
    '--auth-host=scram-sha-256',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  // md5 next to SCRAM: a role whose password was stored as md5 authenticates with md5.
  writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      'local all all scram-sha-256',
      `host all ${MD5_ROLE} 127.0.0.1/32 md5`,
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(home, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${home} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    'start',
  ]);

  const url = (database = 'postgres') => `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    url,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}
