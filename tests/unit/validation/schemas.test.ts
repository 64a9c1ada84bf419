import { describe, expect, it } from 'vitest';
import { checkBody, SCHEMA_IDS, SCHEMAS } from '../../../src/validation/index.ts';
import { KNOWN_PATTERNS } from '../../../src/validation/pattern-messages.ts';
import { testContext } from '../../fixtures/records.ts';

type Node = Record<string, unknown>;

function* walk(node: unknown, path = '#'): Generator<[string, Node]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${path}/${i}`);
  } else if (node !== null && typeof node === 'object') {
    yield [path, node as Node];
    for (const [key, value] of Object.entries(node)) if (key !== 'examples') yield* walk(value, `${path}/${key}`);
  }
}

describe('JSON Schemas', () => {
  it('are draft 2020-12 with an $id and at least one example each', () => {
    for (const id of SCHEMA_IDS) {
      const schema = SCHEMAS[id] as unknown as Node;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`https://birth-elicence.example/schemas/${id}.schema.json`);
      expect(SCHEMAS[id].examples.length).toBeGreaterThan(0);
    }
  });

  it.each(SCHEMA_IDS.flatMap((id) => SCHEMAS[id].examples.map((example, i) => [id, i, example] as const)))(
    '%s example %i passes the schema and the semantic rules',
    (id, _i, example) => {
      expect(checkBody(id, example, testContext())).toEqual({ ok: true, value: example });
    },
  );

  it('close every object: additionalProperties is false wherever properties are listed', () => {
    for (const id of SCHEMA_IDS) {
      for (const [path, node] of walk(SCHEMAS[id])) {
        const isObjectSchema = node.type === 'object' && 'properties' in node;
        if (isObjectSchema)
          expect({ id, path, additionalProperties: node.additionalProperties }).toEqual({
            id,
            path,
            additionalProperties: false,
          });
      }
    }
  });

  it('give every pattern a message in words', () => {
    const patterns = new Set<string>();
    for (const id of SCHEMA_IDS)
      for (const [, node] of walk(SCHEMAS[id])) if (typeof node.pattern === 'string') patterns.add(node.pattern);
    expect([...patterns].filter((p) => !KNOWN_PATTERNS.includes(p))).toEqual([]);
  });
});
