/**
 * `--by domain` and `--by source`: the same counters as a campaign, per receiver group or per
 * lead source. Pure reducer over row events. Memory is bounded: at most MAX_TRACKED keys per
 * breakdown are counted individually, later new keys are pooled under OTHER_KEY.
 */
import { addCounts, countRow, emptyBucketCounts, type BucketCounts } from './campaigns.js';
import { verdict, type GateMetric, type Status } from './verdict.js';
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

/** Campaigns a group's rows came from, up to this many; past it every campaign must qualify. */
const MAX_GROUP_CAMPAIGNS = 256;

interface GroupState extends GroupCounts {
  /** Campaigns the group's rows came from; null once more than MAX_GROUP_CAMPAIGNS were seen. */
  campaigns: Set<string> | null;
}

export interface GroupSummary extends GroupCounts {
  /**
   * invalidAddress / rows, when every row of the group comes from a campaign whose log holds every
   * message sent (its rows are its sent count); null otherwise: a group's share of a `--sent`
   * number is not known.
   */
  invalidAddressRate: number | null;
  /** bounced / rows, on the same condition; null otherwise. */
  bounceRate: number | null;
  /** The rate the verdict judges: `bounced` when any of the group's rows came from a status-only lead export. */
  gateMetric: GateMetric;
  /** Verdict against the thresholds (same rules as a campaign; `unknown` when the rate is null). */
  status: Status;
}

/** Which campaigns' rows are their messages sent, and which were judged on the bounce rate. */
export interface CampaignScope {
  /** Campaigns whose every message is a row of the input (sent from the rows). */
  complete: ReadonlySet<string>;
  /** Status-only campaigns (lead exports). */
  statusOnly: ReadonlySet<string>;
  /** Every campaign of the run is complete (for groups fed by too many campaigns to list). */
  allComplete: boolean;
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
  private readonly groups = new Map<string, GroupState>();
  private pooled = false;
  constructor(readonly by: Breakdown) {}

  add(key: string, cls: Resolved, campaign: string): void {
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= MAX_TRACKED) {
        this.pooled = true;
        key = OTHER_KEY;
        g = this.groups.get(key);
      }
      if (g === undefined) {
        g = { key, ...emptyBucketCounts(), campaigns: new Set() };
        this.groups.set(key, g);
      }
    }
    countRow(g, cls);
    if (g.campaigns !== null && !g.campaigns.has(campaign)) {
      if (g.campaigns.size >= MAX_GROUP_CAMPAIGNS) g.campaigns = null;
      else g.campaigns.add(campaign);
    }
  }

  summary(t: Thresholds, scope: CampaignScope): BreakdownSummary {
    const all = [...this.groups.values()].sort((a, b) => b.rows - a.rows || (a.key < b.key ? -1 : 1));
    const top = all.slice(0, TOP_GROUPS);
    const rest = all.slice(TOP_GROUPS);
    if (rest.length) {
      const r: GroupState = { key: `(rest: ${rest.length})`, ...emptyBucketCounts(), campaigns: new Set() };
      for (const g of rest) {
        addCounts(r, g);
        if (g.campaigns === null || r.campaigns === null) r.campaigns = null;
        else for (const c of g.campaigns) r.campaigns.add(c);
      }
      top.push(r);
    }
    return {
      by: this.by,
      groups: top.map(({ campaigns, ...g }) => {
        // Rows are the group's messages sent only when each campaign's rows are its messages sent.
        const complete = campaigns === null ? scope.allComplete : [...campaigns].every((c) => scope.complete.has(c));
        const sent = complete ? g.rows : null;
        const leads = campaigns === null ? scope.statusOnly.size > 0 : [...campaigns].some((c) => scope.statusOnly.has(c));
        const gateMetric: GateMetric = leads ? 'bounced' : 'invalid-address';
        const inv = verdict(g.invalidAddress, sent, t);
        const bounced = verdict(g.bounced, sent, t);
        return {
          ...g,
          invalidAddressRate: inv.rate,
          bounceRate: bounced.rate,
          gateMetric,
          status: gateMetric === 'bounced' ? bounced.status : inv.status,
        };
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
