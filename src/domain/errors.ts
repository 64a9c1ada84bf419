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

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export const invalidRequest = (details: ErrorDetail[], message = 'The request is invalid') =>
  new DomainError('INVALID_REQUEST', message, details);
