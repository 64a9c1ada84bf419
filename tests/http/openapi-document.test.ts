import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSchemas } from '../../src/http/openapi.ts';
import { startTestService, type TestService } from './harness.ts';

/** The served OpenAPI document as tools read it: self-contained, valid, with security and errors said. */

let svc: TestService;
let openApi: any;

beforeAll(async () => {
  svc = await startTestService();
  openApi = (await svc.request('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await svc?.stop();
});

/** Every `$ref` anywhere in a JSON value. */
function refsOf(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsOf(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsOf(value, found);
    }
  }
  return found;
}

const operations = () =>
  Object.entries(openApi.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );

describe('the OpenAPI document', () => {
  it('validates with @apidevtools/swagger-parser', async () => {
    // swagger-parser dereferences in place: give it a copy.
    const api = await SwaggerParser.validate(structuredClone(openApi));
    expect('openapi' in api && api.openapi).toBe('3.1.0');
  });

  it('is self-contained: every $ref points into its own components, and no schema keeps an $id', () => {
    const refs = refsOf(openApi);
    expect(refs.length).toBeGreaterThan(100);
    const schemas = openApi.components.schemas as Record<string, unknown>;
    const dangling = refs.filter((ref) => {
      const name = /^#\/components\/schemas\/([^/]+)/.exec(ref)?.[1];
      return name === undefined || !Object.hasOwn(schemas, name);
    });
    expect(dangling).toEqual([]);
    expect(JSON.stringify(openApi)).not.toContain('"$id"');
    expect(JSON.stringify(openApi)).not.toContain('.schema.json');
  });

  it('keeps the meaning of the request schemas: each example still validates, a broken one still fails', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormatsModule.default(ajv);
    ajv.addFormat('binary', true);
    ajv.addSchema({ ...openApi, $id: 'https://birth-elicence.example/openapi.json' });
    const problems: string[] = [];
    let checked = 0;
    for (const [name, schema] of Object.entries(
      openApi.components.schemas as Record<string, { examples?: unknown[] }>,
    )) {
      const validate = ajv.getSchema(`https://birth-elicence.example/openapi.json#/components/schemas/${name}`)!;
      for (const [index, example] of (schema.examples ?? []).entries()) {
        checked += 1;
        if (!validate(example)) problems.push(`${name} example ${index}: ${JSON.stringify(validate.errors)}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
    const application = ajv.getSchema('https://birth-elicence.example/openapi.json#/components/schemas/application')!;
    const [example] = openApi.components.schemas.application.examples as Record<string, unknown>[];
    expect(application({ ...example, mother: { ...(example!.mother as object), age: 3 } })).toBe(false);
  });

  it('says who may call: security [] on public routes, bearer on the others', () => {
    const security = Object.fromEntries(operations().map(({ route, operation }) => [route, operation.security]));
    expect(security['GET /healthz']).toEqual([]);
    expect(security['POST /api/v1/verifications']).toEqual([]);
    expect(security['POST /api/v1/citizen/claims']).toEqual([]);
    expect(security['GET /api/v1/trust-bundle']).toEqual([{ bearer: [] }]);
    for (const { route, operation } of operations()) {
      const roles = operation.description;
      expect(operation.security, route).toEqual(roles === undefined ? [] : [{ bearer: [] }]);
    }
    expect(openApi.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
  });

  it('documents every refusal with the error schema, and 401/403 on every protected route', () => {
    const problems: string[] = [];
    for (const { route, operation } of operations()) {
      const responses = operation.responses as Record<string, { content?: Record<string, { schema: unknown }> }>;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) < 400 || route === 'GET /healthz') continue;
        const schema = response.content?.['application/json']?.schema;
        if (JSON.stringify(schema) !== '{"$ref":"#/components/schemas/Error"}') problems.push(`${route} ${status}`);
      }
      if (operation.description !== undefined && !(responses[401] && responses[403])) problems.push(`${route} 401/403`);
    }
    expect(problems).toEqual([]);
    expect(Object.keys(openApi.paths['/healthz'].get.responses['503'].content)).toEqual(['application/json']);
  });
});

describe('bundling the schemas of schemas/', () => {
  it('turns $id-relative references into component references and $defs into components', () => {
    const bundled = bundleSchemas({
      a: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'https://x.example/schemas/a.schema.json',
        properties: { p: { $ref: '#/$defs/d' }, q: { $ref: 'b.schema.json#/$defs/e/properties/f' } },
        $defs: { d: { type: 'string' } },
      },
      b: {
        $id: 'https://x.example/schemas/b.schema.json',
        $defs: { e: { properties: { f: { $ref: 'a.schema.json' } } } },
      },
    });
    expect(bundled).toEqual({
      a: {
        properties: {
          p: { $ref: '#/components/schemas/a.d' },
          q: { $ref: '#/components/schemas/b.e/properties/f' },
        },
      },
      'a.d': { type: 'string' },
      b: {},
      'b.e': { properties: { f: { $ref: '#/components/schemas/a' } } },
    });
  });

  it('refuses a reference to a schema that is not there', () => {
    expect(() => bundleSchemas({ a: { $id: 'a.schema.json', $ref: 'missing.schema.json' } })).toThrow(
      'The schema a refers to missing.schema.json, which is not in schemas/',
    );
  });
});
