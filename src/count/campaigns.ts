/**
 * Per-campaign counters while rows are read, then each campaign's figures and verdict. Memory
 * grows with the number of campaigns (and the handful of receiver groups per campaign), never
 * with rows. Pure.
 */
import type { Bucket, Classification } from '../classify/types.js';
import type { Thresholds } from '../defaults.js';
import { verdict, type SentSource, type Status } from './verdict.js';

/** Rows by outcome and bucket: the counters a campaign, a receiver group and a lead source share. */
export interface BucketCounts {
  rows: number;
  delivered: number;
  bounced: number;
  invalidAddress: number;
  softBounce: number;
  blocked: number;
  unclassified: number;
}

export function emptyBucketCounts(): BucketCounts {
  return { rows: 0, delivered: 0, bounced: 0, invalidAddress: 0, softBounce: 0, blocked: 0, unclassified: 0 };
}

const BUCKET_FIELD: Record<Bucket, 'invalidAddress' | 'softBounce' | 'blocked' | 'unclassified'> = {
  'invalid-address': 'invalidAddress',
  soft: 'softBounce',
  blocked: 'blocked',
  unclassified: 'unclassified',
};

/** Count one classified row into `c`. */
export function countRow(c: BucketCounts, cls: Classification): void {
  c.rows++;
  if (cls.outcome === 'delivered' || cls.bucket === null) c.delivered++;
  else {
    c.bounced++;
    c[BUCKET_FIELD[cls.bucket]]++;
  }
}

/** Add the counters of `from` to `into`. */
export function addCounts(into: BucketCounts, from: BucketCounts): void {
  into.rows += from.rows;
  into.delivered += from.delivered;
  into.bounced += from.bounced;
  into.invalidAddress += from.invalidAddress;
  into.softBounce += from.softBounce;
  into.blocked += from.blocked;
  into.unclassified += from.unclassified;
}

/** Running counters of one campaign. */
export interface CampaignCounts extends BucketCounts {
  campaign: string;
  byReason: Record<string, number>;
  /** Rows and invalid-address bounces per receiver group (for incident detection). */
  byReceiver: Map<string, { rows: number; invalidAddress: number }>;
}

export type Aggregate = Map<string, CampaignCounts>;

/**
 * The most distinct campaigns one audit counts. Each costs its counters in memory (about 3 KB)
 * and an entry in every report: 500,000 took 1.5 GB and a 215 MB JSON report. So many distinct
 * values mean the column read as the campaign holds something else (a message id), and the
 * audit stops with an error instead of running out of memory (count/tally.ts).
 */
export const MAX_CAMPAIGNS = 100_000;

/** Receiver key for recipients whose receiver group is unknown. */
export const OTHER_RECEIVER = 'other';

export function createAggregate(): Aggregate {
  return new Map();
}

function emptyCounts(campaign: string): CampaignCounts {
  return { campaign, ...emptyBucketCounts(), byReason: {}, byReceiver: new Map() };
}

/**
 * Count one classified row. `receiver` is a receiver group id, or null for "other". Returns the
 * campaign's name as first stored, so callers that keep it (the suppression list) share one string.
 */
export function addRow(agg: Aggregate, campaign: string, cls: Classification, receiver: string | null): string {
  let c = agg.get(campaign);
  if (c === undefined) {
    c = emptyCounts(campaign);
    agg.set(campaign, c);
  }
  countRow(c, cls);
  const key = receiver ?? OTHER_RECEIVER;
  let r = c.byReceiver.get(key);
  if (r === undefined) {
    r = { rows: 0, invalidAddress: 0 };
    c.byReceiver.set(key, r);
  }
  r.rows++;
  if (cls.outcome === 'delivered' || cls.bucket === null) return c.campaign;
  c.byReason[cls.reason] = (c.byReason[cls.reason] ?? 0) + 1;
  if (cls.bucket === 'invalid-address') r.invalidAddress++;
  return c.campaign;
}

/**
 * Add an aggregate built from later rows of the input. Campaigns, receivers and reasons new to
 * `into` are appended in the order `from` met them, as counting those rows here would have.
 */
