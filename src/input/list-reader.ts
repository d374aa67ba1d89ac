/**
 * The lists users hand in — the account-wide suppression list (`--merge`), the lead list
 * (`--clean`) — read with csv-parse. They are small next to a bounce log and arrive in every
 * dialect a CRM or a spreadsheet writes (quotes inside unquoted fields, ragged rows, any line
 * ending), where csv-parse's relaxed modes are the better tool than the log reader's strict scanner.
 *
 * Each record comes with its exact original text (the bytes from the end of the record before
 * it, empty lines included, through its own line break), so `--clean` can copy a kept row
 * unchanged. csv-parse's own `raw` drops line-break characters of CRLF files; the text is cut
 * from the input by the byte offset csv-parse reports instead.
 */
import { createReadStream } from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import { decodeStream, type DecodeInfo } from './decode.js';
import { peekStream } from './peek.js';
import { MAX_ROW_BYTES, sniffDelimiter } from './csv-reader.js';
import { InputError, describeFsError } from '../errors.js';

export interface ListRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
  /** The record's original text as UTF-8 (with the empty lines before it and its line break). */
  raw: Buffer;
  /** How many bytes at the start of `raw` are the empty lines before the record. */
  gap: number;
}

export interface OpenedList {
  /** The first record (the header of a list that has one). */
  header: ListRecord | null;
  delimiter: ',' | ';' | '\t';
  /** The input began with a byte order mark. */
  bom: boolean;
  decoding: DecodeInfo;
  /** The records after the first. */
  records: AsyncIterable<ListRecord>;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Open `path` (what: how the list is named in messages, e.g. "the --clean lead list"). */
export async function openList(path: string, what: string): Promise<OpenedList> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  await new Promise<void>((res, rej) => {
    file.once('open', () => res());
    file.once('error', (err) => rej(new InputError(`cannot read ${what}: ${describeFsError(err)}`, { file: path })));
  });
  const decoded = decodeStream(file);
  const peeked = await peekStream(decoded.chunks, 64 * 1024);
  const bom = peeked.head.subarray(0, 3).equals(UTF8_BOM);
  const headText = peeked.head.toString('utf8', bom ? 3 : 0);
  const delimiter = sniffDelimiter(/^[^\r\n]*/.exec(headText)![0]);
  const records = readRecords(peeked.stream, path, delimiter, bom);
  const it = records[Symbol.asyncIterator]();
  const first = await it.next();
  return {
    header: first.done ? null : first.value,
    delimiter,
    bom,
    decoding: decoded.info,
    records: { [Symbol.asyncIterator]: () => it },
  };
}

async function* readRecords(chunks: AsyncIterable<Buffer>, file: string, delimiter: string, bom: boolean): AsyncGenerator<ListRecord> {
  const parser = parse({
    delimiter,
    bom: false,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_ROW_BYTES,
  });
  /** Input bytes not yet handed out as a record's text; `held[0]` starts at input offset `base`. */
  const held: Buffer[] = [];
  let base = 0;
  let line = 1;
  const take = (end: number): Buffer => {
    const out: Buffer[] = [];
    let need = end - base;
    while (need > 0) {
      const b = held[0]!;
      if (b.length <= need) {
        out.push(b);
        held.shift();
        need -= b.length;
      } else {
        out.push(b.subarray(0, need));
        held[0] = b.subarray(need);
        need = 0;
      }
    }
    base = end;
    return Buffer.concat(out);
  };
  // Records are taken from 'data' events rather than the stream's async iterator, which drops
  // the records still buffered when an error comes: those before a malformed row are handed out
  // first, so the error names the line where the malformed row starts.
  type Out = { record: string[]; info: { bytes: number } };
  const queue: Out[] = [];
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = (): void => {
    wake?.();
    wake = null;
  };
  parser.on('data', (r: Out) => {
    queue.push(r);
    if (queue.length >= QUEUE_RECORDS) parser.pause();
    signal();
  });
  parser.on('error', (err) => {
    failure = err;
    signal();
  });
  parser.on('end', () => {
    ended = true;
    signal();
  });
  const feed = (async () => {
    let first = true;
    for await (let chunk of chunks) {
      if (first && bom) chunk = chunk.subarray(3);
      first = false;
      // A copy: the source may reuse its buffer once more is read.
      held.push(Buffer.from(chunk));
      if (!parser.write(chunk)) await new Promise<void>((r) => parser.once('drain', () => r()));
    }
    parser.end();
  })();
  feed.catch((err: unknown) => parser.destroy(err as Error));
  for (;;) {
    const out = queue.shift();
    if (out !== undefined) {
      if (queue.length === 0) parser.resume();
      const raw = take(out.info.bytes);
      const gap = leadingBreakBytes(raw);
      const start = line + lineBreaks(raw.subarray(0, gap));
      line += lineBreaks(raw);
      yield { line: start, fields: out.record, raw, gap };
      continue;
    }
    if (failure !== null) throw listError(failure, file, line, Buffer.concat(held));
    if (ended) break;
    await new Promise<void>((r) => (wake = r));
  }
  await feed;
}

/** Records waiting to be handed out before the parser is paused. */
const QUEUE_RECORDS = 1024;

/** A csv-parse error as an InputError at the line where the failing record starts. */
function listError(err: unknown, file: string, line: number, rest: Buffer): unknown {
  const e = err as Partial<CsvError>;
  if (typeof e.code !== 'string' || !e.code.startsWith('CSV_')) return err;
  const at = { file, line: line + lineBreaks(rest.subarray(0, leadingBreakBytes(rest))), ...(typeof e.column === 'number' ? { column: e.column + 1 } : {}) };
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new InputError('unterminated quoted field: the quote opened in the row starting here is never closed', at);
  if (e.code === 'CSV_MAX_RECORD_SIZE') return new InputError(`the row starting here is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB: a quote opened here is probably never closed`, at);
  // csv-parse's message may quote the input: cut it so a wrong file cannot flood the terminal.
  const message = e.message ?? '';
  return new InputError(`malformed CSV: ${message.length > 200 ? `${message.slice(0, 200)}…` : message}`, at);
}

/** Line breaks in `b`: CRLF, LF and a lone CR each count once. */
function lineBreaks(b: Buffer): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) n++;
    else if (b[i] === 0x0d && b[i + 1] !== 0x0a) n++;
  }
  return n;
}

/** Bytes before the first that is not a line break (the empty lines before a record). */
function leadingBreakBytes(b: Buffer): number {
  let i = 0;
  while (i < b.length && (b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i;
}
