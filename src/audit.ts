/**
 * Composes the pipeline: read → parse status → classify → count → (report, suppression).
 * No printing, no process state: progress goes through an optional callback, and the result
 * is plain data for the renderers, beside the suppression list the outputs are written from.
 */
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { openChunks } from './input/file-chunks.js';
import type { ColumnOverrides, Role } from './input/columns.js';
import { openInput, type InputFormatInfo, type OpenInputOptions } from './input/open-input.js';
import { PROBLEM_SKIPS, type FormatId, type SkipReason } from './input/row.js';
import type { DateOrder, DateOrderEvidence } from './input/date-order.js';
import type { DecodeInfo, Encoding } from './input/decode.js';
import type { Thresholds } from './defaults.js';
import { OTHER_RECEIVER, summarise, type Aggregate } from './count/campaigns.js';
import { applyGate, type GatedSummary } from './count/verdict.js';
import { detectIncidents, type Incident } from './count/incidents.js';
import { BreakdownCounter, NONE_KEY, domainKey, type Breakdown, type BreakdownSummary, type CampaignScope } from './count/breakdowns.js';
import { Tally, type RejectedRow, type RowEvent, type TallyOptions } from './count/tally.js';
import type { SuppressionList } from './suppression/list.js';
import type { Policies } from './classify/policies.js';
import { InputError, UsageError, describeFsError } from './errors.js';
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
  /** Policies for ambiguous replies (see classify/policies.ts); missing keys take the defaults. */
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
  /** `--by`: breakdowns counted per receiver group or lead source. */
  by?: readonly Breakdown[];
  /** Observer of every row (rows-out, the merge ledger); awaited only when it returns a promise. */
  onRow?: (event: RowEvent) => void | Promise<void>;
  /** Split large CSV files between threads (parallel/split.ts); absent or threads 1: one thread. */
  split?: SplitOptions;
  /** `--all-rows-bounced`: every row of a file that does not say which rows bounced is a bounce. */
  allRowsBounced?: boolean;
  /** `--date-order`: null decides each input's order of numeric dates from its values. */
  dateOrder?: DateOrder | null;
}

export type { RowEvent, RejectedRow } from './count/tally.js';

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
  /** One row (or record) per event: `rows` counts events, `counted` the messages they make. */
  eventsPerRow: boolean;
  /** Rows counted in a campaign (the rest are in `rows.rejectedByReason`). */
  counted: number;
  /** Rows not counted, by reason, for this input. */
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** Compression the input was read through (`gzip`), or null. */
  compression: 'gzip' | null;
  /** Bounces counted from this input. */
  bounced: number;
  /** How numeric day/month dates (`02/09/2025`) were read, and how many were left as written. */
  dates: InputDates;
  /** Parts the input was read in, one thread each (1: read on one thread; see --threads). */
  parts: number;
}

/** The order of an input's numeric dates and what it left unread. */
export interface InputDates {
  /** `day-first`, `month-first`, or null when not decided. */
  order: DateOrder | null;
  /** `flag`, `dotted`, `values`, `conflict` (the values prove both orders), `ambiguous` (neither), `none` (no such dates). */
  decidedBy: DateOrderEvidence;
  /** The date column's header, when the input has one. */
  column: string | null;
  /** Numeric dates kept as written (not in the suppression list's date columns as times). */
  keptRaw: number;
}

/**
 * Something the reader of the report must see, as coded data (the renderers word it):
 * - `many-rejected`: a large share of an input's rows could not be counted (`share` of `rows`).
 * - `dates-unread`: numeric dates whose day/month order is not known were kept as written.
 * - `unknown-sent`: a campaign's number sent is not known, so it is not judged (`--sent`).
 * - `no-bounced-leads`: a lead export in which no lead is marked bounced: a clean list, or an
 *   export whose status column does not carry the bounce (worth a look before trusting 0 %).
 */
export type AuditWarning =
  | { code: 'many-rejected'; file: string; rows: number; rejected: number; share: number; byReason: Partial<Record<RejectReason, number>> }
  | { code: 'dates-unread'; file: string; column: string | null; keptRaw: number; decidedBy: DateOrderEvidence }
  | { code: 'unknown-sent'; campaign: string }
  | { code: 'no-bounced-leads'; file: string; rows: number };

/** A receiver incident with the number of suppressed addresses it covers. */
export interface IncidentSummary extends Incident {
  suppressedAddresses: number;
}

/** What the audit found, as plain data: everything the reports show. */
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
  /** Distinct addresses on this run's suppression list. */
  suppressedAddresses: number;
  /**
   * Receivers whose invalid-address replies in a campaign are numerous and far above the
   * campaign's other receivers: possibly false "user unknown" replies (Apple sent them in bulk
   * in April 2021). Their addresses stay in the suppression list, marked for review.
   */
  incidents: IncidentSummary[];
  /** `--by` breakdowns, in the order asked for. */
  breakdowns: BreakdownSummary[];
  /** What the reader must see besides the figures, as coded data. */
  warnings: AuditWarning[];
}

