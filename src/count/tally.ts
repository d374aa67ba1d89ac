/**
 * What the audit counts while it reads: per-campaign aggregates, the suppression list, rejected
 * rows. One row at a time in `add`; `merge` adds a tally built on another thread from a later
 * part of the same input (src/parallel/split.ts), with the same result as counting those rows here.
 */
import { createAggregate, addRow, mergeAggregate, MAX_CAMPAIGNS, type Aggregate } from './campaigns.js';
import { decidedCodesOf } from '../classify/cache.js';
import type { Policies } from '../classify/policies.js';
import { parseStatus } from '../classify/parse-status.js';
import { resolveRow, type Resolved } from '../classify/platform-hint.js';
import { isSkip, type ReadItem, type SkipReason, type SourceRow } from '../input/row.js';
import { isUnreadNumericDate } from '../input/date-order.js';
import { SuppressionList, type LineRenderer } from '../suppression/list.js';
import { normaliseEmail } from '../suppression/address.js';
import { InputError, type Location } from '../errors.js';
import type { SlotColumns } from '../suppression/transfer.js';

/** Rejected rows listed by line in the report; all of them are counted. */
export const MAX_REJECTED_SAMPLES = 100;

export interface RejectedRow {
  file: string;
  line: number;
  reason: SkipReason;
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

export interface TallyOptions {
  policies?: Partial<Policies>;
  suppressUnverified: boolean;
}

/** A tally as plain data, for sending between threads. */
export interface TallyData {
  agg: Aggregate;
  slots: SlotColumns;
  read: number;
  rejected: number;
  rejectedByReason: Partial<Record<SkipReason, number>>;
  rejectedSamples: RejectedRow[];
  statusOnly: string[];
  unverifiedBounces: number;
  unverifiedByCampaign: [string, number][];
  datesKeptRaw: number;
}

export class Tally {
  readonly agg = createAggregate();
  readonly suppression = new SuppressionList();
  read = 0;
  rejected = 0;
  readonly rejectedByReason: Partial<Record<SkipReason, number>> = {};
  readonly rejectedSamples: RejectedRow[] = [];
  /** Campaigns fed by a status-only (lead export) input. */
  readonly statusOnly = new Set<string>();
  unverifiedBounces = 0;
  /** Per campaign, bounces with no reply text whose platform said only "bounced"/"hard". */
  readonly unverifiedByCampaign = new Map<string, number>();
  /** Numeric day/month dates left as written: their column's order is not known (see src/input/date-order.ts). */
  datesKeptRaw = 0;
  /** One options object per distinct command value keeps classifyRow's cache key cheap. */
  private readonly withCommand = new Map<string, { policies?: Partial<Policies>; command?: string }>();
  private readonly base: { policies: Partial<Policies> } | undefined;

  constructor(private readonly opts: TallyOptions) {
    this.base = opts.policies && Object.keys(opts.policies).length ? { policies: opts.policies } : undefined;
  }

  private classifyOpts(command: string): { policies?: Partial<Policies>; command?: string } | undefined {
    if (command === '') return this.base;
    let o = this.withCommand.get(command);
    if (o === undefined) {
      o = { ...this.base, command };
      if (this.withCommand.size < 64) this.withCommand.set(command, o);
    }
    return o;
  }

  private reject(file: string, line: number, reason: SkipReason): void {
    this.rejected++;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    if (this.rejectedSamples.length < MAX_REJECTED_SAMPLES) this.rejectedSamples.push({ file, line, reason });
  }

