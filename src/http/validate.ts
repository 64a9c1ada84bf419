import type { BodyTypes, SchemaId } from '../domain/rules/bodies.ts';

/**
 * Validates a request body against the named JSON Schema in `schemas/` and the domain's semantic
 * rules; returns the value typed by the schema or throws DomainError `INVALID_REQUEST` with one
 * detail per field. Routes do not call it: `defineRoute` does, with the route's declared schema.
 */
export type Validate = <S extends SchemaId>(schemaId: S, body: unknown) => BodyTypes[S];
