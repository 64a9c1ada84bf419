import type { Account, AccountRepository, NewAccount, Role } from '../../domain/accounts/account.ts';
import type { Sql } from './sql.ts';

const columns = [
  'id',
  'username',
  'password_hash',
  'role',
  'institution',
  'display_name',
  'disabled',
  'police_unit',
] as const;

interface AccountRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  institution: string | null;
  display_name: string | null;
  disabled: number;
  police_unit: string | null;
}

const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  passwordHash: row.password_hash,
  role: row.role as Role,
  institution: row.institution,
  displayName: row.display_name,
  disabled: row.disabled === 1,
  policeUnit: row.police_unit,
});

/** Staff and agency accounts in `accounts`. */
export function createSqlAccountRepository(sql: Sql): AccountRepository {
  const { db } = sql;
  const setColumn = (set: { password_hash: string } | { disabled: number } | { police_unit: string | null }) =>
    db.updateTable('accounts').set(set);

  return {
    findByUsername(username) {
      const row = sql.get(db.selectFrom('accounts').select(columns).where('username', '=', username));
      return row ? toAccount(row) : null;
    },
    create(account: NewAccount, now) {
      const row = sql.get(
        db
          .insertInto('accounts')
          .values({
            username: account.username,
            password_hash: account.passwordHash,
            role: account.role,
            institution: account.institution,
            display_name: account.displayName ?? null,
            police_unit: account.policeUnit ?? null,
            created_at: now.toISOString(),
          })
          .returning(columns),
      );
      return toAccount(row!);
    },
    list: () => sql.all(db.selectFrom('accounts').select(columns).orderBy('id')).map(toAccount),
    setPassword: (username, passwordHash) =>
      sql.run(setColumn({ password_hash: passwordHash }).where('username', '=', username)) === 1,
    setDisabled(id, value) {
      sql.run(setColumn({ disabled: value ? 1 : 0 }).where('id', '=', id));
    },
    setPoliceUnit(id, unit) {
      sql.run(setColumn({ police_unit: unit }).where('id', '=', id));
    },
  };
}
