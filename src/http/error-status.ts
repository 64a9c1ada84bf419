import type { ErrorCode, ErrorDetail } from '../domain/errors.ts';
import { escapeUnprintable } from './unprintable.ts';

/**
 * The one table mapping stable error codes to HTTP statuses; every code has one. Faults of the
 * service's own custody (an unreadable sealed key, an example key in production) are 503: the
 * client did nothing wrong and may retry once an operator has acted.
 */
export const errorStatus: Record<ErrorCode, number> = {
  INVALID_REQUEST: 400,
  PURPOSE_REQUIRED: 400,
  WEAK_PASSWORD: 400,
  BUNDLE_INVALID: 400,
  BUNDLE_ROOT_MISMATCH: 400,
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
  ROOT_CA_EXISTS: 409,
  // A key that does not belong to the issuer, or claims no QR can carry, reach signing only
  // through a fault of ours: validation refuses such records first.
  SIGNING_KEY_MISMATCH: 500,
  QR_UNENCODABLE: 500,
  SLOT_FULL: 409,
  SLOT_CLOSED: 409,
  SLOT_PAST: 409,
  ALREADY_BOOKED: 409,
  ALREADY_COLLECTED: 409,
  NO_ROOT_CA: 503,
  SERVICE_UNAVAILABLE: 503,
  KEY_UNREADABLE: 503,
  EXAMPLE_KEY_REFUSED: 503,
  UNSAFE_FOR_PRODUCTION: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/** Messages and details may quote input: unprintable characters are written as \u{…}, never raw. */
export const errorBody = (code: string, message: string, details: ErrorDetail[] = []): ErrorBody => ({
  error: {
    code,
    message: escapeUnprintable(message),
    details: details.map(
      (detail) =>
        Object.fromEntries(
          Object.entries(detail).map(([key, value]) => [
            key,
            typeof value === 'string' ? escapeUnprintable(value) : value,
          ]),
        ) as ErrorDetail,
    ),
  },
});
