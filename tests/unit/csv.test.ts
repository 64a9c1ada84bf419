import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/web/csv.ts';

describe('toCsv', () => {
  it('writes UTF-8 with a BOM, CRLF lines and RFC 4180 quoting', () => {
    expect(
      toCsv(
        ['机构', '数'],
        [
          ['海珠区"妇幼",院', 3],
          ['两行\n名', null],
        ],
      ),
    ).toBe('\uFEFF机构,数\r\n"海珠区""妇幼"",院",3\r\n"两行\n名",\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(toCsv(['a', 'b', 'c'], [['=HYPERLINK("x")', '-1', -1]])).toBe(
      '\uFEFFa,b,c\r\n"\'=HYPERLINK(""x"")",\'-1,-1\r\n',
    );
  });
});
