/**
 * Open one input: decode it, decide its format (forced, by extension, by content, by header),
 * and return its rows as `ReadItem`s. The only place that knows there is more than one format.
 */
import { extname } from 'node:path';
import { openCsv, type CsvRow, type CsvSource } from './csv-reader.js';
import { peekStream } from './peek.js';
import { decodeStream, type DecodeInfo, type Encoding } from './decode.js';
import { detectColumns, type ColumnOverrides, type Role } from './columns.js';
import { UsageError } from '../errors.js';
import { CSV_ADAPTERS, HeaderIndex, csvAdapter, rankCsvAdapters } from './csv-exports.js';
import { readSesJsonl } from './ses-notifications.js';
import { looksLikeMailLog, readMailLog } from './mail-log.js';
import { FORMAT_IDS, type FormatId, type ReadItem } from './row.js';

/** `--input-format` values: a format id, `auto`, or the aliases below. */
export const INPUT_FORMAT_ALIASES: Record<string, FormatId> = {
  csv: 'generic',
  jsonl: 'ses-jsonl',
  ndjson: 'ses-jsonl',
  sns: 'ses-jsonl',
  exim: 'postfix',
  maillog: 'postfix',
  instantly: 'sequencer',
  smartlead: 'sequencer',
  lemlist: 'sequencer',
  apollo: 'sequencer',
  replyio: 'sequencer',
  woodpecker: 'sequencer',
  sendinblue: 'brevo',
};

export function parseInputFormat(raw: string): FormatId | null {
  const s = raw.trim().toLowerCase().replace(/[\s._]/g, '');
  if (s === 'auto') return null;
  if ((FORMAT_IDS as readonly string[]).includes(s)) return s as FormatId;
  const alias = INPUT_FORMAT_ALIASES[s];
  if (alias) return alias;
  throw new UsageError(
    `--input-format "${raw}" is not known; use auto, ${FORMAT_IDS.join(', ')} (or ${Object.keys(INPUT_FORMAT_ALIASES).join(', ')})`,
  );
}

const LABELS: Partial<Record<FormatId, string>> = {
  'ses-jsonl': 'Amazon SES/SNS notifications (JSON Lines)',
  postfix: 'Postfix/Exim mail log',
};

export interface InputFormatInfo {
  format: FormatId;
  label: string;
  /** How the format was chosen. */
  detectedBy: 'flag' | 'extension' | 'content' | 'header' | 'column-flags' | 'fallback';
  /** Other formats that also matched, best first (the report names them). */
  alternatives: FormatId[];
  /** Every row is a lead that was sent; the gate is the bounce rate. */
  statusOnly: boolean;
  /** Sniffed CSV delimiter; '' for non-CSV inputs. */
  delimiter: string;
  header: string[] | null;
  columns: Record<Role, string | null>;
}

export interface OpenedInput extends InputFormatInfo {
  /** Filled in while the rows are read; final after. */
  decoding: DecodeInfo;
  /** The rows, in batches (one per chunk of input for CSV): a promise per batch, not per row. */
  batches: AsyncIterable<readonly ReadItem[]>;
  /** For CSV inputs, what splitting the file between threads needs (src/parallel/split.ts); else null. */
  csv: (Pick<CsvSource, 'dataStart' | 'stopAt' | 'stopState'> & { width: number }) | null;
}

export interface OpenInputOptions {
  format: FormatId | null;
  encoding: Encoding | null;
  overrides: ColumnOverrides;
  sourceColumn: string | null;
}

const SAMPLE_ROWS = 50;
const PEEK_BYTES = 16 * 1024;
const NO_COLUMNS: Record<Role, string | null> = { email: null, status: null, diagnostic: null, campaign: null, date: null, command: null };

