import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** Runs SQL as the cluster's superuser. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
  database = 'postgres',
): Promise<R[]> {
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database owned by a fresh login role (password stored as SCRAM, or as md5 for
 * the cluster's md5 role): what a deployment's DATABASE_URL names.
 */
export async function freshDatabase(options: { role?: string; encryption?: 'scram-sha-256' | 'md5' } = {}) {
  const name = `bc_${randomBytes(6).toString('hex')}`;
  const role = options.role ?? name;
  const password = randomBytes(12).toString('base64url');
  const url = new URL(inject('pgAdminUrl'));
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    await client.query(`SET password_encryption = '${options.encryption ?? 'scram-sha-256'}'`);
    // The md5 role is one fixed name (the cluster's pg_hba.conf names it): a second use sets a new password.
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
    await client.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN PASSWORD '${password}'`);
    await client.query(`CREATE DATABASE ${name} OWNER ${role}`);
  } finally {
    await client.end();
  }
  url.username = role;
  url.password = password;
  url.pathname = `/${name}`;
  return { url: url.href, name, role, password };
}
