import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The domain is plain TypeScript over its own ports: no express, sqlite, pdf-lib or crypto imports. */
const ROOT = path.resolve(import.meta.dirname, '../../src/domain');

const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(ROOT, name));

describe('the domain', () => {
  it('has files in every part: rules, lifecycle, verification, trust, accounts, audit, reports', () => {
    const parts = new Set(files.map((file) => path.relative(ROOT, file).split(path.sep)[0]));
    for (const part of [
      'rules',
      'lifecycle',
      'verification',
      'trust',
      'accounts',
      'audit',
      'reports',
      'check',
      'codes',
    ]) {
      expect(parts).toContain(part);
    }
  });

  it('imports only relative modules, never a library or a node built-in', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)) {
        if (!match[1]!.startsWith('.')) offenders.push(`${path.relative(ROOT, file)}: ${match[1]}`);
      }
      for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]/g)) {
        if (!match[1]!.startsWith('.')) offenders.push(`${path.relative(ROOT, file)}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
