/**
 * Building blocks of the documented response bodies. A schema here is a JSON Schema (2020-12, as
 * OpenAPI 3.1 uses it) with at least one example; tests/http/openapi-responses.test.ts checks each
 * against what the routes really answer, so `additionalProperties: false` keeps the document from
 * falling behind a new field.
 */
export type Schema = Record<string, unknown>;

/** A reference to a component of the OpenAPI document (request schemas' `$defs` are `<schema>.<def>`). */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** An object whose every listed property is required and no other is allowed. */
export const closed = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
  additionalProperties: false,
});

export const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });

export const count = { type: 'integer', minimum: 0 };
export const instant = { type: 'string', format: 'date-time' };
export const day = { type: 'string', format: 'date' };
export const base64url = { type: 'string', pattern: '^[A-Za-z0-9_-]*$' };
export const pem = { type: 'string', pattern: '^-----BEGIN CERTIFICATE-----\\n' };
/** A key id: the RFC 7638 thumbprint of the public key, base64url. */
export const kid = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' };
export const creditCode = ref('certificate.creditCode');
export const certificateNo = ref('certificate.certificateNo');

export const examplePem =
  '-----BEGIN CERTIFICATE-----\nMIICNzCCAd2gAwIBAgIQT9/Dfol6krUr0j+XDk2kQTAKBggqhkjOPQQDAjB5MQsw\n-----END CERTIFICATE-----';
export const exampleKid = 'qmvcydNz4LL8xdbZl8V8oB-IVKLXqIMP3jsI8Ws3crI';
export const exampleCreditCode = '124401064554012343';
export const exampleLicenceId = '1.2.156.3005.2.11100000000013338W001.124401064554012343.7VJPPZ5F0HZXT4ZNM9XK.001.V';

export const errorSchema: Schema = {
  description: 'Every refusal: a stable code, a message, and one detail per bad field',
  ...closed({
    error: closed({
      code: { type: 'string' },
      message: { type: 'string' },
      details: {
        type: 'array',
        items: closed({ path: { type: 'string' }, item: { type: 'string' }, message: { type: 'string' } }, ['item']),
      },
    }),
  }),
  examples: [
    {
      error: {
        code: 'INVALID_REQUEST',
        message: 'The request is invalid',
        details: [{ path: 'mother', item: '母亲', message: '母亲 (mother) is required' }],
      },
    },
  ],
};

/** RFC 7515 §7.2.2; the protected header carries typ, kid (RFC 7638) and x5c. */
export const flattenedJws: Schema = {
  description:
    'JWS flattened JSON serialization (RFC 7515 §7.2.2), ES256, with typ, kid and x5c in the protected header',
  ...closed({ protected: base64url, payload: base64url, signature: base64url }),
  examples: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', payload: 'eyJ2ZXJzaW9uIjoxfQ', signature: 'c2lnbmF0dXJl' }],
};
