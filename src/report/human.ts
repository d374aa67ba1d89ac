/**
 * The report for people: a table per campaign, totals, top reasons, rejected rows, where
 * the suppression list went and what to do next. Returns a string; colour through the
 * chalk instance passed in (level 0 = plain text).
 */
import type { ChalkInstance } from 'chalk';
import type { GatedSummary, Status } from '../count/verdict.js';
import type { InputSummary, RejectReason } from '../audit.js';
import { PROBLEM_SKIPS } from '../input/row.js';
import type { Report } from './report.js';
import { formatCount, formatPercentThreshold, formatRate, gateRate, listNames, table, terminalSafe } from './text.js';
import { warningText } from './warnings.js';
import { STATUS_LABEL, plural, reasonName, rejectName } from './names.js';

function paint(c: ChalkInstance, status: Status, text: string): string {
  switch (status) {
    case 'ok':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'fail':
      return c.red.bold(text);
    default:
      return c.dim(text);
  }
}

function row(c: ChalkInstance, s: GatedSummary, name: string): string[] {
  return [
    name,
    formatCount(s.sent),
    formatCount(s.bounced),
    formatCount(s.invalidAddress),
    paint(c, s.status, gateRate(s)),
    formatCount(s.softBounce),
    formatCount(s.blocked),
    formatCount(s.unclassified),
    paint(c, s.status, STATUS_LABEL[s.status]),
  ];
}