export function mergeAggregate(into: Aggregate, from: Aggregate): void {
  for (const [name, c] of from) {
    const a = into.get(name);
    if (a === undefined) {
      into.set(name, c);
      continue;
    }
    addCounts(a, c);
    for (const [reason, n] of Object.entries(c.byReason)) a.byReason[reason] = (a.byReason[reason] ?? 0) + n;
    for (const [receiver, r] of c.byReceiver) {
      const x = a.byReceiver.get(receiver);
      if (x === undefined) a.byReceiver.set(receiver, r);
      else {
        x.rows += r.rows;
        x.invalidAddress += r.invalidAddress;
      }
    }
  }
}

/**
 * One campaign's (or the totals') figures as reported. Field names are the JSON contract;
 * `rows` counts the data rows of the campaign and the other counters split them by outcome and bucket.
 */
export interface CampaignSummary extends BucketCounts {
  /** Campaign name; null for the totals. */
  campaign: string | null;
  /** Messages sent; null when unknown (a log of bounces only, and no --sent). */
  sent: number | null;
  /** Where `sent` came from: the rows themselves, the --sent flag, or unknown. */
  sentSource: SentSource;
  /** invalidAddress / sent as a fraction; null when sent is unknown or zero. */
  invalidAddressRate: number | null;
  /** Bounces per reason, keys sorted by count (descending), then name. */
  byReason: Record<string, number>;
  status: Status;
}

function sortedReasons(byReason: Record<string, number>): Record<string, number> {
  const entries = Object.entries(byReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return Object.fromEntries(entries);
}

/**
 * Campaign summaries in name order, and the totals. `sentOverrides` comes from --sent and
 * has already been resolved to campaign names.
 */
export function summarise(
  agg: Aggregate,
  t: Thresholds,
  sentOverrides: ReadonlyMap<string, number>,
): { campaigns: CampaignSummary[]; totals: CampaignSummary } {
  const campaigns: CampaignSummary[] = [];
  const names = [...agg.keys()].sort((a, b) => a.localeCompare(b));
  for (const name of names) {
    const c = agg.get(name)!;
    const override = sentOverrides.get(name);
    let sent: number | null;
    let sentSource: SentSource;
    if (override !== undefined) {
      sent = override;
      sentSource = 'flag';
    } else if (c.delivered > 0) {
      // The log holds delivered rows too, so every row is one message sent.
      sent = c.rows;
      sentSource = 'rows';
    } else {
      sent = null;
      sentSource = 'unknown';
    }
    const v = verdict(c.invalidAddress, sent, t);
    campaigns.push({
      campaign: name,
      rows: c.rows,
      sent,
      sentSource,
      delivered: c.delivered,
      bounced: c.bounced,
      invalidAddress: c.invalidAddress,
      softBounce: c.softBounce,
      blocked: c.blocked,
      unclassified: c.unclassified,
      invalidAddressRate: v.rate,
      byReason: sortedReasons(c.byReason),
      status: v.status,
    });
  }
  const totals = totalOf(campaigns, t);
  return { campaigns, totals };
}

function totalOf(campaigns: readonly CampaignSummary[], t: Thresholds): CampaignSummary {
  const byReason: Record<string, number> = {};
  const counts = emptyBucketCounts();
  let sent: number | null = campaigns.length > 0 ? 0 : null;
  for (const c of campaigns) {
    addCounts(counts, c);
    // One campaign of unknown volume makes the total unknown: never guess a denominator.
    sent = sent === null || c.sent === null ? null : sent + c.sent;
    for (const [k, n] of Object.entries(c.byReason)) byReason[k] = (byReason[k] ?? 0) + n;
  }
  const v = verdict(counts.invalidAddress, sent, t);
  const sources = new Set(campaigns.map((c) => c.sentSource));
  const sentSource: SentSource = sent === null ? 'unknown' : sources.size === 1 ? [...sources][0]! : 'flag';
  return {
    campaign: null,
    rows: counts.rows,
    sent,
    sentSource,
    delivered: counts.delivered,
    bounced: counts.bounced,
    invalidAddress: counts.invalidAddress,
    softBounce: counts.softBounce,
    blocked: counts.blocked,
    unclassified: counts.unclassified,
    invalidAddressRate: v.rate,
    byReason: sortedReasons(byReason),
    status: v.status,
  };
}
