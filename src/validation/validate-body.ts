import type { Certificate } from '../domain/certificate.ts';
import { type ErrorDetail, invalidRequest } from '../domain/errors.ts';
import type { BodyTypes, SchemaId } from '../domain/rules/bodies.ts';
import { runSemanticRules } from '../domain/rules/body-rules.ts';
import type { RuleContext } from '../domain/rules/context.ts';
import { Findings } from '../domain/rules/detail.ts';
import { normaliseStrings } from './normalise.ts';
import { addSchemaErrors } from './schema-errors.ts';
import { isSchemaId, schemaValidator } from './schema-registry.ts';

export type ValidationContext = RuleContext;

/**
 * Bodies stored as entered get NFC; signed material (payloads, credentials to verify) and
 * passwords are checked exactly as they arrived, because changing them would change what was signed.
 */
const LEFT_AS_SENT: ReadonlySet<SchemaId> = new Set([
  'auth-token',
  'password-reset',
  'identity-link',
  'verification',
  'licence-envelope',
  'elicence-payload',
]);

/**
 * A hostile body with thousands of unknown keys would otherwise get thousands of details back;
 * past this many, the rest are summarised in one last detail.
 */
export const MAX_DETAILS = 100;

function capped(details: ErrorDetail[]): ErrorDetail[] {
  if (details.length <= MAX_DETAILS) return details;
  const rest = details.length - (MAX_DETAILS - 1);
  return [...details.slice(0, MAX_DETAILS - 1), { path: '', message: `…and ${rest} more problems not listed` }];
}

/** Schema first, then (only for schema-valid input, so rules see typed values) the semantic rules. */
export function checkBody<K extends SchemaId>(
  schemaId: K,
  body: unknown,
  ctx: ValidationContext,
  options: { normalise?: boolean } = {},
): { ok: true; value: BodyTypes[K] } | { ok: false; details: ErrorDetail[] } {
  if (!isSchemaId(schemaId)) throw new TypeError(`Unknown schema id "${String(schemaId)}"`);
  const validate = schemaValidator(schemaId);
  if (!validate(body)) {
    const findings = new Findings(schemaId);
    addSchemaErrors(findings, validate.errors ?? [], schemaId);
    return { ok: false, details: capped(findings.details) };
  }
  const normalise = options.normalise ?? !LEFT_AS_SENT.has(schemaId);
  const value = (normalise ? normaliseStrings(body) : body) as BodyTypes[K];
  const details = runSemanticRules(schemaId, value, ctx);
  return details.length > 0 ? { ok: false, details: capped(details) } : { ok: true, value };
}

/**
 * The typed, NFC-normalised body, or DomainError `INVALID_REQUEST` with one detail per bad field
 * (`{path, item?, message}`). Never throws anything else for any JSON input.
 */
export function validateBody<K extends SchemaId>(schemaId: K, body: unknown, ctx: ValidationContext): BodyTypes[K] {
  const result = checkBody(schemaId, body, ctx);
  if (!result.ok) throw invalidRequest(result.details);
  return result.value;
}

/** Details for a complete certificate as composed for issue; empty when it may be signed. Never normalises. */
export function certificateProblems(certificate: Certificate, ctx: ValidationContext): ErrorDetail[] {
  const result = checkBody('certificate', certificate, ctx, { normalise: false });
  return result.ok ? [] : result.details;
}
