import path from 'node:path';
import type { Logger } from 'pino';
import { createScryptPasswordHasher } from './adapters/scrypt-password-hasher.ts';
import { createSqliteAccountRepository } from './adapters/sqlite/account-repository.ts';
import { createSqliteAuditLog } from './adapters/sqlite/audit-log.ts';
import { openDatabase, type SqliteDatabase } from './adapters/sqlite/database.ts';
import { createSqliteInstitutionRepository } from './adapters/sqlite/institution-repository.ts';
import { createSqliteTokenStore } from './adapters/sqlite/token-store.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { Clock } from './domain/ports.ts';
import { buildOpenApi, loadSchemas } from './http/openapi.ts';
import type { Route } from './http/route.ts';
import { auditRoutes } from './http/routes/audit-routes.ts';
import { authRoutes } from './http/routes/auth-routes.ts';
import { systemRoutes } from './http/routes/system-routes.ts';
import type { Validate } from './http/validate.ts';

export const serviceVersion = '1.0.0';

/** Everything the service holds open; built once at start, closed once at shutdown. */
export function createService(config: Config, deps: { logger: Logger; clock: Clock; validate: Validate }) {
  const db: SqliteDatabase = openDatabase(path.join(config.dataDir, 'service.sqlite'));
  const accounts = createSqliteAccountRepository(db);
  const institutions = createSqliteInstitutionRepository(db);
  const tokens = createSqliteTokenStore(db);
  const audit = createSqliteAuditLog(db);
  const hasher = createScryptPasswordHasher();
  let ready = false;
  let openApi: unknown = null;

  const routes: Route[] = [
    ...systemRoutes({ isReady: () => ready, openApi: () => openApi }),
    ...authRoutes({
      signIn: { accounts, hasher, tokens, audit, clock: deps.clock, tokenTtlSeconds: config.tokenTtlSeconds },
      validate: deps.validate,
    }),
    ...auditRoutes({ audit }),
  ];
  openApi = buildOpenApi(routes, loadSchemas(), serviceVersion);

  const app = createApp({
    logger: deps.logger,
    tokens,
    clock: deps.clock,
    routes,
    rateLimited: ['/api/v1/auth/token', '/api/v1/citizen/claims'].map((p) => ({
      path: p,
      perMinute: config.rateLimitPerMinute,
    })),
  });

  return {
    app,
    db,
    accounts,
    institutions,
    tokens,
    audit,
    hasher,
    setReady(value: boolean) {
      ready = value;
    },
    close() {
      ready = false;
      db.close();
    },
  };
}

export type Service = ReturnType<typeof createService>;
