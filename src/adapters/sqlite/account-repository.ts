import type { Account, AccountRepository, NewAccount, Role } from '../../domain/accounts/account.ts';
import type { SqliteDatabase } from './database.ts';

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  institution: string | null;
  display_name: string | null;
  failed_attempts: number;
  locked_until: string | null;
  disabled: number;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  institution: row.institution,
  displayName: row.display_name,
  failedAttempts: row.failed_attempts,
  lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
  disabled: row.disabled === 1,
});

export function createSqliteAccountRepository(db: SqliteDatabase): AccountRepository & {
  list(): Account[];
  setPassword(username: string, passwordHash: string): boolean;
} {
  const byUsername = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE username = ?');
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO accounts (username, password_hash, role, institution, display_name, created_at)
     VALUES (@username, @passwordHash, @role, @institution, @displayName, @createdAt)`,
  );
  const failure = db.prepare('UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE id = ?');
  const success = db.prepare('UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?');
  const password = db.prepare(
    'UPDATE accounts SET password_hash = ?, failed_attempts = 0, locked_until = NULL WHERE username = ?',
  );
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY id');

  return {
    findByUsername(username) {
      const row = byUsername.get(username);
      return row ? toAccount(row) : null;
    },
    create(account: NewAccount, now) {
      const { lastInsertRowid } = insert.run({
        username: account.username,
        passwordHash: account.passwordHash,
        role: account.role,
        institution: account.institution,
        displayName: account.displayName ?? null,
        createdAt: now.toISOString(),
      });
      return toAccount(byId.get(Number(lastInsertRowid))!);
    },
    recordFailure(id, failedAttempts, lockedUntil) {
      failure.run(failedAttempts, lockedUntil?.toISOString() ?? null, id);
    },
    recordSuccess(id) {
      success.run(id);
    },
    list: () => all.all().map(toAccount),
    setPassword: (username, passwordHash) => password.run(passwordHash, username).changes === 1,
  };
}
