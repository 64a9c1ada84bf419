/**
 * One node's start against DATABASE_URL, as far as the schema goes: opens the connection the
 * service uses, migrates, prints the versions it applied as JSON. Run by connect.test.ts as two
 * processes at the same moment.
 */
import { postgresSql } from '../../src/adapters/postgres/postgres-sql.ts';
import { migrateSchema } from '../../src/adapters/sql/migrate.ts';

const db = postgresSql(process.env.DATABASE_URL!);
try {
  process.stdout.write(JSON.stringify(migrateSchema(db)));
} finally {
  db.close();
}
