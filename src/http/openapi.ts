import { RESPONSE_SCHEMAS } from './response-schemas/index.ts';
import type { Route } from './route.ts';

type Schema = Record<string, unknown>;

const component = (name: string) => `#/components/schemas/${name}`;

/**
 * The request schemas of schemas/ as components of one self-contained document: each schema's
 * `$defs` become components named `<schema>.<def>`, and every `$ref` (relative to the schema's
 * `$id`, e.g. `certificate.schema.json#/$defs/parent`) points into `components`. Tools that do
 * not resolve `$id`-relative references (swagger-parser, openapi-typescript) then read it as is.
 */
export function bundleSchemas(schemas: Record<string, Schema>): Record<string, Schema> {
  const stemOf = (file: string) => /([^/]+)\.schema\.json$/.exec(file)?.[1];
  const resolve = (reference: string, current: string): string => {
    const [file = '', fragment = ''] = reference.split('#');
    const target = file === '' ? current : stemOf(file);
    if (target === undefined || !Object.hasOwn(schemas, target)) {
      throw new Error(`The schema ${current} refers to ${reference}, which is not in schemas/`);
    }
    const def = /^\/\$defs\/([^/]+)(.*)$/.exec(fragment);
    return def ? component(`${target}.${def[1]}${def[2]}`) : component(`${target}${fragment}`);
  };
  const rewrite = (node: unknown, current: string): unknown => {
    if (Array.isArray(node)) return node.map((item) => rewrite(item, current));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' ? resolve(value, current) : rewrite(value, current),
      ]),
    );
  };
  const bundled: Record<string, Schema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, $defs, ...rest } = schema as Schema & { $defs?: Record<string, Schema> };
    bundled[name] = rewrite(rest, name) as Schema;
    for (const [def, defSchema] of Object.entries($defs ?? {})) {
      bundled[`${name}.${def}`] = rewrite(defSchema, name) as Schema;
    }
  }
  return bundled;
}

const firstExample = (name: string): unknown => (RESPONSE_SCHEMAS[name]?.examples as unknown[] | undefined)?.[0];

/** The documented schema of a status of a route, by name, or undefined for an error or none. */
function schemaNameOf(route: Route, status: number): string | undefined {
  const named = route.responseSchema;
  if (typeof named === 'object') return named[status];
  return status < 400 ? named : undefined;
}

/** One media type of a success body: its schema (a component by name) and an example. */
function mediaContent(mediaType: string, name: string, route: Route): Record<string, unknown> {
  if (!Object.hasOwn(RESPONSE_SCHEMAS, name)) throw new Error(`No response schema ${name} (${route.path})`);
  if (mediaType === 'application/x-ndjson') {
    const line = JSON.stringify(firstExample(name));
    return {
      schema: { type: 'string', description: `Newline-delimited JSON: one ${name} per line` },
      example: `${line}\n`,
      // OpenAPI 3.2's itemSchema, ahead of time: what each line holds.
      'x-itemSchema': { $ref: component(name) },
    };
  }
  return { schema: { $ref: component(name) }, example: firstExample(name) };
}

/** Bodies that are bytes, not text: documented as binary, with no inline example. */
export const BINARY_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/pkix-crl',
  'application/pkix-cert',
  'application/timestamp-reply',
]);

/** The content of a success response: its schema and an example, by media type. */
function successContent(route: Route, status: number): Record<string, unknown> | undefined {
  if (status === 204) return undefined;
  if (route.responseMediaTypes) {
    return Object.fromEntries(
      Object.entries(route.responseMediaTypes).map(([type, name]) => [type, mediaContent(type, name, route)]),
    );
  }
  const mediaType = route.responseMediaType ?? 'application/json';
  const name = schemaNameOf(route, status);
  if (BINARY_MEDIA_TYPES.has(mediaType)) {
    return { [mediaType]: { schema: { type: 'string', format: 'binary', contentMediaType: mediaType } } };
  }
  if (name === undefined) {
    throw new Error(`${route.method.toUpperCase()} ${route.path} documents ${status} without a responseSchema`);
  }
  return { [mediaType]: mediaContent(mediaType, name, route) };
}

function responsesOf(route: Route): Record<string, unknown> {
  const declared: Record<number, string> = { ...route.responses };
  if (route.body) declared[400] ??= 'Invalid request: one detail per bad field';
  if (/:[A-Za-z]/.test(route.path)) declared[400] ??= 'A path parameter with unprintable characters';
  if (route.access !== 'public') {
    declared[401] ??= 'Missing, invalid or expired bearer token';
    declared[403] ??= 'Wrong role or institution';
  }
  return Object.fromEntries(
    Object.entries(declared).map(([key, description]) => {
      const status = Number(key);
      const named = schemaNameOf(route, status);
      if (status >= 400 && named === undefined) {
        return [key, { description, content: { 'application/json': { schema: { $ref: component('Error') } } } }];
      }
      const content = successContent(route, status);
      return [key, content ? { description, content } : { description }];
    }),
  );
}

function operationOf(route: Route, openApiPath: string): Record<string, unknown> {
  const parameters = [
    ...[...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(route.query ?? []).map((q) => ({
      name: q.name,
      in: 'query',
      required: q.required,
      description: q.description,
      schema: { type: 'string' },
    })),
  ];
  const operation: Record<string, unknown> = {
    operationId: `${route.method}${openApiPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    parameters,
    responses: responsesOf(route),
  };
  if (route.access !== 'public') operation.description = `Roles: ${route.access.join(', ')}`;
  const content: Record<string, unknown> = {};
  if (route.body) content['application/json'] = { schema: { $ref: component(route.body) } };
  for (const type of route.bodyMediaTypes ?? []) content[type] ??= { schema: { type: 'string', format: 'binary' } };
  if (Object.keys(content).length > 0) operation.requestBody = { required: true, content };
  return operation;
}

/** The OpenAPI 3.1 document, built from the route table so it cannot drift from what is served. */
export function buildOpenApi(routes: readonly Route[], schemas: Record<string, Schema>, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    paths[openApiPath] = { ...paths[openApiPath], [route.method]: operationOf(route, openApiPath) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Birth medical certificate e-licence service (出生医学证明电子证照)',
      version,
      description: 'Issues and verifies birth medical certificate e-licences in the C0134-2019 data layout.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      schemas: { ...bundleSchemas(schemas), ...RESPONSE_SCHEMAS },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
