/**
 * Composes the pipeline: read → parse status → classify → aggregate → suppression.
 * No printing, no process state: progress goes through an optional callback and the
 * result is plain data for the renderers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { openCsv } from './io/csv-reader.js';
import { detectColumns, type ColumnMap, type ColumnOverrides, type Role } from './io/columns.js';
import { classifyRow } from './classify.js';
import { parseStatus } from './codes/parse-status.js';
import { OTHER_RECEIVER, addRow, createAggregate, summarise, type CampaignSummary, type Thresholds } from './aggregate.js';
import { SuppressionList, normaliseEmail } from './suppression.js';
import { InputError, UsageError, describeFsError } from './errors.js';
import type { Policies } from './codes/policies.js';
import { detectIncidents, type Incident } from './incidents.js';

/** `--sent`: per-campaign counts, and the bare count for a single-campaign input. */
export interface SentOption {
  byCampaign: ReadonlyMap<string, number>;
  bare: number | null;
}

export interface AuditOptions {
  /** Paths to read; `-` is standard input. */
  inputs: readonly string[];
  thresholds: Thresholds;
  sent: SentOption;
  /** Campaign for rows with no campaign column or an empty one; default: the file's base name. */
  campaign: string | null;
  columns: ColumnOverrides;
  /** Policies for ambiguous replies (see src/codes/policies.ts); missing keys take the defaults. */
  policies?: Partial<Policies>;
  /** Standard input, supplied by the CLI (the core never touches `process`). */
  stdin?: AsyncIterable<Buffer | string>;
  /** Called every PROGRESS_EVERY rows and once at the end of each input. */
  onProgress?: (rowsRead: number) => void;
}

/** Why a data row was not classified. */
export type RejectReason = 'wrong-field-count' | 'missing-email' | 'invalid-email';

export interface RejectedRow {
  file: string;
  line: number;
  reason: RejectReason;
}

export interface InputSummary {
  file: string;
  rows: number;
  delimiter: string;
  /** The header name used for each role, or null when the file has none. */
  columns: Record<Role, string | null>;
}

export interface AuditResult {
  inputs: InputSummary[];
  campaigns: CampaignSummary[];
  totals: CampaignSummary;
  rows: {
    read: number;
    rejected: number;
    rejectedByReason: Partial<Record<RejectReason, number>>;
    rejectedSamples: RejectedRow[];
  };
  suppression: SuppressionList;
  /**
   * Receivers whose invalid-address replies in a campaign are numerous and far above the
   * campaign's other receivers: possibly false "user unknown" replies (Apple sent them in bulk
   * in April 2021). Their addresses stay in the suppression list, marked for review.
   */
  incidents: Incident[];
}

