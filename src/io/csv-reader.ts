/**
 * The one module that reads CSV. Rows in, `{ line, fields }` out; every failure is an
 * InputError naming file, line and field.
 *
 * Handles: UTF-8 with or without BOM; comma, semicolon or tab (sniffed from the header
 * line); CRLF, LF or CR, even mixed; quoted fields holding delimiters, quotes and newlines.
 *
 * The parser is a hand-written state machine over the raw bytes rather than csv-parse:
 * profiling the audit of a 1 M-row log showed csv-parse (with the options this reader needs:
 * mixed record delimiters and line info) taking ~60 % of the run plus most of the GC time,
 * while a byte scanner with one native string decode per field stays within a small factor
 * of reading the file at all (numbers in the README, "Design notes"). Scanning bytes is exact
 * for UTF-8: the quote, delimiters, CR and LF are ASCII, and no byte of a multi-byte UTF-8
 * sequence is below 0x80. Each field is decoded on its own, so a kept value never pins the
 * 256 KB chunk it came from in memory.
 */
import { InputError } from '../errors.js';
import { asBuffers, peekStream } from './peek.js';

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
  /**
   * The same rows in the batches the scanner produced them (one per chunk read): the hot path
   * takes a batch per await instead of a promise per row. Shares its position with `rows`.
   */
  batches: AsyncIterable<readonly CsvRow[]>;
}

/** How much of the head is examined to sniff the delimiter and spot binary input. */
const HEAD_BYTES = 64 * 1024;

/**
 * The longest row accepted, in bytes. A 1 MB diagnostic is fine; a "row" of 16 MB is a quote
 * left open in a large file, and holding on to it would only end in running out of memory.
 */
export const MAX_ROW_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

const EMPTY = Buffer.alloc(0);

/**
 * `utf8Slice` is what `buf.toString('utf8', start, end)` calls after checking its arguments;
 * calling it directly saves that work once per field (measured: see "Design notes").
 */
type DecodableBuffer = Buffer & { utf8Slice(start: number, end: number): string };

/**
 * Open a CSV stream: read just enough to see the header line, sniff the delimiter, and
 * return the header plus a lazy iterator over the data rows.
 */
export async function openCsv(input: AsyncIterable<Buffer | string>, file: string): Promise<CsvSource> {
  // Enough of the head to sniff the delimiter and spot binary input; the rest streams on.
  const peeked = await peekStream(asBuffers(input), HEAD_BYTES);
  const it = peeked.after[Symbol.asyncIterator]();
  let sourceDone = false;
  let head = peeked.head;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) head = head.subarray(3);
  if (head.length === 0 || head.toString('utf8').trim() === '') {
    throw new InputError('the file is empty: expected a CSV header row and data rows', { file });
  }
  if (looksBinary(head)) {
    throw new InputError('this looks like a binary file, not a CSV bounce log', { file });
  }
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8')));
  const scanner = new RowScanner(delimiter.charCodeAt(0), file);

  // Rows parsed but not yet handed out, and the bytes of the row not yet complete.
  let queue: CsvRow[] = [];
  let qi = 0;
  let pending: Buffer = head;
  let unscanned: Buffer[] = [];
  let unscannedBytes = 0;

  /** Parse until at least one row is queued; false at the end of the input. */
  const fill = async (): Promise<boolean> => {
    queue = [];
    qi = 0;
    for (;;) {
      if (sourceDone) {
        const buf = unscanned.length ? Buffer.concat([pending, ...unscanned]) : pending;
        unscanned = [];
        pending = EMPTY;
        if (buf.length > 0) scanner.scan(buf, true, queue);
        return queue.length > 0;
      }
      const next = await it.next();
      if (next.done) {
        sourceDone = true;
        continue;
      }
      const chunk = next.value;
      unscanned.push(chunk);
      unscannedBytes += chunk.length;
      // A long row (a big quoted diagnostic) spans many chunks: rescan it only after the
      // new bytes at least match what is already held, so the total work stays linear.
      if (unscannedBytes < pending.length && pending.length + unscannedBytes <= MAX_ROW_BYTES) continue;
      const buf = Buffer.concat([pending, ...unscanned]);
      unscanned = [];
      unscannedBytes = 0;
      const consumed = scanner.scan(buf, false, queue);
      pending = consumed === buf.length ? EMPTY : buf.subarray(consumed);
      if (pending.length > MAX_ROW_BYTES) throw scanner.tooLong(MAX_ROW_BYTES);
      if (queue.length > 0) return true;
    }
  };

  const nextRow = async (): Promise<CsvRow | null> => {
    if (qi < queue.length) return queue[qi++]!;
    if (!(await fill())) return null;
    return queue[qi++]!;
  };

  const headerRow = await nextRow();
  if (!headerRow) throw new InputError('the file is empty: expected a CSV header row and data rows', { file });
  const header = headerRow.fields.map((h) => h.trim());

  // A hand-rolled async iterator: one resolved promise per row, without the extra
  // machinery of an async generator.
  const rows: AsyncIterable<CsvRow> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<CsvRow>> => {
        if (qi < queue.length) return { value: queue[qi++]!, done: false };
        const row = await nextRow();
        return row ? { value: row, done: false } : { value: undefined, done: true };
      },
    }),
  };
  /** The rows queued and not yet handed out, or a fresh batch; null at the end. */
  const nextBatch = async (): Promise<readonly CsvRow[] | null> => {
    if (qi >= queue.length && !(await fill())) return null;
    const batch = qi === 0 ? queue : queue.slice(qi);
    qi = queue.length;
    return batch;
  };
  const batches: AsyncIterable<readonly CsvRow[]> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<readonly CsvRow[]>> => {
        const batch = await nextBatch();
        return batch ? { value: batch, done: false } : { value: undefined, done: true };
      },
    }),
  };
  return { file, header, delimiter, rows, batches };
}


