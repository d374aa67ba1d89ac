/**
 * The Markdown report (`--format md`, and the GitHub step summary): tables and verdicts for pull
 * requests and wikis. A pure function of the result; returns a string.
 */
import type { AuditResult } from '../audit.js';
import type { Status } from '../count/campaigns.js';
import type { GatedSummary } from '../count/verdict.js';
import type { OutputInfo } from './json.js';
import type { ExtrasReport } from '../outputs.js';
import { formatCount, formatPercentThreshold, formatRate } from './text.js';

const VERDICT: Record<Status, string> = {
  ok: '✅ OK',
  warn: '⚠️ WARN',
  fail: '❌ FAIL',
  'low-volume': 'LOW VOLUME',
  unknown: 'UNKNOWN SENT',
};

/** Escape text for a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`[\]<>])/g, '\\$1');
}

function tableMd(header: string[], rows: string[][], rightFrom = 1): string {
  const align = header.map((_, i) => (i >= rightFrom ? '---:' : ':---'));
  return [header, align, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function gateRate(s: GatedSummary): string {
  return s.gateMetric === 'bounced' ? `${formatRate(s.bounceRate)} bounced` : formatRate(s.invalidAddressRate);
}

export function renderMarkdown(result: AuditResult, out: OutputInfo, extras?: ExtrasReport): string {
  const t = out.thresholds;
  const L: string[] = [];
  const worst = result.campaigns.some((c) => c.status === 'fail') ? 'fail' : result.campaigns.some((c) => c.status === 'warn') ? 'warn' : 'ok';
  L.push(`## bounce-audit: ${VERDICT[worst]}`);
  L.push('');
  const statusOnly = result.campaigns.some((c) => c.gateMetric === 'bounced');
  L.push(
    `Invalid-address rate: warn above ${formatPercentThreshold(t.warnAbove)}, fail above ${formatPercentThreshold(t.failAbove)}, judged from ${t.minSent} sent.` +
      (statusOnly ? ' Status-only lead exports (no reply text) are judged on their **bounce rate** instead.' : ''),
  );
  L.push('');
  L.push(
    tableMd(
      ['Campaign', 'Sent', 'Bounced', 'Invalid', 'Rate', 'Soft', 'Blocked', 'Unclass.', 'Verdict'],
      [...result.campaigns, ...(result.campaigns.length > 1 ? [result.totals] : [])].map((s) => [
        s.campaign === null ? '**Total**' : mdCell(s.campaign),
        formatCount(s.sent),
        formatCount(s.bounced),
        formatCount(s.invalidAddress),
        gateRate(s),
        formatCount(s.softBounce),
        formatCount(s.blocked),
        formatCount(s.unclassified),
        VERDICT[s.status],
      ]),
    ),
  );
  L.push('');
  const inputs = result.inputs.map((i) => `\`${mdCell(i.file)}\` (${mdCell(i.formatLabel)}${i.encoding !== 'utf-8' ? `, ${i.encoding}` : ''})`);
  L.push(`**Inputs:** ${inputs.join(', ')} · ${formatCount(result.rows.read)} rows${result.rows.rejected ? `, ${formatCount(result.rows.rejected)} not counted` : ''}`);
  const reasons = Object.entries(result.totals.byReason).slice(0, 6);
  if (reasons.length) L.push(`\n**Top reasons:** ${reasons.map(([r, n]) => `${mdCell(r)} ${formatCount(n)}`).join(' · ')}`);

  for (const b of extras?.breakdowns ?? []) {
    L.push('');
    L.push(`### By ${b.by === 'domain' ? 'receiver' : 'list source'}`);
    L.push('');
    L.push(
      tableMd(
        [b.by === 'domain' ? 'Receiver' : 'Source', 'Rows', 'Invalid', 'Rate', 'Blocked', 'Verdict'],
        b.groups.map((g) => [mdCell(g.key), formatCount(g.rows), formatCount(g.invalidAddress), formatRate(g.invalidAddressRate), formatCount(g.blocked), VERDICT[g.status]]),
      ),
    );
  }

  L.push('');
  const n = extras?.merge ? extras.merge.after : result.suppression.size;
  L.push(`**Suppression:** ${formatCount(result.suppression.size)} invalid addresses from this run` + (extras?.merge ? `; account-wide list \`${mdCell(extras.merge.path)}\` now holds ${formatCount(n)} (${formatCount(extras.merge.added)} new)` : '') + '.');
  if (result.unverified.bounces > 0) {
    L.push(
      `\n${formatCount(result.unverified.bounces)} bounces had no reply text (a platform's "bounced"/"cleaned" only) and are ${result.unverified.suppressed ? 'suppressed (--suppress-unverified)' : 'not suppressed'}.`,
    );
  }
  if (extras?.clean) L.push(`\n**Cleaned lead list:** \`${mdCell(extras.clean.output)}\` — ${formatCount(extras.clean.removed)} of ${formatCount(extras.clean.rows)} leads removed.`);
  return `${L.join('\n')}\n`;
}