export const PROGRESS_EVERY = 10_000;

/** An input with more than this share of its rows rejected for problems (not for being other events) is flagged. */
export const REJECTED_WARN_SHARE = 0.1;

export async function runAudit(opts: AuditOptions): Promise<{ result: AuditResult; list: SuppressionList }> {
  const tallyOpts: TallyOptions = { ...(opts.policies ? { policies: opts.policies } : {}), suppressUnverified: opts.suppressUnverified === true };
  let tally = new Tally(tallyOpts);
  const inputs: InputSummary[] = [];
  const counters = (opts.by ?? []).map((b) => new BreakdownCounter(b));
  const onRow = withBreakdowns(counters, opts.onRow);
  const observe = onRow !== undefined;

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
      allRowsBounced: opts.allRowsBounced === true,
      dateOrder: opts.dateOrder ?? null,
    };
    const defaultCampaign = opts.campaign ?? (isStdin ? 'stdin' : basename(input, extname(input)));
    const readBefore = tally.read;
    const rejectedBefore = { ...tally.rejectedByReason };
    const bouncedBefore = bouncedOf(tally.agg);
    const rawDatesBefore = tally.datesKeptRaw;
    let opened = await openInput(isStdin ? requireStdin(opts.stdin) : await openFile(input), file, inputOpts);

    let parts = 1;
    // Per-row observers need every row in order, on this thread.
    const outcome =
      !isStdin && !observe && opts.split
        ? await auditSplit({
            path: input,
            file,
            size: (await stat(input)).size,
            opened,
            split: opts.split,
            // Every part must read the input as the format, and its dates in the order, this thread decided.
            input: { ...inputOpts, format: opened.format, dateDecision: opened.dates },
            tally: tallyOpts,
            defaultCampaign,
            onProgress: opts.onProgress && ((n) => opts.onProgress!(readBefore + n)),
            progressEvery: PROGRESS_EVERY,
          })
        : null;
    if (outcome !== null && outcome.kind === 'done') {
      // The first input's tally is taken as it is: merging it into an empty one would copy every address.
      if (tally.read === 0) tally = outcome.tally;
      else tally.merge(outcome.tally.toData(), 0, file);
      parts = outcome.parts;
    } else {
      // A part could not be read on its own: read the whole input again, on this thread.
      if (outcome !== null && outcome.kind === 'redo') opened = await openInput(await openFile(input), file, inputOpts);
      for await (const batch of opened.batches) {
        for (const item of batch) {
          const event = tally.add(item, file, defaultCampaign, opened.statusOnly, observe);
          if (tally.read % PROGRESS_EVERY === 0) opts.onProgress?.(tally.read);
          if (event !== null) {
            const p = onRow!(event);
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
    const fileRejected = diffCounts(tally.rejectedByReason, rejectedBefore);
    const rejectedRows = Object.values(fileRejected).reduce((n, k) => n + (k ?? 0), 0);
    // A run that counts nothing of a file must not write a list (or pass a gate) as if it had.
    if (rejectedRows === fileRows) throw nothingCounted(file, opened.label, fileRows, fileRejected);
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
      eventsPerRow: opened.eventsPerRow,
      counted: fileRows - rejectedRows,
      rejectedByReason: fileRejected,
      compression: opened.compression,
      bounced: bouncedOf(tally.agg) - bouncedBefore,
      dates: { order: opened.dates.order, decidedBy: opened.dates.decidedBy, column: opened.columns.date, keptRaw: tally.datesKeptRaw - rawDatesBefore },
      parts,
    });
  }

  const { agg, suppression: list, statusOnly } = tally;
  const summary = summarise(agg, opts.thresholds, resolveSent(opts.sent, agg));
  // Campaigns none of whose bounces says why it bounced are judged on their bounce rate.
  const unverifiedOnly = new Set(summary.campaigns.filter((c) => c.bounced > 0 && tally.unverifiedByCampaign.get(c.campaign ?? '') === c.bounced).map((c) => c.campaign ?? ''));
  const { campaigns, totals } = applyGate(summary.campaigns, summary.totals, statusOnly, opts.thresholds, unverifiedOnly);
  const incidents = incidentsOf(agg);
  list.markIncidents(incidents);
  return {
    result: {
      inputs,
      campaigns,
      totals,
      unverified: { bounces: tally.unverifiedBounces, suppressed: opts.suppressUnverified === true },
      rows: { read: tally.read, rejected: tally.rejected, rejectedByReason: tally.rejectedByReason, rejectedSamples: tally.rejectedSamples },
      suppressedAddresses: list.size,
      incidents: incidents.map((i) => ({ ...i, suppressedAddresses: list.countIncident(i.campaign, i.receiver) })),
      breakdowns: counters.map((c) => c.summary(opts.thresholds, scopeOf(campaigns))),
      warnings: warningsOf(inputs, campaigns),
    },
    list,
  };
}

