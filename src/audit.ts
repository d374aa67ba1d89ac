/**
 * Composes the pipeline: read → parse status → classify → aggregate → suppression.
 * No printing, no process state: progress goes through an optional callback and the
 * result is plain data for the renderers.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ColumnOverrides, Role } from './io/columns.js';
import { parseStatus } from './codes/parse-status.js';
import { OTHER_RECEIVER, addRow, createAggregate, summarise, type Thresholds } from './aggregate.js';
import { openInput, type InputFormatInfo } from './formats/read-input.js';
import { resolveRow, type Resolved } from './formats/resolve.js';
import { decidedCodesOf } from './classify.js';
import { isSkip, type FormatId, type SkipReason, type SourceRow } from './formats/types.js';
import type { DecodeInfo, Encoding } from './io/decode.js';
import { applyGate, type GatedSummary } from './gate.js';
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
  /** `--input-format`: null detects each input's format. */
  inputFormat?: FormatId | null;
  /** `--encoding`: null sniffs it. */
  encoding?: Encoding | null;
  /** `--source-column`: null auto-detects a list-source column. */
  sourceColumn?: string | null;
  /** Also suppress bounces that carry no reply text (`--suppress-unverified`). */
  suppressUnverified?: boolean;
  /** Observers of every row (rows-out, breakdowns, merge ledger); awaited only when they return a promise. */
  onRow?: (event: RowEvent) => void | Promise<void>;
}

/** One input row as the audit saw it, for observers. */
export interface RowEvent {
  file: string;
  line: number;
  /** The normalised row; null for a row skipped before it was mapped. */
  row: SourceRow | null;
  /** Original CSV fields, or null for non-CSV inputs. */
  raw: readonly string[] | null;
  /** Why the row was not classified, or null when it was. */
  skip: SkipReason | null;
  email: string | null;
  campaign: string | null;
  cls: Resolved | null;
  suppressed: boolean;
}

/** Why a data row was not classified (`not-a-bounce`: an unsubscribe, open, send event …). */
export type RejectReason = SkipReason;

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
  /** The format the input was read as, e.g. `postmark`, `ses-jsonl`, `generic`. */
  format: FormatId;
  /** Its display name. */
  formatLabel: string;
  /** How the format was chosen: flag, extension, content, header, column-flags or fallback. */
  detectedBy: InputFormatInfo['detectedBy'];
  /** Other formats the input also matched (not used). */
  alternatives: FormatId[];
  /** Text encoding and how it was found. */
  encoding: DecodeInfo['encoding'];
  encodingDetectedBy: DecodeInfo['detectedBy'];
  /** Status-only lead export: gated on the bounce rate. */
  statusOnly: boolean;
}

export interface AuditResult {
  inputs: InputSummary[];
  campaigns: GatedSummary[];
  totals: GatedSummary;
  /** Bounces with no reply text whose platform said only "bounced"/"hard" (not proven invalid). */
  unverified: { bounces: number; suppressed: boolean };
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
  /** Campaigns fed by a status-only (lead export) input. */
  const statusOnly = new Set<string>();
  let unverifiedBounces = 0;

  // A typo in the last of several paths should fail before minutes of reading the first ones.
  for (const input of opts.inputs) if (input !== '-') await checkReadable(input);

  for (const input of opts.inputs) {
    const isStdin = input === '-';
    const file = isStdin ? 'stdin' : input;
    const stream = isStdin ? requireStdin(opts.stdin) : await openFile(input);
    const opened = await openInput(stream, file, {
      format: opts.inputFormat ?? null,
      encoding: opts.encoding ?? null,
      overrides: opts.columns,
      sourceColumn: opts.sourceColumn ?? null,
    });
    const defaultCampaign = opts.campaign ?? (isStdin ? 'stdin' : basename(input, extname(input)));
    let fileRows = 0;
    for await (const batch of opened.batches) for (const item of batch) {
      rows.read++;
      fileRows++;
      if (rows.read % PROGRESS_EVERY === 0) opts.onProgress?.(rows.read);
      let skip: SkipReason | null = null;
      let email: string | null = null;
      if (isSkip(item)) skip = item.skip;
      else if (item.email.trim() === '') skip = 'missing-email';
      else if ((email = normaliseEmail(item.email)) === null) skip = 'invalid-email';
      if (skip !== null) {
        reject(file, item.line, skip);
        if (opts.onRow) {
          const p = opts.onRow({ file, line: item.line, row: isSkip(item) ? null : item, raw: item.raw, skip, email, campaign: null, cls: null, suppressed: false });
          if (p) await p;
        }
        continue;
      }
      const row = item as SourceRow;
      const campaign = row.campaign.trim() || defaultCampaign;
      if (opened.statusOnly) statusOnly.add(campaign);
      const cls = resolveRow(row, email!, classifyOpts(row.command));
      addRow(agg, campaign, cls, cls.receiver);
      let suppressed = false;
      const noText = row.status.trim() === '' && row.diagnostic.trim() === '';
      const unverified = cls.bucket === 'unclassified' && noText && (row.hint?.kind === 'bounced' || row.hint?.kind === 'hard');
      if (unverified) unverifiedBounces++;
      if (cls.bucket === 'invalid-address' || (unverified && opts.suppressUnverified)) {
        // The codes the verdict was decided on; parsed again only for verdicts a platform hint made.
        const parsed = decidedCodesOf(cls) ?? parseStatus(row.status, row.diagnostic);
        suppression.add(email!, {
          reason: cls.reason,
          enhancedCode: parsed.enhanced,
          basicCode: parsed.basic,
          receiver: cls.receiver,
          campaign,
          date: row.date,
          diagnostic: row.diagnostic || row.status,
        });
        suppressed = true;
      }
      if (opts.onRow) {
        const p = opts.onRow({ file, line: row.line, row, raw: row.raw, skip: null, email, campaign, cls, suppressed });
        if (p) await p;
      }
    }
    if (fileRows === 0) {
      throw opened.header !== null
        ? new InputError('the file has a header row but no data rows', { file, line: 2 })
        : new InputError(`the file holds no delivery or bounce records for the ${opened.label} format`, { file });
    }
    opts.onProgress?.(rows.read);
    inputs.push({
      file,
      rows: fileRows,
      delimiter: opened.delimiter,
      columns: opened.columns,
      format: opened.format,
      formatLabel: opened.label,
      detectedBy: opened.detectedBy,
      alternatives: opened.alternatives,
      encoding: opened.decoding.encoding,
      encodingDetectedBy: opened.decoding.detectedBy,
      statusOnly: opened.statusOnly,
    });
  }

  const sentOverrides = resolveSent(opts.sent, agg);
  const summary = summarise(agg, opts.thresholds, sentOverrides);
  const { campaigns, totals } = applyGate(summary.campaigns, summary.totals, statusOnly, opts.thresholds);
  const unverified = { bounces: unverifiedBounces, suppressed: opts.suppressUnverified === true };
  const incidents: Incident[] = [];
  for (const [name, c] of agg) {
    const perReceiver = [...c.byReceiver].map(([receiver, r]) => ({ receiver, ...r }));
    // "other" (no known receiver) is part of the comparison baseline but is not one receiver.
    for (const i of detectIncidents(name, perReceiver)) if (i.receiver !== OTHER_RECEIVER) incidents.push(i);
  }
  incidents.sort((a, b) => a.campaign.localeCompare(b.campaign) || b.rate - a.rate);
  suppression.markIncidents(incidents);
  return { inputs, campaigns, totals, unverified, rows, suppression, incidents };
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
