/**
 * Open one input: undo its compression, decode it, decide its format (forced, by extension, by
 * content, by header) and return its rows as `ReadItem`s. The only place that knows there is
 * more than one format.
 *
 * A format is decided on evidence, and refused when the evidence is missing: a spreadsheet
 * workbook is not read as text, a header that fits two platforms equally is not guessed between,
 * and a file that does not say which of its rows bounced is not counted as all bounced.
 */
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { openCsv, type CsvRow, type CsvSource } from './csv-reader.js';
import { asBuffers, peekStream } from './peek.js';
import { decodeStream, type DecodeInfo, type Encoding } from './decode.js';
import { detectColumns, listHeaders, quoteInput, type ColumnOverrides, type Role } from './columns.js';
import { InputError, UsageError } from '../errors.js';
import { CSV_ADAPTERS, HeaderIndex, csvAdapter, rankCsvAdapters, type BindContext, type CsvAdapter } from './csv-exports.js';
import { sesRows } from './ses-notifications.js';
import { looksLikeMailLog, readMailLog } from './mail-log.js';
import { jsonDocument, jsonLines, looksLikeJsonLines, type JsonRecord } from './json-records.js';
import { jsonEvent, jsonShapeOf, type JsonEventFormat } from './json-events.js';
import { MessageEvents, type MessageEvent } from './message-events.js';
import { inferDateOrder, normaliseDate, type DateDecision, type DateOrder } from './date-order.js';
import { FORMAT_IDS, isSkip, type FormatId, type ReadItem } from './row.js';