export const PROGRESS_EVERY = 10_000;
/** Rejected rows listed by line in the report; all of them are counted. */
export const MAX_REJECTED_SAMPLES = 100;

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const agg = createAggregate();
  // One options object per distinct command value keeps classifyRow's cache key cheap.
  const withCommand = new Map<string, { policies?: Partial<Policies>; command?: string }>();
  const base = opts.policies && Object.keys(opts.policies).length ? { policies: opts.policies } : undefined;
  const classifyOpts = (command: string) => {
    if (command === '') return base;
    let o = withCommand.get(command);
    if (o === undefined) {
      o = { ...base, command };
      if (withCommand.size < 64) withCommand.set(command, o);
    }
    return o;
  };
  const suppression = new SuppressionList();
  const inputs: InputSummary[] = [];
  const rows = {
    read: 0,
    rejected: 0,
    rejectedByReason: {} as Partial<Record<RejectReason, number>>,
    rejectedSamples: [] as RejectedRow[],
  };
  const reject = (file: string, line: number, reason: RejectReason): void => {
    rows.rejected++;
    rows.rejectedByReason[reason] = (rows.rejectedByReason[reason] ?? 0) + 1;
    if (rows.rejectedSamples.length < MAX_REJECTED_SAMPLES) rows.rejectedSamples.push({ file, line, reason });
  };

  // A typo in the last of several paths should fail before minutes of reading the first ones.
  for (const input of opts.inputs) if (input !== '-') await checkReadable(input);

  for (const input of opts.inputs) {
    const isStdin = input === '-';
    const file = isStdin ? 'stdin' : input;
    const stream = isStdin ? requireStdin(opts.stdin) : await openFile(input);
    const csv = await openCsv(stream, file);
    const cols = detectColumns(csv.header, opts.columns, file);
    const defaultCampaign = opts.campaign ?? (isStdin ? 'stdin' : basename(input, extname(input)));
    let fileRows = 0;
    const width = csv.header.length;
    for await (const row of csv.rows) {
      rows.read++;
      fileRows++;
      if (rows.read % PROGRESS_EVERY === 0) opts.onProgress?.(rows.read);
      const f = row.fields;
      if (f.length !== width) {
        reject(file, row.line, 'wrong-field-count');
        continue;
      }
      const rawEmail = f[cols.email]!;
      if (rawEmail.trim() === '') {
        reject(file, row.line, 'missing-email');
        continue;
      }
      const email = normaliseEmail(rawEmail);
      if (email === null) {
        reject(file, row.line, 'invalid-email');
        continue;
      }
      const status = field(f, cols.status);
      const diagnostic = field(f, cols.diagnostic);
      const campaign = field(f, cols.campaign).trim() || defaultCampaign;
      const command = field(f, cols.command);
      const cls = classifyRow(status, diagnostic, email, classifyOpts(command));
      addRow(agg, campaign, cls, cls.receiver);
      if (cls.bucket === 'invalid-address') {
        // Codes are parsed again only for the few rows that reach the suppression list.
        const parsed = parseStatus(status, diagnostic);
        suppression.add(email, {
          reason: cls.reason,
          enhancedCode: parsed.enhanced,
          basicCode: parsed.basic,
          receiver: cls.receiver,
          campaign,
          date: field(f, cols.date),
          diagnostic: diagnostic || status,
        });
      }
    }
    if (fileRows === 0) {
      throw new InputError('the file has a header row but no data rows', { file, line: 2 });
    }
    opts.onProgress?.(rows.read);
    inputs.push({ file, rows: fileRows, delimiter: csv.delimiter, columns: columnNames(csv.header, cols) });
  }

  const sentOverrides = resolveSent(opts.sent, agg);
  const { campaigns, totals } = summarise(agg, opts.thresholds, sentOverrides);
  const incidents: Incident[] = [];
  for (const [name, c] of agg) {
    const perReceiver = [...c.byReceiver].map(([receiver, r]) => ({ receiver, ...r }));
    // "other" (no known receiver) is part of the comparison baseline but is not one receiver.
    for (const i of detectIncidents(name, perReceiver)) if (i.receiver !== OTHER_RECEIVER) incidents.push(i);
  }
  incidents.sort((a, b) => a.campaign.localeCompare(b.campaign) || b.rate - a.rate);
  suppression.markIncidents(incidents);
  return { inputs, campaigns, totals, rows, suppression, incidents };
}

function field(fields: readonly string[], idx: number): string {
  return idx >= 0 ? (fields[idx] ?? '') : '';
}

function columnNames(header: readonly string[], cols: ColumnMap): Record<Role, string | null> {
  const name = (i: number): string | null => (i >= 0 ? (header[i] ?? null) : null);
  return {
    email: name(cols.email),
    status: name(cols.status),
    diagnostic: name(cols.diagnostic),
    campaign: name(cols.campaign),
    date: name(cols.date),
    command: name(cols.command),
  };
}

function requireStdin(stdin: AsyncIterable<Buffer | string> | undefined): AsyncIterable<Buffer | string> {
  if (!stdin) throw new UsageError('"-" reads standard input, but none is available');
  return stdin;
}

async function checkReadable(path: string): Promise<void> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError('is a directory, not a CSV file', { file: path });
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read: ${describeFsError(err)}`, { file: path });
  }
}

async function openFile(path: string): Promise<AsyncIterable<Buffer>> {
  await checkReadable(path);
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  // Surface open errors (permissions) as InputError rather than a raw stream error.
  await new Promise<void>((res, rej) => {
    stream.once('open', () => res());
    stream.once('error', (err) => rej(new InputError(`cannot read: ${describeFsError(err)}`, { file: path })));
  });
  return stream;
}

/** Turn --sent into a campaign → count map, checked against the campaigns actually seen. */
function resolveSent(sent: SentOption, agg: ReturnType<typeof createAggregate>): Map<string, number> {
  const out = new Map<string, number>(sent.byCampaign);
  const names = [...agg.keys()];
  if (sent.bare !== null) {
    if (names.length !== 1) {
      throw new UsageError(
        `--sent ${sent.bare} without a campaign name needs an input with exactly one campaign; this one has ${names.length}` +
          (names.length ? ` (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}): use --sent NAME=N` : ''),
      );
    }
    out.set(names[0]!, sent.bare);
  }
  for (const [name, n] of out) {
    const c = agg.get(name);
    if (c === undefined) {
      throw new UsageError(`--sent names campaign "${name}", which is not in the input (campaigns: ${names.slice(0, 10).join(', ') || 'none'})`);
    }
    if (n < c.rows) {
      throw new UsageError(`--sent ${name}=${n} is less than the ${c.rows} rows the log holds for that campaign`);
    }
  }
  return out;
}