/**
 * The state machine. `scan` parses every complete row of `buf` and returns how many bytes it
 * consumed; the rest (a row cut by the chunk boundary) is offered again with more bytes.
 * `line` is the physical line of the first unconsumed byte. Rules, as csv-parse applied them
 * before: empty lines are skipped (but counted); CRLF, LF and CR each end a line; a quoted
 * field ends at a quote followed by the delimiter, a line break or the end; `""` inside quotes
 * is one quote; a quote anywhere else is an error.
 */
class RowScanner {
  /** Physical line of the next unconsumed byte. */
  private line = 1;
  /** Whether the last incomplete row stopped inside quotes (for the too-long message). */
  private stoppedInQuotes = false;

  constructor(
    private readonly delim: number,
    private readonly file: string,
  ) {}

  scan(buf: Buffer, isFinal: boolean, out: CsvRow[]): number {
    const b = buf as DecodableBuffer;
    const len = buf.length;
    const d = this.delim;
    let pos = 0;
    let line = this.line;
    this.stoppedInQuotes = false;
    rows: while (pos < len) {
      const rowStart = pos;
      const rowLine = line;
      let c = buf[pos]!;
      // Empty lines are skipped, but they still count toward line numbers.
      if (c === LF) {
        pos++;
        line++;
        continue;
      }
      if (c === CR) {
        if (pos + 1 < len) pos += buf[pos + 1] === LF ? 2 : 1;
        else if (isFinal) pos++;
        else break;
        line++;
        continue;
      }
      const fields: string[] = [];
      for (;;) {
        if (pos < len && buf[pos] === QUOTE) {
          // Quoted field: find the closing quote, skipping doubled quotes.
          let q = pos + 1;
          let hasEscapes = false;
          for (;;) {
            q = buf.indexOf(QUOTE, q);
            if (q === -1) {
              if (!isFinal) {
                this.stoppedInQuotes = true;
                return this.stop(rowStart, rowLine);
              }
              const reached = line + countLineBreaks(buf, pos + 1, len);
              throw new InputError(
                `unterminated quoted field (field ${fields.length + 1}): the quote opened in the row starting here is never closed (reached line ${reached})`,
                { file: this.file, line: rowLine, column: fields.length + 1 },
              );
            }
            if (q + 1 < len && buf[q + 1] === QUOTE) {
              hasEscapes = true;
              q += 2;
              continue;
            }
            if (q + 1 >= len && !isFinal) {
              // A quote at the very end may be the first half of `""`: wait for the next byte.
              this.stoppedInQuotes = true;
              return this.stop(rowStart, rowLine);
            }
            break;
          }
          line += countLineBreaks(buf, pos + 1, q);
          const value = b.utf8Slice(pos + 1, q);
          fields.push(hasEscapes ? value.replaceAll('""', '"') : value);
          pos = q + 1;
          if (pos >= len) break; // end of input (isFinal): the row ends here
          c = buf[pos]!;
          if (c === d) {
            pos++;
            continue;
          }
          if (c === LF || c === CR) break;
          throw new InputError(`malformed quoted field (field ${fields.length}): a closing quote is followed by other characters`, {
            file: this.file,
            line,
            column: fields.length,
          });
        }
        // Unquoted field: runs to the delimiter or a line break.
        let e = pos;
        while (e < len) {
          c = buf[e]!;
          if (c === d || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new InputError(
              `malformed CSV (field ${fields.length + 1}): a quote inside an unquoted field; quote the whole field and double the quotes in it ("")`,
              { file: this.file, line, column: fields.length + 1 },
            );
          }
          e++;
        }
        if (e >= len && !isFinal) return this.stop(rowStart, rowLine);
        fields.push(e === pos ? '' : b.utf8Slice(pos, e));
        pos = e;
        if (e < len && c === d) {
          pos++;
          continue;
        }
        break;
      }
      // At a line break (or the end of the input): consume it and emit the row.
      if (pos < len) {
        if (buf[pos] === CR) {
          if (pos + 1 < len) pos += buf[pos + 1] === LF ? 2 : 1;
          else if (isFinal) pos++;
          else return this.stop(rowStart, rowLine); // CR LF may be split across chunks
        } else {
          pos++;
        }
        line++;
      }
      out.push({ line: rowLine, fields });
      continue rows;
    }
    this.line = line;
    return pos;
  }

  private stop(rowStart: number, rowLine: number): number {
    this.line = rowLine;
    return rowStart;
  }

  tooLong(limit: number): InputError {
    const mb = Math.round(limit / (1024 * 1024));
    return new InputError(
      this.stoppedInQuotes
        ? `the row starting here runs past ${mb} MB inside a quoted field: a quote opened here is probably never closed`
        : `the row starting here is longer than ${mb} MB: not a bounce log this tool can read`,
      { file: this.file, line: this.line },
    );
  }
}

/** Line breaks in buf[from, to): CRLF, LF and a lone CR each count once. */
function countLineBreaks(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c === LF) n++;
    else if (c === CR && buf[i + 1] !== LF) n++;
  }
  return n;
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