/** `--input-format` values: a format id, `auto`, or the aliases below. */
export const INPUT_FORMAT_ALIASES: Record<string, FormatId> = {
  csv: 'generic',
  jsonl: 'ses-jsonl',
  ndjson: 'ses-jsonl',
  sns: 'ses-jsonl',
  mailgunjson: 'mailgun-events',
  sendgridjson: 'sendgrid-events',
  sendgridwebhook: 'sendgrid-events',
  sendgridactivityfeed: 'sendgrid-activity',
  emailactivity: 'sendgrid-activity',
  postmarkjson: 'postmark-webhooks',
  postmarkwebhook: 'postmark-webhooks',
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

/** The JSON formats, and the CSV format each is the JSON sibling of. */
const JSON_FORMATS: readonly FormatId[] = ['ses-jsonl', 'mailgun-events', 'sendgrid-events', 'postmark-webhooks'];
const JSON_SIBLING: Partial<Record<FormatId, FormatId>> = { ses: 'ses-jsonl', mailgun: 'mailgun-events', sendgrid: 'sendgrid-events', 'sendgrid-activity': 'sendgrid-events', postmark: 'postmark-webhooks' };

export function parseInputFormat(raw: string): FormatId | null {
  const s = raw.trim().toLowerCase();
  if (s === 'auto') return null;
  if ((FORMAT_IDS as readonly string[]).includes(s)) return s as FormatId;
  const alias = INPUT_FORMAT_ALIASES[s.replace(/[\s._-]/g, '')];
  if (alias) return alias;
  const compact = s.replace(/[\s._]/g, '');
  if ((FORMAT_IDS as readonly string[]).includes(compact)) return compact as FormatId;
  throw new UsageError(`--input-format "${raw}" is not known; use auto, ${FORMAT_IDS.join(', ')} (or ${Object.keys(INPUT_FORMAT_ALIASES).join(', ')})`);
}

/** Every value --input-format takes. */
export const INPUT_FORMAT_NAMES: readonly string[] = ['auto', ...FORMAT_IDS, ...Object.keys(INPUT_FORMAT_ALIASES)];

const LABELS: Partial<Record<FormatId, string>> = {
  'ses-jsonl': 'Amazon SES/SNS notifications (JSON)',
  'mailgun-events': 'Mailgun events (JSON, one record per event)',
  'sendgrid-events': 'SendGrid Event Webhook events (JSON, one record per event)',
  'postmark-webhooks': 'Postmark webhooks (JSON)',
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
  /** One row (or record) per event: messages are counted once, from their outcome. */
  eventsPerRow: boolean;
  /** The compression the input was read through, or null. */
  compression: 'gzip' | null;
  /** Sniffed CSV delimiter; '' for non-CSV inputs. */
  delimiter: string;
  header: string[] | null;
  columns: Record<Role, string | null>;
  /** How numeric day/month dates in the input's date column are read. */
  dates: DateDecision;
}

export interface OpenedInput extends InputFormatInfo {
  /** Filled in while the rows are read; final after. */
  decoding: DecodeInfo;
  /** The rows, in batches (one per chunk of input for CSV): a promise per batch, not per row. */
  batches: AsyncIterable<readonly ReadItem[]>;
  /** For CSV inputs that can be split between threads, what splitting needs (src/parallel/split.ts); else null. */
  csv: (Pick<CsvSource, 'dataStart' | 'stopAt' | 'stopState'> & { width: number }) | null;
}

export interface OpenInputOptions {
  format: FormatId | null;
  encoding: Encoding | null;
  overrides: ColumnOverrides;
  sourceColumn: string | null;
  /** `--all-rows-bounced`. */
  allRowsBounced?: boolean;
  /** `--date-order`: null decides per input from its values. */
  dateOrder?: DateOrder | null;
  /** A decision already made for this input: threads reading parts of it use the first thread's. */
  dateDecision?: DateDecision;
}

/** Exports of one platform that the platform's name may stand for: `--input-format sendgrid` on SendGrid's activity export. */
const SAME_PLATFORM: Partial<Record<FormatId, FormatId>> = { sendgrid: 'sendgrid-activity', 'sendgrid-activity': 'sendgrid' };
/** A detection score this high is a platform's own header: forcing another platform's format onto it is refused. */
const STRONG_MATCH = 10;

/** Rows used to recognise a CSV export's format. */
const SAMPLE_ROWS = 50;
/** Rows used to decide the order of numeric dates (the same rows whatever the thread count). */
const DATE_SAMPLE_ROWS = 1000;
/** JSON records looked at to recognise whose events a file holds. */
const JSON_SAMPLE_RECORDS = 50;
const PEEK_BYTES = 16 * 1024;
const NO_COLUMNS: Record<Role, string | null> = { email: null, status: null, diagnostic: null, campaign: null, date: null, command: null };
const NO_DATES: DateDecision = { order: null, decidedBy: 'none' };

export async function openInput(input: AsyncIterable<Buffer | string>, file: string, opts: OpenInputOptions): Promise<OpenedInput> {
  // Compression and containers, from their magic bytes (the name may say nothing: a pipe, stdin).
  const rawPeek = await peekStream(asBuffers(input), 8);
  const magic = rawPeek.head;
  let bytes: AsyncIterable<Buffer> = rawPeek.stream;
  let compression: 'gzip' | null = null;
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    bytes = gunzip(rawPeek.stream, file);
    compression = 'gzip';
  } else {
    refuseContainer(magic, file);
  }
  const name = compression ? file.replace(/\.gz$/i, '') : file;
  const ext = extname(name).toLowerCase();

  const decoded = decodeStream(bytes, opts.encoding);
  const peeked = await peekStream(decoded.chunks, PEEK_BYTES);
  const stream = peeked.stream;
  const head = peeked.head.toString('utf8').replace(/^\uFEFF/, '');
  if (compression) refuseContainer(peeked.head, file);
  const common = { compression, decoding: decoded.info };

  // JSON: forced, by extension, or by content.
  const looksJson = /^\s*[[{]/.test(head);
  let format = opts.format;
  if (format !== null && !JSON_FORMATS.includes(format) && looksJson && format !== 'postfix') {
    const sibling = JSON_SIBLING[format];
    if (!sibling) throw new InputError(`this is JSON, and --input-format ${format} reads a CSV export; drop --input-format to read JSON events`, { file });
    format = sibling;
  }
  if ((format !== null && JSON_FORMATS.includes(format)) || (format === null && (ext === '.json' || ext === '.jsonl' || ext === '.ndjson' || looksJson))) {
    const jsonl = ext === '.jsonl' || ext === '.ndjson' || looksLikeJsonLines(head);
    const records = jsonl ? jsonLines(stream, file) : jsonDocument(stream, file);
    return { ...(await openJson(records, file, format, ext === '.json' || ext === '.jsonl' || ext === '.ndjson' ? 'extension' : 'content')), ...common };
  }

  // Mail logs: forced, or by content.
  if (format === 'postfix' || (format === null && looksLikeMailLog(head))) {
    return {
      format: 'postfix',
      label: LABELS.postfix!,
      detectedBy: format === 'postfix' ? 'flag' : 'content',
      alternatives: [],
      statusOnly: false,
      eventsPerRow: false,
      delimiter: '',
      header: null,
      columns: NO_COLUMNS,
      dates: NO_DATES,
      csv: null,
      batches: inBatches(readMailLog(stream, file)),
      ...common,
    };
  }

  return { ...(await openCsvExport(stream, file, { ...opts, format })), ...common, ...(compression ? { csv: null } : {}) };
}

/** Zip (an .xlsx/.ods workbook) and OLE (an .xls workbook) containers are refused with what to do instead. */
function refuseContainer(magic: Buffer, file: string): void {
  const isZip = magic[0] === 0x50 && magic[1] === 0x4b && (magic[2] === 0x03 || magic[2] === 0x05) && (magic[3] === 0x04 || magic[3] === 0x06);
  const isOle = magic.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]));
  if (isZip || isOle) {
    throw new InputError(
      `this is a spreadsheet workbook (${isZip ? '.xlsx, .ods or another zip file' : '.xls'}), not a text export: open it and save it as CSV (UTF-8) (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"), then audit the .csv`,
      { file },
    );
  }
}

