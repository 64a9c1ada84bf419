import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.ts';
import { errorBody, errorStatus } from './error-status.ts';

/**
 * One line per request: method, the route's path template (never the query string, which can
 * carry a mother's ID number), status, duration and the caller's role. Bodies are never logged.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const route =
        (res.locals.route as string | undefined) ?? (req.route as { path?: string } | undefined)?.path ?? '(unmatched)';
      logger.info(
        {
          requestId,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          role: (res.locals.principal as { role?: string } | null | undefined)?.role ?? null,
        },
        'request',
      );
    });
    next();
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('NOT_FOUND', `No route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A code mapped to 500 is a fault of ours: logged, and answered like any other fault.
    if (error instanceof DomainError && errorStatus[error.code] !== 500) {
      res.status(errorStatus[error.code]).json(errorBody(error.code, error.message, error.details));
      return;
    }
    // Errors raised by express/body parsers carry a 4xx `status` of their own.
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(400).json(errorBody('INVALID_REQUEST', 'The request could not be read'));
      return;
    }
    logger.error({ err: describe(error) }, 'unhandled error');
    res.status(500).json(errorBody('INTERNAL', 'An internal error occurred'));
  };
}

/** Name, code and stack only: messages of library errors may quote input data. */
function describe(error: unknown) {
  if (error instanceof Error) {
    return { name: error.name, code: (error as { code?: unknown }).code, stack: error.stack?.split('\n').slice(1, 6) };
  }
  return { type: typeof error };
}