export async function openInput(input: AsyncIterable<Buffer | string>, file: string, opts: OpenInputOptions): Promise<OpenedInput> {
  const decoded = decodeStream(input, opts.encoding);
  const peeked = await peekStream(decoded.chunks, PEEK_BYTES);
  const stream = peeked.stream;
  const head = peeked.head.toString('utf8').replace(/^\uFEFF/, '');
  const ext = extname(file).toLowerCase();

  // Line-oriented formats first: forced, by extension, or by content.
  let lineFormat: 'ses-jsonl' | 'postfix' | null = null;
  let detectedBy: InputFormatInfo['detectedBy'] = 'flag';
  if (opts.format === 'ses-jsonl' || opts.format === 'postfix') lineFormat = opts.format;
  else if (opts.format === null) {
    if (ext === '.jsonl' || ext === '.ndjson') [lineFormat, detectedBy] = ['ses-jsonl', 'extension'];
    else if (/^\s*\{/.test(head)) [lineFormat, detectedBy] = ['ses-jsonl', 'content'];
    else if (looksLikeMailLog(head)) [lineFormat, detectedBy] = ['postfix', 'content'];
  }
  if (lineFormat !== null) {
    return {
      format: lineFormat,
      label: LABELS[lineFormat]!,
      detectedBy,
      alternatives: [],
      statusOnly: false,
      delimiter: '',
      header: null,
      columns: NO_COLUMNS,
      decoding: decoded.info,
      csv: null,
      batches: inBatches(lineFormat === 'ses-jsonl' ? readSesJsonl(stream, file) : readMailLog(stream, file)),
    };
  }

  const csv = await openCsv(stream, file);
  const width = csv.header.length;
  // A few rows to tell a lead export's status words from an SMTP log's reply codes.
  const rowsIt = csv.rows[Symbol.asyncIterator]();
  const sample: CsvRow[] = [];
  let exhausted = false;
  while (sample.length < SAMPLE_ROWS) {
    const r = await rowsIt.next();
    if (r.done) {
      exhausted = true;
      break;
    }
    sample.push(r.value);
  }
  const ranked = rankCsvAdapters(
    csv.header,
    sample.filter((r) => r.fields.length === width).map((r) => r.fields),
  );
  const hasColumnFlags = Object.keys(opts.overrides).length > 0;
  let adapter = ranked[0]?.adapter ?? CSV_ADAPTERS.find((a) => a.id === 'generic')!;
  detectedBy = ranked.length ? 'header' : 'fallback';
  if (opts.format !== null) {
    adapter = csvAdapter(opts.format)!;
    detectedBy = 'flag';
  } else if (hasColumnFlags) {
    // Explicit column names mean "read it my way": the generic reader honours them.
    adapter = csvAdapter('generic')!;
    detectedBy = 'column-flags';
  }
  const h = new HeaderIndex(csv.header);
  const bindCtx = { overrides: opts.overrides, sourceColumn: opts.sourceColumn, file };
  const map = adapter.bind(h, bindCtx);
  if (adapter.columnsUsed) csv.decodeOnly(adapter.columnsUsed(h, bindCtx));
  if (opts.sourceColumn !== null && h.header.indexOf(opts.sourceColumn) < 0 && h.names.indexOf(opts.sourceColumn.toLowerCase().replace(/[\s_-]+/g, '')) < 0) {
    throw new UsageError(`--source-column "${opts.sourceColumn}" is not a column of ${file}`);
  }

  async function* batches(): AsyncGenerator<readonly ReadItem[]> {
    const mapAll = (rows: readonly CsvRow[]): ReadItem[] => {
      const out: ReadItem[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out[i] = r.fields.length !== width ? { line: r.line, skip: 'wrong-field-count', raw: r.fields } : map(r.fields, r.line);
      }
      return out;
    };
    if (sample.length) yield mapAll(sample);
    if (exhausted) return;
    for await (const rows of csv.batches) yield mapAll(rows);
  }

  let columns = NO_COLUMNS;
  try {
    const cols = detectColumns(csv.header, adapter.id === 'generic' ? opts.overrides : {}, file);
    const name = (i: number): string | null => (i >= 0 ? (csv.header[i] ?? null) : null);
    columns = {
      email: name(cols.email),
      status: name(cols.status),
      diagnostic: name(cols.diagnostic),
      campaign: name(cols.campaign),
      date: name(cols.date),
      command: name(cols.command),
    };
  } catch {
    // Platform formats name their columns differently; the adapter knows them.
  }
  return {
    format: adapter.id,
    label: adapter.label,
    detectedBy,
    alternatives: ranked.map((r) => r.adapter.id).filter((id) => id !== adapter.id && id !== 'generic'),
    statusOnly: adapter.statusOnly,
    delimiter: csv.delimiter,
    header: csv.header,
    columns,
    decoding: decoded.info,
    batches: batches(),
    csv: { dataStart: csv.dataStart, stopAt: csv.stopAt, stopState: csv.stopState, width },
  };
}

const LINE_BATCH = 512;

/** Group a row-at-a-time reader (JSON Lines, mail logs) into batches like the CSV path. */
async function* inBatches(items: AsyncIterable<ReadItem>): AsyncGenerator<readonly ReadItem[]> {
  let batch: ReadItem[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= LINE_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
