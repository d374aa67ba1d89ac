/**
 * One CSV record as text (RFC 4180: a field holding a comma, quote, CR or LF, or starting or
 * ending with a space, is quoted, with quotes doubled). For per-row outputs on the hot path,
 * where building a csv-stringify stream per record cost more than the audit itself.
 */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const QUOTE = /"/g;

export function csvLine(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) line += ',';
    line += NEEDS_QUOTES.test(f) ? `"${f.replace(QUOTE, '""')}"` : f;
  }
  return `${line}\n`;
}
