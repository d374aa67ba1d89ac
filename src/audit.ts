/**
 * Composes the pipeline: read → parse status → classify → aggregate → suppression.
 * No printing, no process state: progress goes through an optional callback and the
 * result is plain data for the renderers.
 */
import { stat } from 'node:fs/promises';
import { openChunks } from './input/file-chunks.js';
import { basename, extname } from 'node:path';
import type { ColumnOverrides, Role } from './input/columns.js';
import { OTHER_RECEIVER, summarise, type Aggregate, type Thresholds } from './count/campaigns.js';
import { openInput, type InputFormatInfo, type OpenInputOptions } from './input/open-input.js';
import type { FormatId, SkipReason } from './input/row.js';
import type { DecodeInfo, Encoding } from './input/decode.js';
import { applyGate, type GatedSummary } from './count/verdict.js';
import type { SuppressionList } from './suppression/list.js';
import { InputError, UsageError, describeFsError } from './errors.js';
import type { Policies } from './classify/policies.js';
import { detectIncidents, type Incident } from './count/incidents.js';
import { Tally, type RejectedRow, type RowEvent, type TallyOptions } from './count/tally.js';
import { auditSplit, type SplitOptions } from './parallel/split.js';

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
  /** Split large CSV files between threads (src/split.ts); absent or threads 1: one thread. */
  split?: SplitOptions;
}

export type { RowEvent, RejectedRow } from './count/tally.js';
export { MAX_REJECTED_SAMPLES } from './count/tally.js';

/** Why a data row was not classified (`not-a-bounce`: an unsubscribe, open, send event …). */
export type RejectReason = SkipReason;

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
  /** Parts the input was read in, one thread each (1: read on one thread; see --threads). */
  parts: number;
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

export async function runAudit(opts: AuditOptions): Promise<AuditResult> {
  const tallyOpts: TallyOptions = { ...(opts.policies ? { policies: opts.policies } : {}), suppressUnverified: opts.suppressUnverified === true };
  let tally = new Tally(tallyOpts);
  const inputs: InputSummary[] = [];
  const observe = opts.onRow !== undefined;

  // A typo in the last of several paths should fail before minutes of reading the first ones.
  for (const input of opts.inputs) if (input !== '-') await checkReadable(input);

  for (const input of opts.inputs) {
    const isStdin = input === '-';
    const file = isStdin ? 'stdin' : input;
    const inputOpts: OpenInputOptions = {
      format: opts.inputFormat ?? null,
      encoding: opts.encoding ?? null,
      overrides: opts.columns,
      sourceColumn: opts.sourceColumn ?? null,
    };
    const defaultCampaign = opts.campaign ?? (isStdin ? 'stdin' : basename(input, extname(input)));
    const readBefore = tally.read;
    let opened = await openInput(isStdin ? requireStdin(opts.stdin) : await openFile(input), file, inputOpts);

    let done = false;
    let parts = 1;
    if (!isStdin && !observe && opts.split) {
      const outcome = await auditSplit({
        path: input,
        file,
        size: (await stat(input)).size,
        opened,
        split: opts.split,
        // Every part must read the input as the format this thread detected.
        input: { ...inputOpts, format: opened.format },
        tally: tallyOpts,
        defaultCampaign,
        onProgress: opts.onProgress && ((n) => opts.onProgress!(readBefore + n)),
        progressEvery: PROGRESS_EVERY,
      });
      if (outcome.kind === 'done') {
        // The first input's tally is taken as it is: merging it into an empty one would copy every address.
        if (tally.read === 0) tally = outcome.tally;
        else tally.merge(outcome.tally.toData());
        done = true;
        parts = outcome.parts;
      } else if (outcome.kind === 'redo') {
        opened = await openInput(await openFile(input), file, inputOpts);
      }
    }
    if (!done) {
      for await (const batch of opened.batches) {
        for (const item of batch) {
          const event = tally.add(item, file, defaultCampaign, opened.statusOnly, observe);
          if (tally.read % PROGRESS_EVERY === 0) opts.onProgress?.(tally.read);
          if (event !== null) {
            const p = opts.onRow!(event);
            if (p) await p;
          }
        }
      }
    }
    const fileRows = tally.read - readBefore;
    if (fileRows === 0) {
      throw opened.header !== null
        ? new InputError('the file has a header row but no data rows', { file, line: 2 })
        : new InputError(`the file holds no delivery or bounce records for the ${opened.label} format`, { file });
    }
    opts.onProgress?.(tally.read);
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
      parts,
    });
  }

  const { agg, suppression, statusOnly } = tally;
  const rows = { read: tally.read, rejected: tally.rejected, rejectedByReason: tally.rejectedByReason, rejectedSamples: tally.rejectedSamples };
  const unverifiedBounces = tally.unverifiedBounces;
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
  // Open errors (permissions) as an InputError, not a raw error from the first read.
  try {
    return await openChunks(path);
  } catch (err) {
    throw new InputError(`cannot read: ${describeFsError(err)}`, { file: path });
  }
}

/** Turn --sent into a campaign → count map, checked against the campaigns actually seen. */
function resolveSent(sent: SentOption, agg: Aggregate): Map<string, number> {
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