export function renderHuman(input: Report, c: ChalkInstance): string {
  // Campaign names, file names and reply texts are input text: escaped before any is printed.
  const report = terminalSafe(input);
  const { result, outputs } = report;
  const lines: string[] = [];
  const t = report.thresholds;
  const files = result.inputs.map((i) => i.file).join(', ');
  lines.push(
    `${c.bold('bounce-audit')}  ${files} · ${plural(result.rows.read, 'row')} read` +
      (result.rows.rejected ? ` · ${c.yellow(`${formatCount(result.rows.rejected)} not counted`)}` : ''),
  );
  lines.push(
    c.dim(
      `invalid-address rate: warn above ${formatPercentThreshold(t.warnAbove)}, fail above ${formatPercentThreshold(t.failAbove)}; ` +
        `campaigns with fewer than ${formatCount(t.minSent)} sent are not judged (--min-sent)`,
    ),
  );
  for (const w of result.warnings) {
    const text = warningText(w);
    if (text !== null) lines.push(c.red.bold('Warning  ') + c.red(text));
  }
  lines.push('');

  const header = ['Campaign', 'Sent', 'Bounced', 'Invalid', 'Rate', 'Soft', 'Blocked', 'Unclassified', 'Verdict'].map((h) => c.bold(h));
  const body = result.campaigns.map((s) => row(c, s, s.campaign ?? ''));
  const rows = [header, ...body];
  if (result.campaigns.length > 1) rows.push(row(c, result.totals, c.bold('Total')));
  lines.push(table(rows));

  const reasons = Object.entries(result.totals.byReason).slice(0, 6);
  if (reasons.length) {
    lines.push('');
    lines.push(`${c.bold('Top reasons')}  ${reasons.map(([r, n]) => `${reasonName(r)} ${formatCount(n)}`).join(' · ')}`);
  }

  if (result.rows.rejected) {
    lines.push('');
    const entries = Object.entries(result.rows.rejectedByReason) as [RejectReason, number][];
    const problems = entries.filter(([r]) => PROBLEM_SKIPS.has(r));
    const others = entries.filter(([r]) => !PROBLEM_SKIPS.has(r));
    const list = (e: [RejectReason, number][]): string => e.map(([r, n]) => `${rejectName(r)} ${formatCount(n)}`).join(', ');
    const count = (e: [RejectReason, number][]): number => e.reduce((n, [, k]) => n + k, 0);
    if (problems.length) {
      // Rows the input should not have: listed by line, so they can be found and fixed.
      lines.push(c.yellow(`${plural(count(problems), 'row')} rejected, not counted in any campaign (${list(problems)}):`));
      const shown = result.rows.rejectedSamples.filter((r) => PROBLEM_SKIPS.has(r.reason)).slice(0, 5);
      for (const r of shown) lines.push(c.yellow(`  ${r.file}:${r.line}  ${rejectName(r.reason)}`));
      if (count(problems) > shown.length) lines.push(c.dim('  … the JSON report (--json) lists the first 100 with their lines'));
    }
    // Rows the format says are not delivery outcomes (opens, unsubscribes, other events of a message): expected.
    if (others.length) lines.push(c.dim(`${plural(count(others), 'row')} not counted, as the format says (${list(others)})`));
  }

  for (const i of result.incidents) {
    lines.push('');
    lines.push(
      c.red.bold('Receiver incident? ') +
        c.red(
          `${i.campaign}: ${i.receiver} answered "no such user" for ${formatCount(i.invalidAddress)} of ${formatCount(i.rows)} rows ` +
            `(${formatRate(i.rate)}, other receivers ${formatRate(i.othersRate)}).`,
        ),
    );
    lines.push(
      `  Receivers sometimes send false "user unknown" replies in bulk (Apple did for hours in April 2021). The ` +
        `${plural(i.suppressedAddresses, 'address is', 'addresses are')} still in the suppression list, ` +
        `marked "${i.receiver}" in its incident column: check them before suppressing real people.`,
    );
  }

  lines.push(...inputsAndOutputs(report, c));

  lines.push('');
  const n = result.suppressedAddresses;
  const path = outputs.suppressionPath;
  const addresses = plural(n, 'invalid address', 'invalid addresses');
  if (path === null) {
    lines.push(`${c.bold('Suppression')}  ${addresses} (not written: --no-out)`);
  } else if (path === '-') {
    lines.push(`${c.bold('Suppression')}  ${addresses} written to standard output`);
  } else {
    lines.push(`${c.bold('Suppression')}  ${addresses} written to ${path}`);
  }

  const advice = adviceFor(report);
  if (advice.length) {
    lines.push('');
    lines.push(c.bold('What to do'));
    for (const a of advice) lines.push(`  • ${a}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Next steps, derived only from the result. */
function adviceFor(report: Report): string[] {
  const { result, outputs } = report;
  const advice: string[] = [];
  const n = result.suppressedAddresses;
  if (n > 0) {
    const where = outputs.suppressionPath && outputs.suppressionPath !== '-' ? outputs.suppressionPath : 'the suppression list';
    advice.push(
      `Never send to the ${plural(n, 'suppressed address', 'suppressed addresses')} again, not even after a pause: the mailboxes do not exist. ` +
        `Import ${where} as an account-wide do-not-contact list so no other mailbox or campaign retries them.`,
    );
    if (result.incidents.length) {
      advice.push(
        `Before importing, review the addresses marked in the incident column: a receiver answered "user unknown" far more often ` +
          `than the others, which can be the receiver's fault rather than the list's.`,
      );
    }
  }
  const t = report.thresholds;
  for (const metric of ['invalid-address', 'bounced'] as const) {
    const of = (status: Status): (string | null)[] => result.campaigns.filter((s) => s.status === status && s.gateMetric === metric).map((s) => s.campaign);
    const what = metric === 'bounced' ? 'bounced' : 'invalid addresses';
    const failing = of('fail');
    const warning = of('warn');
    if (failing.length) {
      advice.push(
        `${listNames(failing)}: above ${formatPercentThreshold(t.failAbove)} ${what}. Pause these sends and audit where the list came from ` +
          `(a rate of 5–10 % points at a stale, bought or badly scraped source), then verify every remaining address before the next send.`,
      );
    }
    if (warning.length) {
      advice.push(
        `${listNames(warning)}: above ${formatPercentThreshold(t.warnAbove)} ${what}. Receivers start to watch senders at this level; verify the list before the next send.`,
      );
    }
  }
  const unknown = result.campaigns.filter((s) => s.status === 'unknown').map((s) => s.campaign);
  if (unknown.length) {
    advice.push(
      `${listNames(unknown)}: the log holds only bounces, so the number sent is unknown and the rate is not judged. Pass --sent NAME=N with the number of messages sent` +
        (report.failOn.includes('unknown') ? '.' : ' (with --fail-on unknown, a CI run fails until it is given).'),
    );
  }
  const low = result.campaigns.filter((s) => s.status === 'low-volume').map((s) => s.campaign);
  if (low.length) advice.push(`${listNames(low)}: fewer than ${formatCount(t.minSent)} sent (--min-sent); the rate is shown but not judged.`);
  if (result.totals.blocked > 0) {
    advice.push(
      `${plural(result.totals.blocked, 'bounce')} refused the sender (spam filters, reputation, SPF/DKIM/DMARC), not the address. ` +
        `Those recipients are not suppressed; fix the sending setup instead.`,
    );
  }
  if (result.totals.softBounce > 0) {
    advice.push(`${plural(result.totals.softBounce, 'soft bounce')} (mailbox full, rate limits, greylisting) can be retried later.`);
  }
  return advice;
}

/** What an input line adds: events read as messages, compression, how its dates were read. */
function inputNote(i: InputSummary): string {
  const parts: string[] = [];
  if (i.eventsPerRow) parts.push(`${plural(i.rows, 'event')} make ${plural(i.counted, 'message')}, each counted once from its outcome`);
  if (i.compression) parts.push(`decompressed (${i.compression})`);
  if (i.dates.order !== null && i.dates.decidedBy !== 'none') {
    const why = { flag: '--date-order', dotted: 'dotted dates are day-first', values: 'a day or month above 12 says so' }[i.dates.decidedBy as 'flag' | 'dotted' | 'values'];
    parts.push(`dates read ${i.dates.order} (${why})`);
  }
  return parts.length ? `; ${parts.join('; ')}` : '';
}

/** How the inputs were read, what status-only inputs mean, breakdowns, and the files besides the report. */
function inputsAndOutputs(report: Report, c: ChalkInstance): string[] {
  const { result, outputs } = report;
  const L: string[] = [];
  for (const i of result.inputs) {
    const note = inputNote(i);
    if (i.format === 'generic' && i.encoding === 'utf-8' && i.alternatives.length === 0 && note === '') continue;
    const how = { flag: '--input-format', extension: 'file extension', content: 'content', header: 'header', 'column-flags': 'column flags', fallback: 'fallback' }[i.detectedBy];
    L.push(
      `${c.bold('Input')}  ${i.file}: read as ${i.formatLabel} (by ${how})` +
        (i.alternatives.length ? `; also matched ${i.alternatives.join(', ')} (force one with --input-format)` : '') +
        (i.encoding !== 'utf-8' ? `; decoded from ${i.encoding}` : '') +
        note,
    );
  }
  const byBounces = result.campaigns.filter((s) => s.gateMetric === 'bounced');
  if (byBounces.length) {
    const leads = result.inputs.some((i) => i.statusOnly);
    L.push(
      `${c.bold('Bounce rate judged')}  ${byBounces.map((s) => `${s.campaign} ${formatRate(s.bounceRate)} bounced`).join(', ')}: ` +
        (leads
          ? 'a lead export has no reply text, so invalid addresses cannot be told from other bounces; these verdicts judge the bounce rate, every lead counts as sent.'
          : 'no reply text says why these bounces happened, so invalid addresses cannot be told from full mailboxes or blocks; these verdicts judge the bounce rate.'),
    );
  }
  if (result.unverified.bounces > 0) {
    L.push(
      result.unverified.suppressed
        ? `${c.bold('Unverified')}  ${plural(result.unverified.bounces, 'bounce')} without reply text ${result.unverified.bounces === 1 ? 'was' : 'were'} added to the suppression list (--suppress-unverified), reason column says so.`
        : `${c.bold('Unverified')}  ${plural(result.unverified.bounces, 'bounce')} without reply text ${result.unverified.bounces === 1 ? 'is' : 'are'} not suppressed: they may be blocks or full mailboxes. Verify them, or pass --suppress-unverified.`,
    );
  }
  for (const b of result.breakdowns) {
    L.push('');
    L.push(c.bold(b.by === 'domain' ? 'By receiver' : 'By list source'));
    const head = [b.by === 'domain' ? 'Receiver' : 'Source', 'Rows', 'Bounced', 'Invalid', 'Rate', 'Blocked', 'Verdict'].map((h) => c.bold(h));
    L.push(
      table([
        head,
        ...b.groups.map((g) => [g.key, formatCount(g.rows), formatCount(g.bounced), formatCount(g.invalidAddress), gateRate(g), formatCount(g.blocked), STATUS_LABEL[g.status]]),
      ]),
    );
    if (b.pooled) L.push(c.dim(`  more than ${b.distinct - 1} distinct ${b.by === 'domain' ? 'domains' : 'sources'}: later ones are counted under (other)`));
  }
  if (outputs.merge) {
    const m = outputs.merge;
    L.push('');
    L.push(
      `${c.bold('Merged')}  ${m.path}${m.created ? ' (new)' : ''}: ${formatCount(m.before)} → ${formatCount(m.after)} addresses, ${formatCount(m.added)} added, ${formatCount(m.updated)} updated` +
        (m.skipped ? `; ${plural(m.skipped, 'row')} without an address skipped (lines ${m.skippedLines.join(', ')})` : ''),
    );
  }
  if (outputs.clean) {
    const k = outputs.clean;
    L.push(`${c.bold('Cleaned')}  ${k.output}: ${formatCount(k.removed)} of ${formatCount(k.rows)} leads removed, ${formatCount(k.kept)} kept`);
  }
  if (outputs.rowsOut) L.push(`${c.bold('Rows')}  ${plural(outputs.rowsOut.rows, 'row')} with their codes and buckets written to ${outputs.rowsOut.path}`);
  return L.length ? ['', ...L] : [];
}
