import { closed, count, exampleKid, examplePem, instant, kid, pem, type Schema } from './common.ts';

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

export const auditSchemas: Record<string, Schema> = {
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
