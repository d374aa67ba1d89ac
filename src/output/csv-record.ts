/**
 * The one CSV record writer every CSV output uses (RFC 4180): a field holding the delimiter, a
 * quote, CR or LF is quoted, with its quotes doubled; nothing else is quoted; records end in LF.
 * A lone CR is quoted too, because readers that end lines at CR (this tool's, Excel's) would
 * split the record there. Written by hand rather than through csv-stringify: it runs once per
 * line of the suppression CSV, where a stringifier per record cost more than the audit's own
 * work on that line. A property test reads its output back with csv-parse.
 */
const NEEDS_QUOTES: Record<string, RegExp> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '\t': /["\t\r\n]/,
};

/** One record as a CSV line (with its LF). */
export function csvRecord(fields: readonly string[], delimiter: ',' | ';' | '\t' = ','): string {
  const needsQuotes = NEEDS_QUOTES[delimiter]!;
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (i > 0) line += delimiter;
    line += needsQuotes.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return `${line}\n`;
}
