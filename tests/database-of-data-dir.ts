/**
 * Which PostgreSQL database the tests gave each test service's data directory, so a restart, an
 * operator tool or a production start on that directory opens the same one. Free of vitest: the
 * global set-ups load it too.
 */
const databaseOfDataDir = new Map<string, string>();

export const rememberDatabase = (dataDir: string, url: string) => void databaseOfDataDir.set(dataDir, url);

/** DATABASE_URL of a data directory's database on PostgreSQL; nothing on SQLite. */
export const knownDatabaseEnv = (dataDir: string): Record<string, string> => {
  const url = databaseOfDataDir.get(dataDir);
  return url ? { DATABASE_URL: url } : {};
};
