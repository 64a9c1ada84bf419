import { closed, count, exampleKid, examplePem, instant, kid, nullable, pem, type Schema } from './common.ts';

const hash = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const seq = { type: 'integer', minimum: 0 };
const compactJws = { type: 'string', pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' };
const checkpoint = closed({ number: { type: 'integer', minimum: 1 }, seq, hash, at: instant, kid, jws: compactJws });
const exampleHash = 'e6743c9f394a1200a1f578ed8117fb344ef1d018a198fc4601d80566725782ec';
const exampleCheckpoint = {
  number: 1,
  seq: 59,
  hash: exampleHash,
  at: '2026-11-29T17:04:00.000Z',
  kid: exampleKid,
  jws: 'eyJhbGciOiJFUzI1NiJ9.eyJzZXEiOjU5fQ.c2lnbmF0dXJl',
};

const nullableText = nullable({ type: 'string' });
const event = closed(
  {
    seq: { type: 'integer', minimum: 1 },
    at: instant,
    action: { type: 'string' },
    actor: nullableText,
    role: nullableText,
    institution: nullableText,
    target: nullableText,
    purpose: nullableText,
    details: { type: 'object' },
    prevHash: hash,
    hash,
    masked: { const: true, description: 'Free text held an ID number, shown masked: this copy cannot be rehashed' },
  },
  ['masked'],
);

export const auditSchemas: Record<string, Schema> = {
  AuditEventPage: {
    ...closed({ events: { type: 'array', items: event }, nextBefore: seq }, ['nextBefore']),
    examples: [
      {
        events: [
          {
            seq: 59,
            at: '2026-11-29T17:04:00.000Z',
            action: 'certificate.issued',
            actor: 'issuer-gz',
            role: 'issuer',
            institution: '124401064554012343',
            target: 'Q440000005',
            purpose: null,
            details: { kind: 'first' },
            prevHash: '0'.repeat(64),
            hash: exampleHash,
          },
        ],
        nextBefore: 59,
      },
    ],
  },
  AuditVerification: {
    ...closed(
      {
        intact: { type: 'boolean' },
        events: count,
        firstBrokenAt: seq,
        failedAnchorSeq: seq,
        checkpoints: count,
        pinnedThrough: seq,
        checkpoint: closed({
          number: { type: 'integer' },
          seq,
          at: instant,
          problem: { enum: ['BAD_SIGNATURE', 'CHAIN_MISMATCH', 'MISSING'] },
        }),
      },
      ['firstBrokenAt', 'failedAnchorSeq', 'pinnedThrough', 'checkpoint'],
    ),
    examples: [{ intact: true, events: 59, checkpoints: 1, pinnedThrough: 59 }],
  },
  AuditHead: { ...closed({ seq, hash }), examples: [{ seq: 59, hash: exampleHash }] },
  AuditCheckpoint: {
    description: 'A signed checkpoint: a compact JWS (ES256) over {seq, hash, at}',
    ...checkpoint,
    examples: [exampleCheckpoint],
  },
  AuditCheckpointList: {
    ...closed({
      checkpoints: { type: 'array', items: checkpoint },
      keys: {
        type: 'array',
        items: closed({ kid, status: { enum: ['active', 'retired', 'revoked'] }, x509Pem: pem }),
      },
    }),
    examples: [
      { checkpoints: [exampleCheckpoint], keys: [{ kid: exampleKid, status: 'active', x509Pem: examplePem }] },
    ],
  },
};