/** The row observer with the breakdown counters in front of the caller's, or undefined for none. */
function withBreakdowns(
  counters: readonly BreakdownCounter[],
  onRow: AuditOptions['onRow'],
): ((e: RowEvent) => void | Promise<void>) | undefined {
  if (counters.length === 0) return onRow;
  const byDomain = counters.find((c) => c.by === 'domain');
  const bySource = counters.find((c) => c.by === 'source');
  return (e) => {
    if (e.cls && e.email) {
      const campaign = e.campaign ?? '';
      byDomain?.add(domainKey(e.email, e.cls.receiver), e.cls, campaign);
      bySource?.add(e.row?.source.trim() || NONE_KEY, e.cls, campaign);
    }
    return onRow?.(e);
  };
}

/** Bounces counted so far in all campaigns. */
function bouncedOf(agg: Aggregate): number {
  let n = 0;
  for (const c of agg.values()) n += c.bounced;
  return n;
}

/** `now - before`, per reason: what one input added to the run's rejected rows. */
function diffCounts(now: Partial<Record<RejectReason, number>>, before: Partial<Record<RejectReason, number>>): Partial<Record<RejectReason, number>> {
  const out: Partial<Record<RejectReason, number>> = {};
  for (const [k, n] of Object.entries(now) as [RejectReason, number][]) {
    const d = n - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
}

/** The error for an input none of whose rows could be counted. */
function nothingCounted(file: string, label: string, rows: number, byReason: Partial<Record<RejectReason, number>>): InputError {
  const reasons = Object.entries(byReason)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  const onlyEvents = Object.keys(byReason).every((r) => !PROBLEM_SKIPS.has(r as RejectReason));
  const why = onlyEvents
    ? `none of its ${rows} rows is a delivery or a bounce (${reasons}): it lists other events (opens, unsubscribes, complaints, drops), not what happened to the messages`
    : `none of its ${rows} rows could be counted (${reasons}); read as ${label}`;
  return new InputError(`${why}. Nothing was written`, { file });
}

/** The warnings of a run, from its inputs and campaigns. */
function warningsOf(inputs: readonly InputSummary[], campaigns: readonly GatedSummary[]): AuditWarning[] {
  const out: AuditWarning[] = [];
  for (const i of inputs) {
    const problems: Partial<Record<RejectReason, number>> = {};
    let rejected = 0;
    for (const [r, n] of Object.entries(i.rejectedByReason) as [RejectReason, number][]) {
      if (!PROBLEM_SKIPS.has(r)) continue;
      problems[r] = n;
      rejected += n;
    }
    if (rejected > 0 && rejected / i.rows > REJECTED_WARN_SHARE) out.push({ code: 'many-rejected', file: i.file, rows: i.rows, rejected, share: rejected / i.rows, byReason: problems });
    if (i.dates.keptRaw > 0) out.push({ code: 'dates-unread', file: i.file, column: i.dates.column, keptRaw: i.dates.keptRaw, decidedBy: i.dates.decidedBy });
    if (i.statusOnly && i.bounced === 0) out.push({ code: 'no-bounced-leads', file: i.file, rows: i.counted });
  }
  for (const c of campaigns) if (c.status === 'unknown') out.push({ code: 'unknown-sent', campaign: c.campaign ?? '' });
  return out;
}

/** Which campaigns' rows are their messages sent, for the breakdowns' rates. */
function scopeOf(campaigns: readonly GatedSummary[]): CampaignScope {
  const complete = new Set(campaigns.filter((c) => c.sentSource === 'rows').map((c) => c.campaign ?? ''));
  const statusOnly = new Set(campaigns.filter((c) => c.gateMetric === 'bounced').map((c) => c.campaign ?? ''));
  return { complete, statusOnly, allComplete: complete.size === campaigns.length };
}

/** Receiver incidents of every campaign, by campaign name, then rate. */
function incidentsOf(agg: Aggregate): Incident[] {
  const incidents: Incident[] = [];
  for (const [name, c] of agg) {
    const perReceiver = [...c.byReceiver].map(([receiver, r]) => ({ receiver, ...r }));
    // "other" (no known receiver) is part of the comparison baseline but is not one receiver.
    for (const i of detectIncidents(name, perReceiver)) if (i.receiver !== OTHER_RECEIVER) incidents.push(i);
  }
  return incidents.sort((a, b) => a.campaign.localeCompare(b.campaign) || b.rate - a.rate);
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
