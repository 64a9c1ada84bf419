import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../src/http/error-status.ts';

/** Every code the source throws has its HTTP status; the compiler checks the union, this the casts. */
const ROOT = path.resolve(import.meta.dirname, '../../src');

const thrownCodes = () => {
  const codes = new Set<string>();
  for (const name of readdirSync(ROOT, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts')) continue;
    const source = readFileSync(path.join(ROOT, name), 'utf8');
    for (const match of source.matchAll(/new DomainError\(\s*'([A-Z_]+)'/g)) codes.add(match[1]!);
  }
  return [...codes].sort();
};

describe('error codes', () => {
  it('map every thrown code to a status', () => {
    const codes = thrownCodes();
    expect(codes.length).toBeGreaterThan(15);
    expect(codes.filter((code) => !(code in errorStatus))).toEqual([]);
  });

  it('answer client refusals with a 4xx and only custody faults with a 503', () => {
    expect(errorStatus.KEY_UNREADABLE).toBe(503);
    expect(errorStatus.KEY_NOT_FOUND).toBe(404);
    expect(
      Object.values(errorStatus).every((status) => [400, 401, 403, 404, 409, 429, 500, 503].includes(status)),
    ).toBe(true);
  });
});
