export type * from '../domain/rules/bodies.ts';
export { SCHEMA_IDS, SCHEMAS } from './schema-registry.ts';
export { certificateProblems, checkBody, type ValidationContext, validateBody } from './validate-body.ts';
export { createCertificateValidator, createValidator, type ValidatorOptions } from './validator.ts';
