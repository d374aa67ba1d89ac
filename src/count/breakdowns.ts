/**
 * `--by domain` and `--by source`: the same counters as a campaign, per receiver group or per
 * lead source. Pure reducer over row events. Memory is bounded: at most MAX_TRACKED keys per
 * breakdown are counted individually, later new keys are pooled under OTHER_KEY.
 */
import { addCounts, countRow, emptyBucketCounts, type BucketCounts } from './campaigns.js';
import { verdict, type Status } from './verdict.js';
import type { Thresholds } from '../defaults.js';
import type { Resolved } from '../classify/platform-hint.js';

/** What a breakdown groups rows by (`--by`). */
export const BREAKDOWNS = ['domain', 'source'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const MAX_TRACKED = 2000;
/** Groups listed in the report; the rest are summed into one line. */
export const TOP_GROUPS = 15;
export const OTHER_KEY = '(other)';
export const NONE_KEY = '(none)';

export interface GroupCounts extends BucketCounts {
  key: string;
}

export interface GroupSummary extends GroupCounts {
  /** invalidAddress / rows when the group's rows include delivered messages, else null. */
  invalidAddressRate: number | null;
  /** Verdict against the thresholds (same rules as a campaign; `unknown` for bounce-only rows). */
  status: Status;
}

export interface BreakdownSummary {
  by: Breakdown;
  /** Groups by rows (descending), at most TOP_GROUPS, then one `(rest)` line when there are more. */
  groups: GroupSummary[];
  /** Distinct keys seen (capped at MAX_TRACKED + 1 when pooling happened). */
  distinct: number;
  /** True when more than MAX_TRACKED distinct keys were seen and the later ones were pooled. */
  pooled: boolean;
}

export class BreakdownCounter {
  private readonly groups = new Map<string, GroupCounts>();
  private pooled = false;
  constructor(readonly by: Breakdown) {}

  add(key: string, cls: Resolved): void {
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= MAX_TRACKED) {
        this.pooled = true;
        key = OTHER_KEY;
        g = this.groups.get(key);
      }
      if (g === undefined) {
        g = { key, ...emptyBucketCounts() };
        this.groups.set(key, g);
      }
    }
    countRow(g, cls);
  }

  summary(t: Thresholds): BreakdownSummary {
    const all = [...this.groups.values()].sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : 1));
    const top = all.slice(0, TOP_GROUPS);
    const rest = all.slice(TOP_GROUPS);
    if (rest.length) {
      const r: GroupCounts = { key: `(rest: ${rest.length})`, ...emptyBucketCounts() };
      for (const g of rest) addCounts(r, g);
      top.push(r);
    }
    return {
      by: this.by,
      groups: top.map((g) => {
        const v = verdict(g.invalidAddress, g.delivered > 0 ? g.rows : null, t);
        return { ...g, invalidAddressRate: v.rate, status: v.status };
      }),
      distinct: this.groups.size,
      pooled: this.pooled,
    };
  }
}

/** Receiver group of a row: the classifier's group (google, microsoft, …) or the address's domain. */
export function domainKey(email: string, receiver: string | null): string {
  if (receiver) return receiver;
  const at = email.lastIndexOf('@');
  return at >= 0 ? email.slice(at + 1) : NONE_KEY;
}
