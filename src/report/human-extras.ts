/**
 * The human report's additions for issue #4 (input formats, status-only gating, breakdowns,
 * merge and clean), rendered after the core report so the two stay separate. Returns a string.
 */
import type { ChalkInstance } from 'chalk';
import type { AuditResult } from '../audit.js';
import type { ExtrasReport } from '../outputs.js';
import { formatCount, formatRate, table } from './text.js';

export function renderHumanExtras(result: AuditResult, extras: ExtrasReport, c: ChalkInstance): string {
  const L: string[] = [];
  for (const i of result.inputs) {
    if (i.format === 'generic' && i.encoding === 'utf-8' && i.alternatives.length === 0) continue;
    const how = { flag: '--input-format', extension: 'file extension', content: 'content', header: 'header', 'column-flags': 'column flags', fallback: 'fallback' }[i.detectedBy];
    L.push(
      `${c.bold('Input')}  ${i.file}: read as ${i.formatLabel} (by ${how})` +
        (i.alternatives.length ? `; also matched ${i.alternatives.join(', ')} (force one with --input-format)` : '') +
        (i.encoding !== 'utf-8' ? `; decoded from ${i.encoding}` : ''),
    );
  }
  const statusOnly = result.campaigns.filter((s) => s.gateMetric === 'bounced');
  if (statusOnly.length) {
    L.push(
      `${c.bold('Status only')}  ${statusOnly.map((s) => `${s.campaign} ${formatRate(s.bounceRate)} bounced`).join(', ')}: ` +
        'a lead export has no reply text, so invalid addresses cannot be told from other bounces; these verdicts judge the bounce rate, every lead counts as sent.',
    );
  }
  if (result.unverified.bounces > 0) {
    L.push(
      result.unverified.suppressed
        ? `${c.bold('Unverified')}  ${formatCount(result.unverified.bounces)} bounces without reply text were added to the suppression list (--suppress-unverified), reason column says so.`
        : `${c.bold('Unverified')}  ${formatCount(result.unverified.bounces)} bounces without reply text are not suppressed: they may be blocks or full mailboxes. Verify them, or pass --suppress-unverified.`,
    );
  }
  for (const b of extras.breakdowns) {
    L.push('');
    L.push(c.bold(b.by === 'domain' ? 'By receiver' : 'By list source'));
    const head = [b.by === 'domain' ? 'Receiver' : 'Source', 'Rows', 'Invalid', 'Rate', 'Blocked', 'Verdict'].map((h) => c.bold(h));
    L.push(
      table([head, ...b.groups.map((g) => [g.key, formatCount(g.rows), formatCount(g.invalidAddress), formatRate(g.invalidAddressRate), formatCount(g.blocked), g.status.toUpperCase()])]),
    );
    if (b.pooled) L.push(c.dim(`  more than ${b.distinct - 1} distinct ${b.by === 'domain' ? 'domains' : 'sources'}: later ones are counted under (other)`));
  }
  if (extras.merge) {
    const m = extras.merge;
    L.push('');
    L.push(
      `${c.bold('Merged')}  ${m.path}${m.created ? ' (new)' : ''}: ${formatCount(m.before)} → ${formatCount(m.after)} addresses, ${formatCount(m.added)} added, ${formatCount(m.updated)} updated` +
        (m.skipped ? `; ${formatCount(m.skipped)} rows without an address skipped (lines ${m.skippedLines.join(', ')})` : ''),
    );
  }
  if (extras.clean) {
    const k = extras.clean;
    L.push(`${c.bold('Cleaned')}  ${k.output}: ${formatCount(k.removed)} of ${formatCount(k.rows)} leads removed, ${formatCount(k.kept)} kept`);
  }
  if (extras.rowsOut) L.push(`${c.bold('Rows')}  ${formatCount(extras.rowsOut.rows)} rows with their codes and buckets written to ${extras.rowsOut.path}`);
  return L.length ? `\n${L.join('\n')}\n` : '';
}
