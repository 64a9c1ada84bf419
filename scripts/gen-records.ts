/**
 * Historical certificate records for `backfill` (docs/backfill.md), for tests and the benchmark:
 * the shared fixture families moved to births in 2014–2018 with other names, other mothers and
 * paper numbers of that time, and about 3 % deliberately invalid (a bad check character, a birth
 * after the issue date, an unknown institution, a missing item).
 *
 * Records name institutions the service knows: by default the demo trust domain's (what a data
 * directory seeded by `npm run dev` or the tests holds), otherwise those given by
 * `--institutions CODE:NAME,…` (credit code and name as registered with `add-institution`).
 * Each record goes to one of them in turn; its birth place stays the fixture family's.
 *
 *   tsx scripts/gen-records.ts --count N --seed S [--format ndjson|csv] [--out FILE]
 *                              [--institutions CODE:NAME,…]
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { demoInstitutions } from '../src/setup/demo-trust-domain.ts';
import {
  chinaTime,
  fixtureRecords,
  isInstitutionalBirth,
  withAnotherMother,
  withBirthTime,
} from '../tests/fixtures/records.ts';

/** The command line, read only when run as a script (the benchmark imports `generateRecords` with its own options). */
const commandLine = () =>
  parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      format: { type: 'string', default: 'ndjson' },
      out: { type: 'string' },
      institutions: { type: 'string' },
    },
  }).values;

export interface KnownInstitution {
  creditCode: string;
  name: string;
}

/** `CODE:NAME,CODE:NAME` as given on the command line. */
export function parseInstitutions(text: string): KnownInstitution[] {
  return text.split(',').map((entry) => {
    const at = entry.indexOf(':');
    if (at <= 0 || at === entry.length - 1) throw new Error(`--institutions: "${entry}" is not CODE:NAME`);
    return { creditCode: entry.slice(0, at).trim(), name: entry.slice(at + 1).trim() };
  });
}

const DEMO_INSTITUTIONS: KnownInstitution[] = demoInstitutions.map(({ creditCode, name }) => ({ creditCode, name }));

/** mulberry32: the same seed gives the same file. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIVEN = [
  '子涵',
  '浩然',
  '欣怡',
  '梓轩',
  '雨桐',
  '一诺',
  '宇航',
  '诗涵',
  '俊杰',
  '思远',
  '佳怡',
  '明轩',
  '若曦',
  '天佑',
  '语嫣',
  '博文',
];
const START = Date.parse('2014-01-01T00:00:00+08:00');
const SPAN = Date.parse('2018-12-01T00:00:00+08:00') - START;

export function* generateRecords(
  count: number,
  seed: number,
  institutions: readonly KnownInstitution[] = DEMO_INSTITUTIONS,
): Generator<Record<string, unknown>> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    const family = fixtureRecords[i % fixtureRecords.length]!;
    const born = new Date(START + Math.floor((next() * SPAN) / 60_000) * 60_000);
    let record = withBirthTime(withAnotherMother(family, 1 + Math.floor(next() * 499)), chinaTime(born));
    const surname = [...record.newborn.name][0]!;
    if (family.newborn.name.length <= 4 && /^\p{Script=Han}+$/u.test(family.newborn.name)) {
      record = { ...record, newborn: { ...record.newborn, name: surname + GIVEN[Math.floor(next() * GIVEN.length)]! } };
    }
    const issuer = institutions[i % institutions.length]!;
    const issued = new Date(born.getTime() + (1 + Math.floor(next() * 20)) * 86_400_000);
    const year = chinaTime(born).slice(0, 4);
    // Paper numbers of the time: a series letter per year, the province, a running number.
    const letter = 'KLMNO'[Number(year) - 2014]!;
    const line: Record<string, unknown> = {
      certificateNo: `${letter}${String((seed % 10) * 100_000_000 + i).padStart(9, '0')}`,
      issueDate: chinaTime(issued).slice(0, 10),
      issuerCreditCode: issuer.creditCode,
      newborn: record.newborn,
      birthPlace: record.birthPlace,
      birthPlaceCategory: record.birthPlaceCategory,
      deliveryInstitution: isInstitutionalBirth(record) ? { name: issuer.name, creditCode: issuer.creditCode } : null,
      mother: record.mother,
      father: record.father,
      ...(record.fatherAbsentReason === undefined ? {} : { fatherAbsentReason: record.fatherAbsentReason }),
    };
    const flaw = next();
    if (flaw < 0.01) line.issueDate = '2013-12-31';
    else if (flaw < 0.02) line.issuerCreditCode = '12440106455858140X';
    else if (flaw < 0.025) delete line.newborn;
    else if (flaw < 0.03)
      (line.mother as { idNumber: string }).idNumber =
        `${(record.mother.idNumber).slice(0, 17)}${record.mother.idNumber.endsWith('0') ? '1' : '0'}`;
    yield line;
  }
}

const CSV_COLUMNS = [
  'certificateNo',
  'issueDate',
  'issuerCreditCode',
  'newborn.name',
  'newborn.sex',
  'newborn.birthTime',
  'newborn.gestation.weeks',
  'newborn.gestation.days',
  'newborn.weightGrams',
  'newborn.lengthCm',
  'newborn.health',
  'birthPlace.divisionCode',
  'birthPlaceCategory',
  'birthPlaceOther',
  'deliveryInstitution.name',
  'deliveryInstitution.creditCode',
  ...['mother', 'father'].flatMap((p) =>
    ['name', 'age', 'nationality', 'ethnicity', 'address', 'idType', 'idNumber'].map((f) => `${p}.${f}`),
  ),
  'fatherAbsentReason',
];

const csvCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const at = (record: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      record,
    );

async function main(): Promise<void> {
  const values = commandLine();
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const csv = values.format === 'csv';
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  if (csv) await write(`${CSV_COLUMNS.join(',')}\n`);
  const institutions = values.institutions ? parseInstitutions(values.institutions) : DEMO_INSTITUTIONS;
  for (const record of generateRecords(Number(values.count), Number(values.seed), institutions)) {
    await write(csv ? `${CSV_COLUMNS.map((c) => csvCell(at(record, c))).join(',')}\n` : `${JSON.stringify(record)}\n`);
  }
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(() => resolve()));
}

if (process.argv[1]?.endsWith('gen-records.ts')) await main();
