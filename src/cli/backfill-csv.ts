/*
 * A CSV row of docs/backfill.md as the record an NDJSON line would hold: the header names each
 * column by its dotted path (`newborn.gestation.weeks`); numbers are written as numbers; an
 * empty cell is an absent item, and a parent or delivery institution with every cell empty is
 * null. Whatever the cells hold is then validated like any other record.
 */

const NUMBER_PATHS = new Set([
  'newborn.gestation.weeks',
  'newborn.gestation.days',
  'newborn.weightGrams',
  'newborn.lengthCm',
  'mother.age',
  'father.age',
]);
const NULLABLE_OBJECTS = ['father', 'deliveryInstitution'];
const NULLABLE_ITEMS = new Set(['mother.ethnicity', 'father.ethnicity']);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function cell(path: string, text: string): unknown {
  if (NUMBER_PATHS.has(path) && /^-?\d+(\.\d+)?$/.test(text.trim())) return Number(text.trim());
  return text;
}

export function recordOfCsvRow(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const present = new Set<string>();
  for (const [path, text] of Object.entries(row)) {
    const parts = path.split('.');
    if (parts.some((part) => FORBIDDEN.has(part) || part === '')) continue;
    const top = parts[0]!;
    if (text === '') {
      if (NULLABLE_ITEMS.has(path)) setPath(record, parts, null);
      continue;
    }
    present.add(top);
    setPath(record, parts, cell(path, text));
  }
  for (const name of NULLABLE_OBJECTS) {
    if (!present.has(name) && Object.keys(row).some((path) => path.startsWith(`${name}.`))) record[name] = null;
  }
  return record;
}

function setPath(record: Record<string, unknown>, parts: string[], value: unknown): void {
  let node = record;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}
