/**
 * Which rate the warn/fail gate reads, per campaign.
 *
 * A bounce log with reply text is gated on the invalid-address rate. A sequencer's lead export
 * only says "Bounced" (no SMTP text), so invalid addresses cannot be told from blocks or full
 * mailboxes: such a *status-only* campaign is gated on its bounce rate instead, every lead row
 * counts as one message sent, and the report says so (`gateMetric: "bounced"`).
 */
import { verdict, type CampaignSummary, type Thresholds } from './campaigns.js';

export type GateMetric = 'invalid-address' | 'bounced';

/** A campaign summary with the metric its verdict was judged on. */
export type GatedSummary = CampaignSummary & {
  /** The rate the verdict is about: `invalid-address` (default) or `bounced` (status-only inputs). */
  gateMetric: GateMetric;
  /** bounced / sent as a fraction; null when sent is unknown or zero. */
  bounceRate: number | null;
};

function gateOne(s: CampaignSummary, statusOnly: boolean, t: Thresholds): GatedSummary {
  let { sent, sentSource } = s;
  if (statusOnly && sent === null) {
    // Every lead row is a lead that was mailed.
    sent = s.rows;
    sentSource = 'rows';
  }
  const bounceRate = sent !== null && sent > 0 ? s.bounced / sent : null;
  if (!statusOnly) return { ...s, gateMetric: 'invalid-address', bounceRate };
  const v = verdict(s.bounced, sent, t);
  const inv = verdict(s.invalidAddress, sent, t);
  return { ...s, sent, sentSource, invalidAddressRate: inv.rate, status: v.status, gateMetric: 'bounced', bounceRate };
}

/**
 * Apply the gate metric to each campaign. A campaign is status-only when any of its rows came
 * from a status-only input (the stricter reading: the bounce rate is never below the invalid rate).
 * The totals are gated on the bounce rate when any campaign is.
 */
export function applyGate(
  campaigns: readonly CampaignSummary[],
  totals: CampaignSummary,
  statusOnly: ReadonlySet<string>,
  t: Thresholds,
): { campaigns: GatedSummary[]; totals: GatedSummary } {
  const gated = campaigns.map((c) => gateOne(c, statusOnly.has(c.campaign ?? ''), t));
  let tot = totals;
  if (statusOnly.size > 0) {
    const sent = gated.every((c) => c.sent !== null) ? gated.reduce((n, c) => n + (c.sent ?? 0), 0) : null;
    tot = { ...totals, sent, sentSource: sent === null ? 'unknown' : totals.sentSource === 'unknown' ? 'rows' : totals.sentSource };
  }
  return { campaigns: gated, totals: gateOne(tot, statusOnly.size > 0, t) };
}
