import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Findings } from '../domain/rules/detail.ts';
import { problemForPattern } from './pattern-messages.ts';

/**
 * Turns ajv errors into field problems. Paths use dot notation (`mother.idNumber`, arrays `.0`);
 * messages say what is wrong without quoting the value.
 */

/** Long or odd property names are shortened so a hostile key cannot flood the response. */
const MAX_KEY_CHARS = 40;
function safeKey(key: string): string {
  const printable = key.replace(/[\p{C}\s]/gu, '?');
  return [...printable].length > MAX_KEY_CHARS ? `${[...printable].slice(0, MAX_KEY_CHARS).join('')}…` : printable;
}

export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((part) => safeKey(part.replace(/~1/g, '/').replace(/~0/g, '~')))
    .join('.');
}

const join = (base: string, key: string) => (base ? `${base}.${safeKey(key)}` : safeKey(key));

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const typeWords = (types: string | string[], nullable: boolean): string => {
  const list = (Array.isArray(types) ? types : String(types).split(',')).map((t) => TYPE_WORDS[t] ?? t);
  if (nullable) list.push('null');
  return list.join(' or ');
};

const listValues = (values: readonly unknown[]): string => {
  // Long code lists (GB/T 3304 has 58 codes) are named, not spelled out.
  if (values.length > 10) return 'one of the codes the standard defines';
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
};

/** Alternatives of a oneOf/anyOf whose branches are `required` lists, as "qr or signedJson". */
function alternatives(error: ErrorObject): string {
  const branches = Array.isArray(error.schema) ? (error.schema as { required?: string[] }[]) : [];
  return branches.flatMap((b) => b.required ?? []).join(' or ') || 'the allowed shapes';
}

function problemFor(error: ErrorObject, nullable: boolean, schemaId: string): string | null {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${typeWords(p.type as string | string[], nullable)}`;
    case 'enum':
      return `must be ${listValues(p.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return problemForPattern(String(p.pattern));
    case 'format':
      return p.format === 'date' ? 'must be a real date written YYYY-MM-DD' : `must be a valid ${String(p.format)}`;
    case 'minLength':
      return `must be at least ${p.limit} character${p.limit === 1 ? '' : 's'} long`;
    case 'maxLength':
      return `must be at most ${p.limit} characters long`;
    case 'minimum':
      return `must be at least ${p.limit}`;
    case 'maximum':
      return `must be at most ${p.limit}`;
    case 'multipleOf':
      return p.multipleOf === 0.1 ? 'must have at most one decimal place' : `must be a multiple of ${p.multipleOf}`;
    case 'minProperties':
      return 'must contain at least one item';
    case 'oneOf':
      return `must contain exactly one of ${alternatives(error)}`;
    case 'anyOf':
      return `must contain ${alternatives(error)}`;
    case 'false schema':
      return schemaId === 'application'
        ? 'is not allowed with a deliveryId: the delivery record supplies it'
        : 'is not allowed here';
    default:
      return 'is not valid';
  }
}

/** Adds one problem per ajv error (merged per field by Findings). */
export function addSchemaErrors(findings: Findings, errors: readonly ErrorObject[], schemaId: string): void {
  // `{if: {type: null}, else: …}` is how the schemas write "object or null": its own error adds nothing.
  const nullablePaths = new Set(
    errors
      .filter((e) => e.keyword === 'if' && (e.parentSchema as { if?: { type?: unknown } })?.if?.type === 'null')
      .map((e) => e.instancePath),
  );
  // A oneOf/anyOf reports its own summary; the failed `required` of each branch would only repeat it.
  const oneOfSchemaPaths = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => `${e.schemaPath}/`);
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (oneOfSchemaPaths.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const base = pointerToPath(error.instancePath);
    const p = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      findings.add(join(base, String(p.missingProperty)), 'is required');
    } else if (error.keyword === 'additionalProperties') {
      findings.add(join(base, String(p.additionalProperty)), 'is not an allowed property');
    } else {
      const problem = problemFor(error, nullablePaths.has(error.instancePath), schemaId);
      if (problem) findings.add(base, problem);
    }
  }
}
