import type { Account, AccountRepository, NewAccount, Role } from '../../domain/accounts/account.ts';
import type { SqliteDatabase } from './database.ts';

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  institution: string | null;
  display_name: string | null;
  disabled: number;
  police_unit: string | null;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role,
  institution: row.institution,
  displayName: row.display_name,
  disabled: row.disabled === 1,
  policeUnit: row.police_unit,
});

export function createSqliteAccountRepository(db: SqliteDatabase): AccountRepository {
  const byUsername = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE username = ?');
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO accounts (username, password_hash, role, institution, display_name, police_unit, created_at)
     VALUES (@username, @passwordHash, @role, @institution, @displayName, @policeUnit, @createdAt)`,
  );
  const password = db.prepare('UPDATE accounts SET password_hash = ? WHERE username = ?');
  const disabled = db.prepare('UPDATE accounts SET disabled = ? WHERE id = ?');
  const policeUnit = db.prepare('UPDATE accounts SET police_unit = ? WHERE id = ?');
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
        policeUnit: account.policeUnit ?? null,
        createdAt: now.toISOString(),
      });
      return toAccount(byId.get(Number(lastInsertRowid))!);
    },
    list: () => all.all().map(toAccount),
    setPassword: (username, passwordHash) => password.run(passwordHash, username).changes === 1,
    setDisabled(id, value) {
      disabled.run(value ? 1 : 0, id);
    },
    setPoliceUnit(id, unit) {
      policeUnit.run(unit, id);
    },
  };
}