/** Gzip-compressed bytes, inflated as they stream (a rotated mail.log.1.gz, an export.csv.gz). */
async function* gunzip(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  // Copies: a file source reuses its buffers (src/input/file-chunks.ts), and zlib reads them later.
  async function* copies(): AsyncGenerator<Buffer> {
    for await (const c of chunks) yield Buffer.from(c);
  }
  const z = createGunzip();
  let failure: unknown = null;
  const piping = pipeline(Readable.from(copies()), z).catch((err: unknown) => {
    failure ??= err;
  });
  try {
    for await (const out of z) yield out as Buffer;
  } catch (err) {
    failure ??= err;
  } finally {
    z.destroy();
    await piping;
  }
  if (failure !== null && !(failure instanceof Error && (failure as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')) {
    if (failure instanceof InputError) throw failure;
    const why = failure instanceof Error ? failure.message : String(failure);
    throw new InputError(`the gzip data is damaged or cut short (${why}): check the download, or decompress it with gunzip to see how far it reads`, { file });
  }
}

// ---------------------------------------------------------------- JSON
async function openJson(records: AsyncGenerator<JsonRecord>, file: string, forced: FormatId | null, by: 'extension' | 'content'): Promise<Omit<OpenedInput, 'compression' | 'decoding'>> {
  // Look at the first records to learn whose events the file holds.
  const seen: JsonRecord[] = [];
  let format = forced;
  let exhausted = false;
  while (format === null && seen.length < JSON_SAMPLE_RECORDS) {
    const r = await records.next();
    if (r.done) {
      exhausted = true;
      break;
    }
    seen.push(r.value);
    if ('value' in r.value) format = jsonShapeOf(r.value.value);
  }
  if (format === null) {
    const sampleRecord = seen.find((r): r is { line: number; value: Record<string, unknown> } => 'value' in r);
    if (sampleRecord === undefined) {
      if (seen.length === 0) throw new InputError('the file holds no JSON records', { file });
      throw new InputError(`none of the first ${seen.length} JSON records parses (line ${seen[0]!.line} is the first)`, { file, line: seen[0]!.line });
    }
    const keys = Object.keys(sampleRecord.value).slice(0, 12).map((k) => quoteInput(k, 30)).join(', ');
    throw new InputError(
      `JSON records of a shape bounce-audit does not know (the record on line ${sampleRecord.line} has the keys ${keys}); it reads Amazon SES notifications, Mailgun events, SendGrid Event Webhook events and Postmark webhooks or bounces. Export bounces as CSV, or name the format with --input-format`,
      { file, line: sampleRecord.line },
    );
  }
  const fmt: FormatId = format;
  const grouped = fmt !== 'ses-jsonl';
  const groups = new MessageEvents();

  function itemsOf(r: JsonRecord): ReadItem[] {
    if (!('value' in r)) return [{ line: r.line, skip: 'invalid-json', raw: null }];
    const shape = jsonShapeOf(r.value);
    if (shape !== fmt) return [{ line: r.line, skip: shape === null && fmt === 'ses-jsonl' ? 'invalid-json' : 'unknown-record', raw: null }];
    if (fmt === 'ses-jsonl') return sesRows(r.value, r.line);
    const ev = jsonEvent(fmt as JsonEventFormat, r.value, r.line);
    return ev === null ? [{ line: r.line, skip: 'unknown-record', raw: null }] : groups.add(ev);
  }

  async function* items(): AsyncGenerator<ReadItem> {
    for (const r of seen) yield* itemsOf(r);
    if (!exhausted) for await (const r of records) yield* itemsOf(r);
    if (grouped) yield* groups.finish();
  }

  return {
    format: fmt,
    label: LABELS[fmt] ?? fmt,
    detectedBy: forced !== null ? 'flag' : by === 'extension' ? 'extension' : 'content',
    alternatives: [],
    statusOnly: false,
    eventsPerRow: grouped,
    delimiter: '',
    header: null,
    columns: NO_COLUMNS,
    dates: NO_DATES,
    csv: null,
    batches: inBatches(items()),
  };
}

// ---------------------------------------------------------------- CSV
async function openCsvExport(stream: AsyncIterable<Buffer>, file: string, opts: OpenInputOptions): Promise<Omit<OpenedInput, 'compression' | 'decoding'>> {
  const csv = await openCsv(stream, file);
  const width = csv.header.length;
  // Rows to tell a format from another (a lead export's status words from reply codes, SendGrid's
  // event names from Brevo's) and to decide the order of numeric dates.
  const rowsIt = csv.rows[Symbol.asyncIterator]();
  const sample: CsvRow[] = [];
  let exhausted = false;
  while (sample.length < DATE_SAMPLE_ROWS) {
    const r = await rowsIt.next();
    if (r.done) {
      exhausted = true;
      break;
    }
    sample.push(r.value);
  }
  const fullRows = sample.filter((r) => r.fields.length === width).map((r) => r.fields);
  const ranked = rankCsvAdapters(csv.header, fullRows.slice(0, SAMPLE_ROWS));
  const hasColumnFlags = Object.keys(opts.overrides).length > 0;
  const h = new HeaderIndex(csv.header);
  let adapter: CsvAdapter;
  let detectedBy: InputFormatInfo['detectedBy'];
  if (opts.format !== null) {
    adapter = csvAdapter(opts.format)!;
    detectedBy = 'flag';
    const best = ranked.find((r) => r.adapter.id !== 'generic');
    if (best !== undefined && best.adapter.id !== adapter.id && adapter.detect(h, fullRows.slice(0, SAMPLE_ROWS)) === 0) {
      // The platform named, but another of its exports: read the one the header is.
      if (SAME_PLATFORM[adapter.id] === best.adapter.id) adapter = best.adapter;
      else if (best.score >= STRONG_MATCH) {
        throw new InputError(
          `--input-format ${adapter.id} reads the ${adapter.label}, but this header is the ${best.adapter.label}: drop --input-format, or give --input-format ${best.adapter.id}`,
          { file, line: 1 },
        );
      }
    }
  } else if (hasColumnFlags) {
    // Explicit column names mean "read it my way": the generic reader honours them.
    adapter = csvAdapter('generic')!;
    detectedBy = 'column-flags';
  } else {
    const [best, second] = ranked;
    // Two platforms' layouts fit the header equally well: a wrong guess would give wrong numbers.
    if (best && second && second.score === best.score && best.adapter.id !== 'generic' && second.adapter.id !== 'generic') {
      const tied = ranked.filter((r) => r.score === best.score).map((r) => r.adapter);
      throw new InputError(
        `the header fits ${tied.map((a) => `the ${a.label} (${a.id})`).join(' and ')} equally: say which with ${tied.map((a) => `--input-format ${a.id}`).join(' or ')}`,
        { file, line: 1 },
      );
    }
    adapter = best?.adapter ?? CSV_ADAPTERS.find((a) => a.id === 'generic')!;
    detectedBy = best ? 'header' : 'fallback';
  }
  const bindCtx: BindContext = { overrides: opts.overrides, sourceColumn: opts.sourceColumn, file, allRowsBounced: opts.allRowsBounced === true };
  const missing = adapter.missing(h, bindCtx);
  if (missing.length > 0) throw refusal(adapter, detectedBy, missing, csv.header, file);
  if (opts.sourceColumn !== null && h.header.indexOf(opts.sourceColumn) < 0 && h.names.indexOf(opts.sourceColumn.toLowerCase().replace(/[\s_-]+/g, '')) < 0) {
    throw new UsageError(`--source-column "${opts.sourceColumn}" is not a column of ${file}`);
  }

  const events = adapter.bindEvents?.(h, bindCtx) ?? null;
  const rows = events === null ? adapter.bind!(h, bindCtx) : null;
  if (adapter.columnsUsed) csv.decodeOnly(adapter.columnsUsed(h, bindCtx));
  const groups = events !== null ? new MessageEvents() : null;

  // One row (or event) per CSV row, mapped once; the sample's dates decide the column's order.
  type Mapped = ReadItem | MessageEvent;
  const mapOne = (r: CsvRow): Mapped =>
    r.fields.length !== width ? { line: r.line, skip: 'wrong-field-count', raw: r.fields } : events !== null ? events(r.fields, r.line) : rows!(r.fields, r.line);
  const dateOf = (m: Mapped): string => ('outcome' in m ? m.row.date : isSkip(m) ? '' : m.date);
  const mappedSample = sample.map(mapOne);
  const dates: DateDecision =
    opts.dateDecision ?? (opts.dateOrder ? { order: opts.dateOrder, decidedBy: 'flag' } : inferDateOrder(mappedSample.map(dateOf)));
  const order = dates.order;

  const settle = (m: Mapped, out: ReadItem[]): void => {
    const row = 'outcome' in m ? m.row : isSkip(m) ? null : m;
    if (order !== null && row !== null && row.date !== '') row.date = normaliseDate(row.date, order);
    if ('outcome' in m) out.push(...groups!.add(m));
    else out.push(m);
  };

  async function* batches(): AsyncGenerator<readonly ReadItem[]> {
    const first: ReadItem[] = [];
    for (const m of mappedSample) settle(m, first);
    if (first.length) yield first;
    if (!exhausted) {
      for await (const batch of csv.batches) {
        const out: ReadItem[] = [];
        for (const r of batch) settle(mapOne(r), out);
        if (out.length) yield out;
      }
    }
    if (groups !== null) {
      const rest = [...groups.finish()];
      if (rest.length) yield rest;
    }
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
    eventsPerRow: events !== null,
    delimiter: csv.delimiter,
    header: csv.header,
    columns,
    dates,
    batches: batches(),
    // Events of one message may be anywhere in the file: such an input is read on one thread.
    csv: events !== null ? null : { dataStart: csv.dataStart, stopAt: csv.stopAt, stopState: csv.stopState, width },
  };
}

/** The refusal of a file that does not have what its format needs to tell bounces from other rows. */
function refusal(adapter: CsvAdapter, detectedBy: InputFormatInfo['detectedBy'], missing: readonly string[], header: readonly string[], file: string): InputError {
  const needs = missing.join(' and ');
  if (adapter.id === 'generic') {
    return new InputError(
      `no column says which rows bounced: expected ${needs} (status, status_code, smtp_code, diagnostic, smtp_response, bounce_reason, reason, error …) or a platform's event or type column; the header has: ${listHeaders(header)}. ` +
        'Export the bounces with their status or reply text (or name the columns with --status-column / --diagnostic-column); if every row of this file is a bounce, say so with --all-rows-bounced',
      { file, line: 1 },
    );
  }
  const how = detectedBy === 'flag' ? `--input-format ${adapter.id} reads the ${adapter.label}` : `read as the ${adapter.label}`;
  return new InputError(`${how}, which needs ${needs}; the header has: ${listHeaders(header)}`, { file, line: 1 });
}

const LINE_BATCH = 512;

/** Group a row-at-a-time reader (JSON, mail logs) into batches like the CSV path. */
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
