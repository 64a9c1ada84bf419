/**
 * CSV as Excel opens it in China: UTF-8 with a byte-order mark (without one Excel reads GBK and
 * shows mojibake), CRLF line ends, RFC 4180 quoting. A text cell starting with = + - @ or a tab is
 * prefixed with an apostrophe so a spreadsheet shows it instead of evaluating it as a formula.
 */
export type CsvCell = string | number | null;

const BOM = '\uFEFF';

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
