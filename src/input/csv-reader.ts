/**
 * The one module that reads CSV. Rows in, `{ line, fields }` out; every failure is an
 * InputError naming file, line and field.
 *
 * Handles: UTF-8 with or without BOM; comma, semicolon or tab (sniffed from the header
 * line); CRLF, LF or CR, even mixed; quoted fields holding delimiters, quotes and newlines.
 *
 * The parser is a hand-written state machine over the raw bytes rather than csv-parse, which
 * took most of a large audit's time with the options this reader needs (mixed record
 * delimiters, line numbers); docs/design.md has the measurements. Scanning bytes is exact
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
   * The same rows in the batches the scanner produced them (at most BATCH_ROWS each): the hot
   * path takes a batch per await instead of a promise per row. Shares its position with `rows`.
   */
  batches: AsyncIterable<readonly CsvRow[]>;
  /** Byte offset (in the input as given, BOM included) and line just after the header row. */
  dataStart: { byte: number; line: number };
  /**
   * Stop handing out rows at byte `offset` of the input (for splitting a file between threads,
   * src/parallel/split.ts). When a row starts exactly there, the rows end before it and `stopState()`
   * says `exact`; when a row spans the offset, the offset was not a row boundary: the reader
   * reads on to the end and `stopState()` says not exact. False when already read past it.
   */
  stopAt(offset: number): boolean;
  stopState(): StopState | null;
  /**
   * From the next scan on, decode only the fields at these positions and hand out '' for the
   * others (their count is kept, so field-count checks still hold). A row's strings are most of
   * what the reader allocates: columns nobody reads (message ids, MX hosts) need not be made.
   */
  decodeOnly(positions: readonly number[]): void;
}

