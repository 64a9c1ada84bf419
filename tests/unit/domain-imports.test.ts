import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The data-layout part of the domain: plain TypeScript over its own ports, no library imports. */
const ROOT = path.resolve(import.meta.dirname, '../../src/domain');
const OWN = ['check', 'codes', 'rules', 'licence-id.ts', 'item-names.ts'];

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (full.endsWith('.ts')) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(full, name));
}

describe('domain data layout', () => {
  it('imports only relative modules', () => {
    const offenders: string[] = [];
    for (const file of OWN.flatMap(filesUnder)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)) {
        if (!match[1]!.startsWith('.')) offenders.push(`${path.relative(ROOT, file)}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
