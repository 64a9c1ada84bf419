import {
  base64url,
  closed,
  count,
  creditCode,
  exampleCreditCode,
  exampleKid,
  examplePem,
  flattenedJws,
  instant,
  kid,
  nullable,
  pem,
  ref,
  type Schema,
} from './common.ts';

const keyStatus = { enum: ['active', 'retired', 'revoked'] };
const keyDates = { notBefore: instant, notAfter: instant, retiredAt: nullable(instant), revokedAt: nullable(instant) };
const exampleDates = {
  notBefore: '2026-11-29T17:02:43.000Z',
  notAfter: '2029-11-29T17:02:43.000Z',
  retiredAt: null,
  revokedAt: null,
};
/** The QR's COSE kid: the first 8 bytes of the thumbprint, base64url. */
const kid8 = { type: 'string', pattern: '^[A-Za-z0-9_-]{11}$' };
const exampleKid8 = 'qmvcydNz4LI';
const jsonPart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const exampleStatusListToken = [
  jsonPart({ alg: 'ES256', typ: 'statuslist+jwt', kid: exampleKid, x5c: ['MIICujCCAmCgAwIBAgIQ'] }),
  jsonPart({
    sub: 'https://birth-elicence.example/api/v1/status-lists/1',
    iat: 1795971840,
    exp: 1796058240,
    ttl: 60,
    status_list: { bits: 2, lst: 'eF5jYOBgQAYAAIAACQ' },
  }),
  Buffer.alloc(64, 7).toString('base64url'),
].join('.');
const exampleTrustList = {
  version: 1,
  issuedAt: '2026-11-29T17:04:00.000Z',
  licenceTypeCode: '11100000000013338W001',
  root: examplePem,
  issuers: [
    {
      creditCode: exampleCreditCode,
      name: '广州市天河区示范妇幼保健院',
      status: 'active',
      certificates: [examplePem],
      keys: [{ kid: exampleKid, kid8: exampleKid8, status: 'active', ...exampleDates }],
    },
  ],
  statusListSigners: [{ kid: exampleKid, status: 'active', ...exampleDates, certificate: examplePem }],
  statusLists: ['https://birth-elicence.example/api/v1/status-lists/1'],
};
const x5c = { type: 'array', minItems: 1, items: { type: 'string', contentEncoding: 'base64' } };
const exampleX5c = ['MIICujCCAmCgAwIBAgIQJXMmU8cgMxA0M+XwtTU0nTAKBggqhkjOPQQDAjB5MQsw'];

