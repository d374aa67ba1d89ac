/**
 * The one module that reads CSV. Rows in, `{ line, fields }` out; every failure is an
 * InputError naming file, line and column. Kept small and behind this interface so the
 * parser on the hot path can be swapped after profiling without touching the pipeline.
 *
 * Handles: UTF-8 with or without BOM; comma, semicolon or tab (sniffed from the header
 * line); CRLF, LF or CR, even mixed; quoted fields holding delimiters, quotes and newlines.
 */
import { parse, CsvError } from 'csv-parse';
import { Readable } from 'node:stream';
import { InputError } from '../errors.js';

/** One data row. `line` is the 1-based physical line where the row starts. */
export interface CsvRow {
  line: number;
  fields: string[];
}

export interface CsvSource {
  /** Display name of the input, used in every error message. */
  file: string;
  /** Header fields as written (BOM stripped). */
  header: string[];
  /** The delimiter that was sniffed from the header line. */
  delimiter: ',' | ';' | '\t';
  /** Data rows, streamed. Throws InputError on malformed CSV. */
  rows: AsyncIterable<CsvRow>;
}

/** How much of the head is examined to sniff the delimiter and spot binary input. */
const HEAD_BYTES = 64 * 1024;

/**
 * Open a CSV stream: read just enough to see the header line, sniff the delimiter, and
 * return the header plus a lazy iterator over the data rows.
 */
export async function openCsv(input: AsyncIterable<Buffer | string>, file: string): Promise<CsvSource> {
  const it = input[Symbol.asyncIterator]();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let done = false;
  // Read until the head holds a line break or enough bytes to judge.
  while (headLength < HEAD_BYTES) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    const buf = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    headChunks.push(buf);
    headLength += buf.length;
    if (buf.includes(0x0a) || buf.includes(0x0d)) break;
  }
  const head = Buffer.concat(headChunks);
  if (head.length === 0 || head.toString('utf8').replace(/^\uFEFF/, '').trim() === '') {
    throw new InputError('the file is empty: expected a CSV header row and data rows', { file });
  }
  if (looksBinary(head)) {
    throw new InputError('this looks like a binary file, not a CSV bounce log', { file });
  }
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8').replace(/^\uFEFF/, '')));

  async function* allChunks(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  }

  const parser = Readable.from(allChunks()).pipe(
    parse({
      bom: true,
      delimiter,
      // Exports concatenated from several systems mix line endings; accept each of them.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number; empty_lines: number } }>;

  // Where the next record starts: the line after the previous record's last line,
  // plus the empty lines skipped in between.
  let prevEndLine = 0;
  let prevEmpty = 0;
  const nextRecord = async (): Promise<CsvRow | null> => {
    try {
      const r = await records.next();
      if (r.done) return null;
      const { record, info } = r.value;
      const line = prevEndLine + 1 + (info.empty_lines - prevEmpty);
      prevEndLine = info.lines;
      prevEmpty = info.empty_lines;
      return { line, fields: record };
    } catch (err) {
      throw toInputError(err, file, prevEndLine + 1);
    }
  };

  const headerRow = await nextRecord();
  if (!headerRow) throw new InputError('the file is empty: expected a CSV header row and data rows', { file });
  const header = headerRow.fields.map((h) => h.trim());

  async function* rows(): AsyncGenerator<CsvRow> {
    for (;;) {
      const row = await nextRecord();
      if (!row) return;
      yield row;
    }
  }
  return { file, header, delimiter, rows: rows() };
}

/** The header's own line, outside quotes, for sniffing. */
function firstLine(text: string): string {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) return text.slice(0, i);
  }
  return text;
}

/** The delimiter that occurs most often outside quotes in the header line; comma on a tie or none. */
export function sniffDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (const c of headerLine) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[',']) return ';';
  return ',';
}

/** NUL bytes or a high share of control bytes in the head: not a text CSV. */
function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  return control > n * 0.1;
}

function toInputError(err: unknown, file: string, recordStartLine: number): InputError {
  if (err instanceof CsvError) {
    const e = err as CsvError & { lines?: number; column?: number | string };
    const field = typeof e.column === 'number' ? e.column + 1 : undefined;
    const fieldNote = field !== undefined ? ` (field ${field})` : '';
    switch (err.code) {
      case 'CSV_QUOTE_NOT_CLOSED':
        return new InputError(
          `unterminated quoted field${fieldNote}: the quote opened in the row starting here is never closed (reached line ${e.lines ?? '?'})`,
          { file, line: recordStartLine, column: field },
        );
      case 'CSV_INVALID_CLOSING_QUOTE':
        return new InputError(`malformed quoted field${fieldNote}: a closing quote is followed by other characters`, {
          file,
          line: e.lines ?? recordStartLine,
          column: field,
        });
      default:
        return new InputError(`malformed CSV${fieldNote}: ${err.message}`, { file, line: e.lines ?? recordStartLine, column: field });
    }
  }
  if (err instanceof InputError) return err;
  return new InputError(`could not read the input: ${err instanceof Error ? err.message : String(err)}`, { file });
}
