/**
 * Refusals and faults carry a stable code; the HTTP layer alone maps codes to statuses.
 * A detail names the field path and, where the field is a certificate item, its Chinese name.
 */
export interface ErrorDetail {
  path: string;
  /** The Chinese item name (e.g. 母亲有效身份证件号码) where the path is a data-dictionary item. */
  item?: string;
  message: string;
}

/**
 * Every stable code a refusal or fault can carry. The HTTP layer maps each to a status in a
 * `Record<ErrorCode, number>`, so a new code without a status does not compile.
 */
export type ErrorCode =
  // the request is wrong
  | 'INVALID_REQUEST'
  | 'PURPOSE_REQUIRED'
  | 'WEAK_PASSWORD'
  | 'BUNDLE_INVALID'
  | 'BUNDLE_ROOT_MISMATCH'
  // who is asking
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_CLAIM'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  // what it names
  | 'NOT_FOUND'
  | 'KEY_NOT_FOUND'
  // the state of the register or the trust domain refuses it
  | 'CROSS_CHECK_FAILED'
  | 'ALREADY_REGISTERED'
  | 'ALREADY_ISSUED'
  | 'NUMBERS_EXHAUSTED'
  | 'NUMBER_RANGE_OVERLAP'
  | 'INVALID_STATE'
  | 'NO_SIGNING_KEY'
  | 'KEY_NOT_USABLE'
  | 'KEY_ALREADY_REVOKED'
  | 'ROOT_CA_EXISTS'
  | 'SIGNING_KEY_MISMATCH'
  | 'QR_UNENCODABLE'
  // collection appointments (预约取证)
  | 'SLOT_FULL'
  | 'SLOT_CLOSED'
  | 'SLOT_PAST'
  | 'ALREADY_BOOKED'
  | 'ALREADY_COLLECTED'
  // the service cannot serve (configuration, key custody)
  | 'NO_ROOT_CA'
  | 'SERVICE_UNAVAILABLE'
  | 'KEY_UNREADABLE'
  | 'EXAMPLE_KEY_REFUSED'
  | 'UNSAFE_FOR_PRODUCTION';

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export const invalidRequest = (details: ErrorDetail[], message = 'The request is invalid') =>
  new DomainError('INVALID_REQUEST', message, details);