export const trustSchemas: Record<string, Schema> = {
  Jwks: {
    description: 'JWK Set (RFC 7517) of every institution signing key ever trusted',
    ...closed({
      keys: {
        type: 'array',
        items: closed({
          kty: { const: 'EC' },
          crv: { const: 'P-256' },
          x: base64url,
          y: base64url,
          kid,
          kid8,
          use: { const: 'sig' },
          alg: { const: 'ES256' },
          x5c,
          'x5t#S256': base64url,
          institution: closed({ creditCode, name: { type: 'string' } }),
          status: keyStatus,
          ...keyDates,
        }),
      },
    }),
    examples: [
      {
        keys: [
          {
            kty: 'EC',
            crv: 'P-256',
            x: '8vzMwxMi6ZWt7RBSaMnshfVeLZGycJ4Usy-ZxjCH1FE',
            y: 'oWXwhJ4hAqYVHql53ghqLRU8-zWuJTtS20xHmNjMW5w',
            kid: exampleKid,
            kid8: exampleKid8,
            use: 'sig',
            alg: 'ES256',
            x5c: exampleX5c,
            'x5t#S256': 'dPBYjJuN6twAfB2AOWShPCkGAT_9AwgO6KMfZJW1fGM',
            institution: { creditCode: exampleCreditCode, name: '广州市天河区示范妇幼保健院' },
            status: 'active',
            ...exampleDates,
          },
        ],
      },
    ],
  },
  TrustList: {
    description: 'The root certificate and every issuing institution with all its signing certificates',
    ...closed(
      {
        version: { type: 'integer', minimum: 1 },
        issuedAt: instant,
        licenceTypeCode: { type: 'string' },
        root: pem,
        issuers: {
          type: 'array',
          items: closed({
            creditCode,
            name: { type: 'string' },
            status: { enum: ['active', 'inactive', 'revoked'] },
            certificates: { type: 'array', items: pem },
            keys: { type: 'array', items: closed({ kid, kid8, status: keyStatus, ...keyDates }) },
          }),
        },
        statusListSigners: {
          description: 'Every status-list signing key ever certified (the x5c of a status list token), oldest first',
          type: 'array',
          items: closed({ kid, status: keyStatus, ...keyDates, certificate: pem }),
        },
        statusLists: {
          description: 'The URI of every published status list, for verifiers that cache them all ahead of time',
          type: 'array',
          items: { type: 'string', format: 'uri' },
        },
      },
      ['statusListSigners', 'statusLists'],
    ),
    examples: [exampleTrustList],
  },
  TrustBundle: {
    ...flattenedJws,
    description:
      'A flattened JWS (ES256, typ in the header) signed by the trust-list key; the payload is a TrustBundlePayload',
    properties: {
      ...(flattenedJws.properties as Schema),
      payload: { ...base64url, contentMediaType: 'application/json', contentSchema: ref('TrustBundlePayload') },
    },
  },
  TrustBundlePayload: {
    description: 'What an offline verifier needs: the trust list and every current status list, as of one instant',
    ...closed({
      version: { const: 2 },
      asOf: instant,
      trustList: ref('TrustList'),
      statusLists: { type: 'array', items: ref('StatusListToken') },
    }),
    examples: [
      {
        version: 2,
        asOf: '2026-11-29T17:04:00.000Z',
        trustList: exampleTrustList,
        statusLists: [exampleStatusListToken],
      },
    ],
  },
  StatusListToken: {
    description:
      'A token status list (IETF OAuth Token Status List): a compact JWS, typ statuslist+jwt, ES256, signed by the ' +
      'status-list key (x5c chains to the root); the payload has sub (the list URI), iat, exp, ttl and ' +
      'status_list {bits: 2, lst: base64url of the deflated 2-bit entries}. 0 valid, 1 revoked, 2 void, 3 superseded.',
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    examples: [exampleStatusListToken],
  },
  NewSigningKey: {
    ...closed({ kid, institutionCreditCode: creditCode, x5c }),
    examples: [{ kid: exampleKid, institutionCreditCode: exampleCreditCode, x5c: exampleX5c }],
  },
  RevokedSigningKey: {
    ...closed({ kid, status: { const: 'revoked' }, revokedAt: instant, reason: nullable({ type: 'string' }) }),
    examples: [{ kid: exampleKid, status: 'revoked', revokedAt: '2026-11-29T17:04:00.000Z', reason: '私钥疑似泄露' }],
  },
  InstitutionList: {
    ...closed({
      institutions: {
        type: 'array',
        items: closed({
          creditCode,
          name: { type: 'string' },
          divisionCode: { type: 'string' },
          status: { enum: ['active', 'suspended'] },
          numberRanges: {
            type: 'array',
            items: closed({
              id: { type: 'integer' },
              prefix: { type: 'string' },
              firstNo: count,
              lastNo: count,
              nextNo: count,
              receivedOn: { type: 'string', format: 'date' },
              remaining: count,
            }),
          },
        }),
      },
    }),
    examples: [
      {
        institutions: [
          {
            creditCode: exampleCreditCode,
            name: '广州市天河区示范妇幼保健院',
            divisionCode: '440106',
            status: 'active',
            numberRanges: [
              {
                id: 1,
                prefix: 'Q',
                firstNo: 440000001,
                lastNo: 440099999,
                nextNo: 440000011,
                receivedOn: '2026-11-29',
                remaining: 99989,
              },
            ],
          },
        ],
      },
    ],
  },
  NumberRange: {
    ...closed({
      id: { type: 'integer' },
      institution: creditCode,
      prefix: { type: 'string' },
      firstNo: count,
      lastNo: count,
      nextNo: count,
      receivedOn: { type: 'string', format: 'date' },
    }),
    examples: [
      {
        id: 3,
        institution: '12110105400000567N',
        prefix: 'P',
        firstNo: 110100001,
        lastNo: 110100100,
        nextNo: 110100001,
        receivedOn: '2026-11-29',
      },
    ],
  },
};
