import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ and the arrows allowed between them, checked on every import (static,
 * type-only, re-exports and dynamic `import()`), so the layering holds by test, not by review.
 */
const SRC = path.resolve(import.meta.dirname, '../../src');

/**
 * The composition root: the only files that see every layer (operator-tools.ts wires the operator
 * CLI's, backfill-worker.ts its worker thread's, backfill-tools.ts the backfill command's).
 */
const COMPOSITION_ROOT = [
  'service.ts',
  'operator-tools.ts',
  'main.ts',
  'start.ts',
  'backfill-worker.ts',
  'backfill-tools.ts',
];

/** Which layers each layer may import (a layer is a folder of src/, or a file at its top). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: ['domain'],
  adapters: ['adapters', 'domain'],
  validation: ['validation', 'domain'],
  http: ['http', 'domain'],
  'app.ts': ['http', 'domain'],
  'config.ts': [],
  setup: ['setup', 'domain', 'config.ts'],
  // Operator commands are entry points: they get their adapters from the composition root.
  cli: ['cli', 'domain', 'config.ts', 'operator-tools.ts', 'backfill-tools.ts'],
  // Pages call the same use cases as the JSON routes; their adapters come from the composition root.
  web: ['web', 'http', 'domain'],
};

const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts') || name.endsWith('.tsx'))
  .map((name) => name.split(path.sep).join('/'))
  .sort();

/** Every file of src/ imported by `file`, as paths relative to src/ (imports leaving src/ are dropped). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(SRC, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), specifier)))
    .filter((target) => !target.startsWith('..'))
    .map((target) => target.split(path.sep).join('/'));
}

const graph = new Map(files.map((file) => [file, importsOf(file)]));
const arrows = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const layerOf = (file: string) => file.split('/')[0]!;
const show = ({ from, to }: { from: string; to: string }) => `${from} -> ${to}`;

/** One path per import circle: a cycle through every strongly connected group of files (Tarjan). */
function cycles(): string[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== file);
      if (group.length > 1 || graph.get(file)!.includes(file)) groups.push(group);
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return groups.map((group) => {
    // Shortest way back to the group's first file, inside the group (breadth first).
    const members = new Set(group);
    const start = [...group].sort()[0]!;
    const previous = new Map<string, string>();
    const queue = [start];
    let end: string | undefined;
    while (queue.length > 0 && !end) {
      const file = queue.shift()!;
      for (const next of graph.get(file)!) {
        if (!members.has(next)) continue;
        if (next === start) {
          end = file;
          break;
        }
        if (!previous.has(next)) {
          previous.set(next, file);
          queue.push(next);
        }
      }
    }
    const way = [end!];
    while (way[0] !== start) way.unshift(previous.get(way[0]!)!);
    return [...way, start].join(' -> ');
  });
}

describe('the imports of src/', () => {
  it('are read from every file, including re-exports and type-only imports', () => {
    expect(files).toContain('service.ts');
    expect(graph.get('service.ts')).toContain('app.ts');
    expect(graph.get('http/routes/trust-routes.ts')).toContain('domain/trust/publish-trust.ts');
    expect(graph.get('adapters/pdf/index.ts')).toContain('adapters/pdf/inspect.ts');
    expect(arrows.length).toBeGreaterThan(200);
  });

  it('never go from src/http, src/cli or src/web to src/adapters', () => {
    const offenders = arrows.filter(
      ({ from, to }) => ['http', 'cli', 'web'].includes(layerOf(from)) && layerOf(to) === 'adapters',
    );
    expect(offenders.map(show)).toEqual([]);
  });

  it('never go from an adapter to config.ts (adapters get plain values)', () => {
    const offenders = arrows.filter(({ from, to }) => layerOf(from) === 'adapters' && to === 'config.ts');
    expect(offenders.map(show)).toEqual([]);
  });

  it('never go from src/setup back up to service.ts', () => {
    const offenders = arrows.filter(({ from, to }) => layerOf(from) === 'setup' && to === 'service.ts');
    expect(offenders.map(show)).toEqual([]);
  });

  it('follow the layer table; only the composition root sees every layer', () => {
    const layers = new Set(files.map(layerOf));
    for (const layer of layers) {
      if (!COMPOSITION_ROOT.includes(layer)) expect(Object.keys(ALLOWED), `a rule for ${layer}`).toContain(layer);
    }
    const offenders = arrows.filter(({ from, to }) => {
      const layer = layerOf(from);
      return !COMPOSITION_ROOT.includes(layer) && !ALLOWED[layer]?.includes(layerOf(to));
    });
    expect(offenders.map(show)).toEqual([]);
  });

  it('form no circles', () => {
    expect(cycles()).toEqual([]);
  });
});
