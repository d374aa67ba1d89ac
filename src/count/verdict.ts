/**
 * Judging: a rate against the thresholds, which rate a campaign is judged on, the worst verdict
 * of a run and the exit code. The one home of these rules; the reports and the CLI call them.
 *
 * A bounce log with reply text is judged on the invalid-address rate. A sequencer's lead export
 * only says "Bounced" (no SMTP text), so invalid addresses cannot be told from blocks or full
 * mailboxes: such a *status-only* campaign is judged on its bounce rate instead, every lead row
 * counts as one message sent, and the report says so (`gateMetric: "bounced"`).
 */
import type { Thresholds } from '../defaults.js';
import type { CampaignSummary } from './campaigns.js';
import { EXIT } from '../errors.js';

/** Verdict of one campaign (or breakdown group). */
export type Status = 'ok' | 'warn' | 'fail' | 'low-volume' | 'unknown';

/** Where a campaign's `sent` came from. */
export type SentSource = 'rows' | 'flag' | 'unknown';

export type GateMetric = 'invalid-address' | 'bounced';

/** Verdicts that can make a run exit 1 (`--fail-on`). */
export const FAIL_LEVELS = ['fail', 'warn', 'unknown'] as const;
export type FailLevel = (typeof FAIL_LEVELS)[number];

/**
 * The verdicts that exit 1 (`--fail-on`): `fail` always does; `warn` and `unknown` only when
 * asked for. `unknown` is a campaign whose number sent is not known (a bounces-only export
 * without `--sent`): a pipeline that must never pass unjudged asks for it.
 */
export type FailOn = readonly FailLevel[];

/** Verdict for `count` bounces of one kind against `sent`. Exactly the fail threshold is `warn`. */
export function verdict(count: number, sent: number | null, t: Thresholds): { rate: number | null; status: Status } {
  if (sent === null) return { rate: null, status: 'unknown' };
  const rate = sent > 0 ? count / sent : null;
  if (sent < t.minSent || rate === null) return { rate, status: 'low-volume' };
  if (rate > t.failAbove) return { rate, status: 'fail' };
  if (rate > t.warnAbove) return { rate, status: 'warn' };
  return { rate, status: 'ok' };
}

/** A campaign summary with the metric its verdict was judged on. */
export type GatedSummary = CampaignSummary & {
  /** The rate the verdict is about: `invalid-address` (default) or `bounced` (status-only inputs). */
  gateMetric: GateMetric;
  /** bounced / sent as a fraction; null when sent is unknown or zero. */
  bounceRate: number | null;
};

function gateOne(s: CampaignSummary, statusOnly: boolean, t: Thresholds, leadRows: boolean): GatedSummary {
  let { sent, sentSource } = s;
  if (leadRows && sent === null) {
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
 * Apply the gate metric to each campaign. A campaign is judged on its bounce rate when any of its
 * rows came from a status-only input (the stricter reading: the bounce rate is never below the
 * invalid rate), or when none of its bounces says why it bounced (`unverifiedOnly`: a Mailchimp
 * cleaned export without reasons, where an invalid-address rate of 0 % would read as a clean
 * list). Only a status-only campaign takes its rows as its messages sent. The totals are gated
 * on the bounce rate when any campaign is.
 */
export function applyGate(
  campaigns: readonly CampaignSummary[],
  totals: CampaignSummary,
  statusOnly: ReadonlySet<string>,
  t: Thresholds,
  unverifiedOnly: ReadonlySet<string> = new Set(),
): { campaigns: GatedSummary[]; totals: GatedSummary } {
  const gated = campaigns.map((c) => {
    const name = c.campaign ?? '';
    const leads = statusOnly.has(name);
    return gateOne(c, leads || unverifiedOnly.has(name), t, leads);
  });
  const byBounces = gated.some((c) => c.gateMetric === 'bounced');
  let tot = totals;
  if (byBounces) {
    // The total's denominator is the campaigns' own, summed; one unknown makes it unknown.
    const sent = gated.every((c) => c.sent !== null) ? gated.reduce((n, c) => n + (c.sent ?? 0), 0) : null;
    tot = { ...totals, sent, sentSource: sent === null ? 'unknown' : totals.sentSource === 'unknown' ? 'rows' : totals.sentSource };
  }
  // The totals never fill in a denominator of their own: a campaign of unknown volume keeps them unknown.
  return { campaigns: gated, totals: gateOne(tot, byBounces, t, false) };
}

/**
 * Verdicts from worst to best. A campaign whose volume is unknown is worse than an `ok` one: a run
 * that could not judge a campaign must not read as clean. `low-volume` is judged on nothing.
 */
const SEVERITY: readonly Status[] = ['fail', 'warn', 'unknown', 'ok', 'low-volume'];

/** The worst verdict among campaigns; `ok` for none. */
export function worstVerdict(statuses: Iterable<Status>): Status {
  let worst = SEVERITY.length;
  for (const s of statuses) worst = Math.min(worst, SEVERITY.indexOf(s));
  return SEVERITY[worst] ?? 'ok';
}

/** Does this verdict stop the pipeline under `--fail-on`? */
export function isFailing(status: Status, failOn: FailOn): boolean {
  return status === 'fail' || (status !== 'ok' && status !== 'low-volume' && failOn.includes(status));
}

/** The exit code of an audit that ran: 1 when any campaign's verdict is failing, else 0. */
export function exitCodeFor(statuses: Iterable<Status>, failOn: FailOn): number {
  for (const s of statuses) if (isFailing(s, failOn)) return EXIT.fail;
  return EXIT.ok;
}
