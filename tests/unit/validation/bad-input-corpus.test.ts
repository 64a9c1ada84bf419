import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.ts';
import { checkBody, validateBody } from '../../../src/validation/index.ts';
import { badInputCases, type RequestSchemaId, validBodies } from '../../fixtures/bad-input.ts';
import { testContext } from '../../fixtures/records.ts';

const ctx = testContext();
const schemaIds = Object.keys(badInputCases) as RequestSchemaId[];

describe('bad-input corpus', () => {
  it.each(schemaIds)('has a valid base body for %s', (schemaId) => {
    expect(checkBody(schemaId, validBodies[schemaId], ctx)).toMatchObject({ ok: true });
  });

  describe.each(schemaIds)('%s', (schemaId) => {
    it.each(badInputCases[schemaId].map((c) => [c.name, c] as const))('%s', (_name, badCase) => {
      // The body goes through JSON as an HTTP request would.
      const body = JSON.parse(JSON.stringify(badCase.body)) as unknown;
      let thrown: unknown;
      try {
        validateBody(schemaId, body, ctx);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      const error = thrown as DomainError;
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.details.map((d) => d.path)).toContain(badCase.expectedPath);
    });
  });

  it('leaves Object.prototype alone after __proto__ bodies', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
