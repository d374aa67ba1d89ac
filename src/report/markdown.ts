/**
 * The Markdown report (`--format md`, and the GitHub step summary): tables and verdicts for pull
 * requests and wikis. A pure function of the result; returns a string.
 */
import { worstVerdict, type Status } from '../count/verdict.js';
import type { Report } from './report.js';
import { formatCount, formatPercentThreshold, gateRate } from './text.js';
import { plural, reasonName } from './names.js';
import { warningText } from './warnings.js';

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

export function renderMarkdown(report: Report): string {
  const { result, outputs } = report;
  const t = report.thresholds;
  const L: string[] = [];
  const worst = worstVerdict(result.campaigns.map((c) => c.status));
  L.push(`## bounce-audit: ${VERDICT[worst]}`);
  L.push('');
  const byBounces = result.campaigns.some((c) => c.gateMetric === 'bounced');
  L.push(
    `Invalid-address rate: warn above ${formatPercentThreshold(t.warnAbove)}, fail above ${formatPercentThreshold(t.failAbove)}; campaigns with fewer than ${formatCount(t.minSent)} sent are not judged.` +
      (byBounces ? ' Campaigns whose bounces carry no reply text (lead exports, cleaned lists) are judged on their **bounce rate** instead.' : ''),
  );
  for (const w of result.warnings) {
    const text = warningText(w);
    if (text !== null) L.push(`\n> **Warning:** ${mdCell(text)}`);
  }
  L.push('');
  L.push(
    tableMd(
      ['Campaign', 'Sent', 'Bounced', 'Invalid', 'Rate', 'Soft', 'Blocked', 'Unclassified', 'Verdict'],
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
  if (reasons.length) L.push(`\n**Top reasons:** ${reasons.map(([r, n]) => `${mdCell(reasonName(r))} ${formatCount(n)}`).join(' · ')}`);

  for (const b of result.breakdowns) {
    L.push('');
    L.push(`### By ${b.by === 'domain' ? 'receiver' : 'list source'}`);
    L.push('');
    L.push(
      tableMd(
        [b.by === 'domain' ? 'Receiver' : 'Source', 'Rows', 'Bounced', 'Invalid', 'Rate', 'Blocked', 'Verdict'],
        b.groups.map((g) => [mdCell(g.key), formatCount(g.rows), formatCount(g.bounced), formatCount(g.invalidAddress), gateRate(g), formatCount(g.blocked), VERDICT[g.status]]),
      ),
    );
  }

  L.push('');
  const m = outputs.merge;
  L.push(`**Suppression:** ${plural(result.suppressedAddresses, 'invalid address', 'invalid addresses')} from this run` + (m ? `; account-wide list \`${mdCell(m.path)}\` now holds ${formatCount(m.after)} (${formatCount(m.added)} new)` : '') + '.');
  if (result.unverified.bounces > 0) {
    L.push(
      `\n${plural(result.unverified.bounces, 'bounce')} had no reply text (a platform's "bounced"/"cleaned" only) and ${result.unverified.bounces === 1 ? 'is' : 'are'} ${result.unverified.suppressed ? 'suppressed (--suppress-unverified)' : 'not suppressed'}.`,
    );
  }
  if (outputs.clean) L.push(`\n**Cleaned lead list:** \`${mdCell(outputs.clean.output)}\` — ${formatCount(outputs.clean.removed)} of ${formatCount(outputs.clean.rows)} leads removed.`);
  return `${L.join('\n')}\n`;
}
