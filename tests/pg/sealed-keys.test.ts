import { expect, it } from 'vitest';
import { openPostgres } from '../../src/adapters/postgres/database.ts';
import { freshDatabase } from './pg-kit.ts';

/** Migration 018's triggers on PostgreSQL: sealed keys are write-once; only a root key may leave. */
it('refuses to update or delete a sealed key, except a root key taken offline', async () => {
  const db = await freshDatabase();
  const pool = await openPostgres(db.url);
  try {
    const key = (kid: string, purpose: string, issuerKid: string | null) =>
      pool.query(
        `INSERT INTO signing_keys (kid, purpose, public_jwk, x509_pem, issuer_kid, not_before, not_after, status, created_at)
         VALUES ($1, $2, '{}', 'pem', $3, '2026-01-01', '2051-01-01', 'active', '2026-01-01')`,
        [kid, purpose, issuerKid],
      );
    await key('root-kid', 'root', null);
    await key('tl-kid', 'trust-list', 'root-kid');
    for (const kid of ['root-kid', 'tl-kid']) {
      await pool.query(`INSERT INTO sealed_keys (kid, sealed, created_at) VALUES ($1, '{}', '2026-01-01')`, [kid]);
    }
    await expect(pool.query(`UPDATE sealed_keys SET sealed = '[]' WHERE kid = 'tl-kid'`)).rejects.toThrow(
      'sealed keys are write-once',
    );
    await expect(pool.query(`DELETE FROM sealed_keys WHERE kid = 'tl-kid'`)).rejects.toThrow(
      'sealed keys are write-once',
    );
    expect((await pool.query(`DELETE FROM sealed_keys WHERE kid = 'root-kid'`)).rowCount).toBe(1);
    expect((await pool.query('SELECT kid FROM sealed_keys')).rows).toEqual([{ kid: 'tl-kid' }]);
  } finally {
    await pool.end();
  }
});
