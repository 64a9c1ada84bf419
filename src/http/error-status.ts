import type { ErrorDetail } from '../domain/errors.ts';

/** The one table mapping stable error codes to HTTP statuses. An unmapped code is a 500. */
export const errorStatus: Record<string, number> = {
  INVALID_REQUEST: 400,
  PURPOSE_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_CLAIM: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CROSS_CHECK_FAILED: 409,
  ALREADY_REGISTERED: 409,
  ALREADY_ISSUED: 409,
  NUMBERS_EXHAUSTED: 409,
  NUMBER_RANGE_OVERLAP: 409,
  INVALID_STATE: 409,
  RATE_LIMITED: 429,
  NO_SIGNING_KEY: 409,
  KEY_NOT_USABLE: 409,
  KEY_NOT_FOUND: 404,
  KEY_ALREADY_REVOKED: 409,
  NO_ROOT_CA: 503,
  SERVICE_UNAVAILABLE: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export const errorBody = (code: string, message: string, details: ErrorDetail[] = []): ErrorBody => ({
  error: { code, message, details },
});
