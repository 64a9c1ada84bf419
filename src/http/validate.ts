/**
 * Validates a request body against the named JSON Schema in `schemas/` and the domain's semantic
 * rules; returns the typed value or throws DomainError `INVALID_REQUEST` with one detail per field.
 */
export type Validate = <T>(schemaId: string, body: unknown) => T;