  /**
   * Count one row of `file`. Returns the row's event when `observe` is set (for --rows-out,
   * --by and --merge), else null, so the common path allocates nothing for observers.
   */
  add(item: ReadItem, file: string, defaultCampaign: string, statusOnlyInput: boolean, observe: boolean): RowEvent | null {
    this.read++;
    let skip: SkipReason | null = null;
    let email: string | null = null;
    if (isSkip(item)) skip = item.skip;
    else if (item.email.trim() === '') skip = 'missing-email';
    else if ((email = normaliseEmail(item.email)) === null) skip = 'invalid-email';
    if (skip !== null) {
      this.reject(file, item.line, skip);
      if (!observe) return null;
      return { file, line: item.line, row: isSkip(item) ? null : item, raw: item.raw, skip, email, campaign: null, cls: null, suppressed: false };
    }
    const row = item as SourceRow;
    const name = row.campaign.trim() || defaultCampaign;
    if (this.agg.size >= MAX_CAMPAIGNS && !this.agg.has(name)) throw tooManyCampaigns({ file, line: row.line });
    const cls = resolveRow(row, email!, this.classifyOpts(row.command));
    const campaign = addRow(this.agg, name, cls, cls.receiver);
    if (statusOnlyInput) this.statusOnly.add(campaign);
    let suppressed = false;
    const noText = row.status.trim() === '' && row.diagnostic.trim() === '';
    const unverified = cls.bucket === 'unclassified' && noText && (row.hint?.kind === 'bounced' || row.hint?.kind === 'hard');
    if (unverified) {
      this.unverifiedBounces++;
      this.unverifiedByCampaign.set(campaign, (this.unverifiedByCampaign.get(campaign) ?? 0) + 1);
    }
    if (row.date !== '' && isUnreadNumericDate(row.date)) this.datesKeptRaw++;
    if (cls.bucket === 'invalid-address' || (unverified && this.opts.suppressUnverified)) {
      // The codes the verdict was decided on; parsed again only for verdicts a platform hint made.
      const parsed = decidedCodesOf(cls) ?? parseStatus(row.status, row.diagnostic);
      this.suppression.add(email!, {
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
    if (!observe) return null;
    return { file, line: row.line, row, raw: row.raw, skip: null, email, campaign, cls, suppressed };
  }

  /** The tally as plain data; with `render`, the suppression list's CSV lines are rendered too (see exportSlots). */
  toData(render?: LineRenderer): TallyData {
    return {
      agg: this.agg,
      slots: this.suppression.exportSlots(render),
      read: this.read,
      rejected: this.rejected,
      rejectedByReason: this.rejectedByReason,
      rejectedSamples: this.rejectedSamples,
      statusOnly: [...this.statusOnly],
      unverifiedBounces: this.unverifiedBounces,
      unverifiedByCampaign: [...this.unverifiedByCampaign],
      datesKeptRaw: this.datesKeptRaw,
    };
  }

  /**
   * Add a tally of rows that come after this tally's rows; `lineShift` turns its line numbers into
   * the file's. `file`: the input the rows came from, for the error when campaigns grow too many.
   */
  merge(d: TallyData, lineShift = 0, file?: string): void {
    mergeAggregate(this.agg, d.agg);
    if (this.agg.size > MAX_CAMPAIGNS) throw tooManyCampaigns(file !== undefined ? { file } : undefined);
    this.suppression.deferSlots(d.slots);
    this.read += d.read;
    this.rejected += d.rejected;
    for (const [reason, n] of Object.entries(d.rejectedByReason) as [SkipReason, number][]) {
      this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + n;
    }
    for (const r of d.rejectedSamples) {
      if (this.rejectedSamples.length >= MAX_REJECTED_SAMPLES) break;
      this.rejectedSamples.push({ ...r, line: r.line + lineShift });
    }
    for (const c of d.statusOnly) this.statusOnly.add(c);
    this.unverifiedBounces += d.unverifiedBounces;
    for (const [c, n] of d.unverifiedByCampaign) this.unverifiedByCampaign.set(c, (this.unverifiedByCampaign.get(c) ?? 0) + n);
    this.datesKeptRaw += d.datesKeptRaw;
  }
}

function tooManyCampaigns(at: Location | undefined): InputError {
  return new InputError(
    `more than ${MAX_CAMPAIGNS.toLocaleString('en-US')} distinct campaigns: the column read as the campaign does not hold campaign names ` +
      `(an id per message?). Name the campaign column with --campaign-column, or give the log without that column`,
    at,
  );
}
