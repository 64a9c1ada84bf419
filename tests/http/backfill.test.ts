import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRecords } from '../../scripts/gen-records.ts';
import { runBackfill } from '../../src/cli/backfill.ts';
import { loadConfig } from '../../src/config.ts';
import type { BackfillPorts } from '../../src/domain/lifecycle/backfill.ts';
import { openOperatorTools } from '../../src/operator-tools.ts';
import { seedDemoDataDir, testEnvironment } from './demo-data-dir.ts';

const operator = { username: 'cli', role: 'operator' } as const;
let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'backfill-test-'));
  dataDir = path.join(dir, 'data');
  await seedDemoDataDir(dataDir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function backfill(file: string, threads: number, fault: (ports: BackfillPorts) => void = () => {}) {
  const tools = openOperatorTools(await loadConfig(testEnvironment(dataDir)));
  try {
    const ports = tools.backfillPorts({ threads });
    fault(ports);
    return await runBackfill(ports, operator, file, {
      tty: false,
      rejectFile: `${file}.rejects`,
      log: () => {},
    });
  } finally {
    tools.close();
  }
}

describe('backfill', () => {
  it('issues the valid records, writes each invalid one to the reject file with its line and field errors, and issues nothing twice when run again', async () => {
    const records = [...generateRecords(60, 3)];
    const lines = records.map((r) => JSON.stringify(r));
    lines.splice(10, 0, '{not json');
    const unknownIssuer = { ...records[0], certificateNo: 'K900000001', issuerCreditCode: '12440106455858140X' };
    lines.push(JSON.stringify(unknownIssuer));
    const file = path.join(dir, 'records.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const first = await backfill(file, 1);
    const rejects = readFileSync(`${file}.rejects`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; certificateNo: string | null; errors: { path: string }[] });
    expect(first.issued + first.rejected).toBe(lines.length);
    expect(rejects).toHaveLength(first.rejected);
    expect(rejects.find((r) => r.line === 11)).toEqual({
      line: 11,
      certificateNo: null,
      errors: [{ path: 'body', message: expect.stringMatching(/^is not valid JSON/) }],
    });
    expect(rejects.at(-1)).toEqual({
      line: lines.length,
      certificateNo: 'K900000001',
      errors: [{ path: 'issuerCreditCode', message: 'names no institution of this service' }],
    });
    for (const reject of rejects) expect(reject.errors.length).toBeGreaterThan(0);

    // The same input under another name: a new run of the same bytes is the same run, finished.
    const copy = path.join(dir, 'again.ndjson');
    writeFileSync(copy, readFileSync(file));
    const second = await backfill(copy, 0);
    expect(second.resumedAfterLine).toBe(lines.length);
    expect({ issued: second.issued, rejected: second.rejected }).toEqual({
      issued: first.issued,
      rejected: first.rejected,
    });

    // Another file holding the same records: every number is skipped, none issued again.
    const shuffled = path.join(dir, 'shuffled.ndjson');
    writeFileSync(shuffled, `${[...lines].reverse().join('\n')}\n`);
    const third = await backfill(shuffled, 1);
    expect(third.issued).toBe(0);
    expect(third.skipped).toBe(first.issued);
  });

  it('stops at a unit of work that fails: nothing after it commits, and the next run continues after the last one committed', async () => {
    const records = [...generateRecords(8000, 11)];
    const file = path.join(dir, 'failing.ndjson');
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);

    // The disk fills up at the 2,100th record (near line 2,165, in the batch of lines 2,001–2,500).
    let inserts = 0;
    const diskFull = (ports: BackfillPorts) => {
      const rows = ports.rows;
      ports.rows = {
        insert(row) {
          if (++inserts === 2100) throw new Error('database or disk is full');
          rows.insert(row);
        },
      };
    };
    await expect(backfill(file, 1, diskFull)).rejects.toThrow('database or disk is full');

    const resumed = await backfill(file, 1);
    // Units of work end at a batch's end; none after the failing one committed.
    expect(resumed.resumedAfterLine % 500).toBe(0);
    expect(resumed.resumedAfterLine).toBeLessThanOrEqual(2000);
    expect(resumed.lines).toBe(8000);
    // Every line issued or rejected once: none skipped over by a unit committed after the failure.
    const rejects = readFileSync(`${file}.rejects`, 'utf8').trim().split('\n');
    expect(resumed.issued + rejects.length).toBe(8000);
    expect(resumed.skipped).toBe(0);
  });
});
