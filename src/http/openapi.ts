import type { Route } from './route.ts';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', examples: ['INVALID_REQUEST'] },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: { path: { type: 'string' }, item: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
};

const signedELicenceSchema = {
  description:
    'JWS flattened JSON serialization (RFC 7515 §7.2.2), ES256; the protected header carries typ, kid (RFC 7638) and x5c; ' +
    'the payload is the UTF-8 JSON of elicence-payload.',
  type: 'object',
  required: ['protected', 'payload', 'signature'],
  properties: { protected: { type: 'string' }, payload: { type: 'string' }, signature: { type: 'string' } },
};

const verificationResultSchema = {
  type: 'object',
  required: ['valid', 'status', 'householdRegistered', 'checks'],
  properties: {
    valid: { type: 'boolean' },
    status: { enum: ['valid', 'superseded', 'void', 'revoked', 'unknown'] },
    reason: {
      enum: [
        'MALFORMED',
        'BAD_SIGNATURE',
        'UNTRUSTED_ISSUER',
        'ISSUER_REVOKED',
        'NOT_FOUND',
        'SUPERSEDED',
        'VOID',
        'REVOKED',
        'DATA_MISMATCH',
        'STATUS_UNAVAILABLE',
      ],
    },
    supersededBy: { type: 'string' },
    statusAsOf: { type: 'string', description: 'Offline only: the time of the status list the status came from' },
    certificate: {
      description: 'Only what the presented credential carried, and only once its signature holds',
      type: 'object',
      properties: {
        certificateNo: { type: 'string' },
        licenceId: { type: 'string' },
        newborn: {
          type: 'object',
          properties: { name: { type: 'string' }, sex: { type: 'string' }, birthTime: { type: 'string' } },
        },
        mother: { type: 'object', properties: { name: { type: 'string' } } },
        issuer: { type: 'object', properties: { name: { type: 'string' }, creditCode: { type: 'string' } } },
        issueDate: { type: 'string' },
        issuedAt: { type: 'string' },
      },
    },
    householdRegistered: { type: 'boolean' },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { enum: ['pdf', 'format', 'signature', 'issuer', 'status', 'consistency'] },
          result: { enum: ['pass', 'fail', 'skip'] },
        },
      },
    },
  },
};

function successSchema(route: Route): Record<string, unknown> {
  if (route.responseMediaType === 'application/pdf') return { type: 'string', format: 'binary' };
  return route.responseSchema ? { $ref: `#/components/schemas/${route.responseSchema}` } : { type: 'object' };
}

/** The OpenAPI 3.1 document, built from the route table so it cannot drift from what is served. */
export function buildOpenApi(
  routes: readonly Route[],
  schemas: Record<string, Record<string, unknown>>,
  version: string,
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const openApiPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
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
    const declared: Record<number, string> = { ...route.responses };
    if (route.body) declared[400] ??= 'Invalid request: one detail per bad field';
    if (route.access !== 'public') {
      declared[401] ??= 'Missing, invalid or expired bearer token';
      declared[403] ??= 'Wrong role or institution';
    }
    const responses = Object.fromEntries(
      Object.entries(declared).map(([status, description]) => [
        status,
        Number(status) >= 400
          ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
          : {
              description,
              content: { [route.responseMediaType ?? 'application/json']: { schema: successSchema(route) } },
            },
      ]),
    );
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${openApiPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      parameters,
      responses,
    };
    if (route.access !== 'public') {
      operation.security = [{ bearer: [] }];
      operation.description = `Roles: ${route.access.join(', ')}`;
    }
    if (route.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
      };
    }
    if (route.bodyMediaTypes) {
      const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {};
      for (const type of route.bodyMediaTypes) content[type] ??= { schema: { type: 'string', format: 'binary' } };
      operation.requestBody = { required: true, content };
    }
    paths[openApiPath] = { ...paths[openApiPath], [route.method]: operation };
  }
  const componentSchemas: Record<string, unknown> = {
    Error: errorSchema,
    SignedELicence: signedELicenceSchema,
    VerificationResult: verificationResultSchema,
  };
  for (const [name, schema] of Object.entries(schemas)) {
    const { $schema: _ignored, ...rest } = schema;
    componentSchemas[name] = rest;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Birth medical certificate e-licence service (出生医学证明电子证照)',
      version,
      description: 'Issues and verifies birth medical certificate e-licences in the C0134-2019 data layout.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: componentSchemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
