import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textLines } from '../../src/cli/backfill.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'backfill-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function linesOf(content: string | Buffer): Promise<string[]> {
  const file = path.join(dir, `${Math.random()}.ndjson`);
  writeFileSync(file, content);
  const lines: string[] = [];
  for await (const line of textLines(file)) lines.push(line);
  return lines;
}

describe('the back-issuance input, line by line', () => {
  it('splits LF and CRLF lines, keeps empty ones (they count for line numbers) and a last line without LF', async () => {
    expect(await linesOf('{"a":1}\r\n\n{"b":"李沐阳"}\n{"c":3}')).toEqual(['{"a":1}', '', '{"b":"李沐阳"}', '{"c":3}']);
    expect(await linesOf('{"a":1}\n')).toEqual(['{"a":1}']);
    expect(await linesOf('')).toEqual([]);
  });

  it('keeps a character whose UTF-8 bytes straddle two reads whole, and lines longer than one read', async () => {
    // Reads are 256 KiB: the 3-byte 李 sits across the first boundary, and line 2 spans three reads.
    const first = `${'x'.repeat(256 * 1024 - 1)}李`;
    const second = '王'.repeat(200_000);
    expect(await linesOf(`${first}\n${second}\r\nend`)).toEqual([first, second, 'end']);
  });
});