export interface StopState {
  /** A row started exactly at the stop offset (the rows handed out end right before it). */
  exact: boolean;
  /** Physical line at the stop offset (exact) or of the first row start past it. */
  line: number;
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
 * Rows parsed per scan (one batch). Fewer rows alive at once make each young-generation
 * garbage collection cheaper: it copies every row still alive (docs/design.md).
 */
const BATCH_ROWS = 64;

/**
 * `utf8Slice` is what `buf.toString('utf8', start, end)` calls after checking its arguments;
 * calling it directly saves that work once per field.
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
  /** Input offset of `pending[0]` (and of each buffer handed to the scanner). */
  let base = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    head = head.subarray(3);
    base = 3;
  }
  if (head.length === 0 || head.toString('utf8').trim() === '') {
    throw new InputError('the file is empty: expected a CSV header row and data rows', { file });
  }
  if (looksBinary(head)) {
    throw new InputError('this looks like a binary file, not a CSV bounce log', { file });
  }
  const delimiter = sniffDelimiter(firstLine(head.toString('utf8')));
  const scanner = new RowScanner(delimiter.charCodeAt(0), file);

  // Rows parsed but not yet handed out, and the bytes not yet consumed: the incomplete row
  // (already scanned once) followed by `fresh` bytes not scanned yet.
  let queue: CsvRow[] = [];
  let qi = 0;
  let pending: Buffer = head;
  let fresh = 0;

  /**
   * Each chunk is copied on arrival behind the pending bytes, in one buffer reused from chunk
   * to chunk, so no chunk is referred to once the next is asked for (a file source may reuse
   * its buffers: src/input/file-chunks.ts) and no buffer is allocated per chunk. Fresh memory
   * costs a page fault per 4 KB on first touch, which on this kind of machine made up most of
   * the reader's system time. The rows' strings are copies: nothing refers to `work` after a scan.
   */
  let work = Buffer.allocUnsafeSlow(0);
  const append = (chunk: Buffer): void => {
    const total = pending.length + chunk.length;
    if (work.length < total) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(total, 2 * work.length, 1024 * 1024));
      pending.copy(bigger, 0);
      work = bigger;
    } else if (pending.length > 0 && (pending.buffer !== work.buffer || pending.byteOffset !== work.byteOffset)) {
      pending.copy(work, 0); // from further on in `work` too: copy moves overlapping bytes correctly
    }
    chunk.copy(work, pending.length);
    pending = work.subarray(0, total);
    fresh += chunk.length;
  };

  /**
   * Scan `pending` for at most BATCH_ROWS rows and keep what is left: the unscanned rest when
   * the scan stopped at the limit, else an incomplete row (already scanned once).
   */
  const scanPending = (isFinal: boolean): void => {
    const consumed = scanner.scan(pending, isFinal, queue, base, BATCH_ROWS);
    base += consumed;
    pending = consumed === pending.length ? EMPTY : pending.subarray(consumed);
    fresh = scanner.more ? pending.length : 0;
  };

  // The head is parsed before more is read, so the header is known after one chunk.
  let headScanned = false;
  /** Parse until at least one row is queued; false at the end of the input. */
  const fill = async (): Promise<boolean> => {
    queue = [];
    qi = 0;
    for (;;) {
      if (scanner.halted) return queue.length > 0;
      // Scan without reading when the head is not scanned yet, rows are left from a scan that
      // stopped at BATCH_ROWS, or the input has ended.
      if (headScanned && !scanner.more && !sourceDone) {
        const next = await it.next();
        if (next.done) {
          sourceDone = true;
          continue;
        }
        append(next.value);
        // A long row (a big quoted diagnostic) spans many chunks: rescan it only after the
        // new bytes at least match what was already scanned, so the total work stays linear.
        if (fresh < pending.length - fresh && pending.length <= MAX_ROW_BYTES) continue;
      }
      headScanned = true;
      if (sourceDone && pending.length === 0) return queue.length > 0;
      scanPending(sourceDone);
      if (scanner.halted) {
        // Stopped at a cut: nothing more is read, so the source can close its file now.
        await it.return?.();
        return queue.length > 0;
      }
      if (pending.length > MAX_ROW_BYTES) throw scanner.tooLong(MAX_ROW_BYTES);
      if (queue.length > 0) return true;
      if (sourceDone && !scanner.more) return false;
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
  const dataStart = scanner.firstRowEnd;

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
  return {
    file,
    header,
    delimiter,
    rows,
    batches,
    dataStart,
    stopAt: (offset) => scanner.setStop(offset, base),
    stopState: () => scanner.stopState,
    decodeOnly: (positions) => {
      const keep = new Uint8Array(Math.max(0, ...positions) + 1);
      for (const p of positions) if (p >= 0) keep[p] = 1;
      scanner.keep = keep;
    },
  };
}


/**
 * The state machine. `scan` parses the complete rows of `buf` (up to its row limit) and returns
 * how many bytes it consumed; the rest (rows past the limit, a row cut by the chunk boundary) is
 * offered again, with more bytes for a cut row.
 * `line` is the physical line of the first unconsumed byte. Rules, as csv-parse applied them
 * before: empty lines, and rows of delimiters only, are skipped (but counted); CRLF, LF and CR each end a line; a quoted
 * field ends at a quote followed by the delimiter, a line break or the end; `""` inside quotes
 * is one quote; a quote anywhere else is an error.
 */
class RowScanner {
  /** Physical line of the next unconsumed byte. */
  private line = 1;
  /** Whether the last incomplete row stopped inside quotes (for the too-long message). */
  private stoppedInQuotes = false;
  /** Input offset to stop at (see CsvSource.stopAt), or -1. */
  private stopOffset = -1;
  /** True once an exact stop was reached: no more rows. */
  halted = false;
  stopState: StopState | null = null;
  /** Offset and line just after the first row (the header). */
  firstRowEnd = { byte: -1, line: -1 };
  /** 1 for the bytes that end an unquoted field or make it malformed: delimiter, CR, LF, quote. */
  private readonly special = new Uint8Array(256);
  /** Fields to decode (1) by position; the others are handed out as ''. Null: all. */
  keep: Uint8Array | null = null;
  /** The fields of the row being scanned (reused; see scan). */
  private readonly row: string[] = [];

  constructor(
    private readonly delim: number,
    private readonly file: string,
  ) {
    for (const b of [delim, CR, LF, QUOTE]) this.special[b] = 1;
  }

  setStop(offset: number, scannedTo: number): boolean {
    if (offset < scannedTo || this.halted) return false;
    this.stopOffset = offset;
    return true;
  }

  /** True when the last scan stopped at its row limit, with complete rows possibly left. */
  more = false;

  /**
   * `base`: input offset of buf[0], for the stop offset. At most `limit` rows are added to
   * `out`; the scan then stops at the next row's start (`more`).
   */
  scan(buf: Buffer, isFinal: boolean, out: CsvRow[], base = 0, limit = Infinity): number {
    const b = buf as DecodableBuffer;
    const len = buf.length;
    const d = this.delim;
    const keep = this.keep;
    const special = this.special;
    const row = this.row;
    let pos = 0;
    let line = this.line;
    this.stoppedInQuotes = false;
    this.more = false;
    const stopAtRows = out.length + limit;
    rows: while (pos < len) {
      if (out.length >= stopAtRows) {
        this.more = true;
        this.line = line;
        return pos;
      }
      if (this.stopOffset >= 0 && base + pos >= this.stopOffset) {
        // Every line start outside quotes passes through here, so landing exactly on the offset
        // proves it is a row boundary; landing past it means a quoted field spans it.
        const exact = base + pos === this.stopOffset;
        this.stopState = { exact, line };
        this.stopOffset = -1;
        if (exact) {
          this.halted = true;
          this.line = line;
          return pos;
        }
      }
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
      // Fields go to the reused `row` array (n so far) and are copied to an exact-size array when
      // the row ends: an array grown by push from empty allocates room for 16.
      let n = 0;
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
              // Relative, not absolute: a part of a split file (src/parallel/split.ts) does not know its first line.
              const further = line - rowLine + countLineBreaks(buf, pos + 1, len);
              throw new InputError(
                `unterminated quoted field (field ${n + 1}): the quote opened in the row starting here is never closed (the file ends ${further} line${further === 1 ? '' : 's'} further on)`,
                { file: this.file, line: rowLine, column: n + 1 },
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
          if (keep === null || keep[n] === 1) {
            const value = b.utf8Slice(pos + 1, q);
            row[n++] = hasEscapes ? value.replaceAll('""', '"') : value;
          } else row[n++] = '';
          pos = q + 1;
          if (pos >= len) break; // end of input (isFinal): the row ends here
          c = buf[pos]!;
          if (c === d) {
            pos++;
            continue;
          }
          if (c === LF || c === CR) break;
          throw new InputError(`malformed quoted field (field ${n}): a closing quote is followed by other characters`, {
            file: this.file,
            line,
            column: n,
          });
        }
        // Unquoted field: runs to the delimiter or a line break.
        let e = pos;
        // One table lookup per byte: only the delimiter, CR, LF and the quote stop the run.
        while (e < len && special[buf[e]!] === 0) e++;
        if (e < len) {
          c = buf[e]!;
          if (c === QUOTE) {
            throw new InputError(
              `malformed CSV (field ${n + 1}): a quote inside an unquoted field; quote the whole field and double the quotes in it ("")`,
              { file: this.file, line, column: n + 1 },
            );
          }
        }
        if (e >= len && !isFinal) return this.stop(rowStart, rowLine);
        row[n] = e === pos || (keep !== null && keep[n] !== 1) ? '' : b.utf8Slice(pos, e);
        n++;
        pos = e;
        if (e < len && c === d) {
          pos++;
          continue;
        }
        break;
      }
      // A row of delimiters only (`;;;;`, what Excel writes for an empty row) is a blank line.
      const blank = n > 1 && pos - rowStart === n - 1;
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
      if (!blank || this.firstRowEnd.byte < 0) out.push({ line: rowLine, fields: row.slice(0, n) });
      if (this.firstRowEnd.byte < 0) this.firstRowEnd = { byte: base + pos, line };
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

/** Rows a guessed row start must parse into, all with the header's width, to be accepted. */
const PROBE_ROWS = 16;
/** Line starts tried before giving up on a window. */
const PROBE_CANDIDATES = 64;
/** Bytes parsed per guess. */
const PROBE_BYTES = 64 * 1024;

/**
 * A likely row start in `window` (a slice of a CSV file taken at an arbitrary offset): the first
 * line start from which the next PROBE_ROWS rows parse cleanly with `width` fields each. A start
 * inside a quoted multi-line field fails that test almost at once (a quote in an unquoted field,
 * a different field count). It is still a guess: src/parallel/split.ts only trusts it once the reader of
 * the part before has stopped exactly on it. Returns the offset in `window`, or -1.
 */
export function guessRowStart(window: Buffer, delimiter: string, width: number): number {
  const scanner = new RowScanner(delimiter.charCodeAt(0), 'probe');
  let from = 0;
  for (let tries = 0; tries < PROBE_CANDIDATES; tries++) {
    const lf = window.indexOf(LF, from);
    if (lf === -1) return -1;
    from = lf + 1;
    const rows: CsvRow[] = [];
    try {
      scanner.scan(window.subarray(from, from + PROBE_BYTES), false, rows);
    } catch {
      continue;
    }
    if (rows.length >= PROBE_ROWS && rows.slice(0, PROBE_ROWS).every((r) => r.fields.length === width)) return from;
  }
  return -1;
}
