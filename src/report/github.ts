/**
 * GitHub Actions output, as pure functions: workflow-command annotations and `$GITHUB_OUTPUT`
 * lines. The CLI decides whether it runs in Actions (GITHUB_ACTIONS=true) and writes them.
 *
 * GitHub shows at most 10 error and 10 warning annotations per step: at most one per campaign
 * (never per row), capped at MAX_ANNOTATIONS of each kind, and one notice summarising the rest.
 */
import { worstVerdict } from '../count/verdict.js';
import { formatPercentThreshold, formatRate } from './text.js';
import { warningText } from './warnings.js';
import type { Report } from './report.js';

export const MAX_ANNOTATIONS = 10;

/** Escape the message part of a workflow command (GitHub's toolkit escapes %, CR and LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Escape a property value (also ':' and ','). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(report: Report): string[] {
  const { result } = report;
  const lines: string[] = [];
  const t = report.thresholds;
  // Errors: failing campaigns. Warnings: warning campaigns, then every campaign of unknown volume,
  // then inputs with many rejected rows or unread dates. Each kind within GitHub's 10 per step.
  const errors: Annotation[] = [];
  const warnings: Annotation[] = [];
  for (const c of result.campaigns) {
    if (c.status !== 'fail' && c.status !== 'warn') continue;
    const metric = c.gateMetric === 'bounced' ? 'bounce rate' : 'invalid-address rate';
    const rate = c.gateMetric === 'bounced' ? c.bounceRate : c.invalidAddressRate;
    const threshold = c.status === 'fail' ? t.failAbove : t.warnAbove;
    (c.status === 'fail' ? errors : warnings).push({
      title: `bounce-audit: ${c.campaign ?? ''}`,
      text: `${c.campaign}: ${metric} ${formatRate(rate)} is above ${formatPercentThreshold(threshold)} (${c.invalidAddress} invalid, ${c.bounced} bounced of ${c.sent ?? '?'} sent)`,
      campaign: c.campaign ?? '',
    });
  }
  const failsOnUnknown = report.failOn.includes('unknown');
  for (const w of result.warnings) {
    if (w.code === 'unknown-sent') {
      (failsOnUnknown ? errors : warnings).push({
        title: `bounce-audit: ${w.campaign}`,
        text: `${w.campaign}: the number of messages sent is unknown (the log holds only bounces), so its rate is not judged. Give it with --sent "${w.campaign}=N"${failsOnUnknown ? '' : ', or make this fail CI with --fail-on unknown'}.`,
        campaign: w.campaign,
      });
    } else {
      warnings.push({ title: 'bounce-audit: input', text: warningText(w) ?? '', campaign: w.file });
    }
  }
  lines.push(...capped('error', errors), ...capped('warning', warnings));
  return lines;
}

interface Annotation {
  title: string;
  text: string;
  /** What the summary line names when annotations are left out. */
  campaign: string;
}

/** At most MAX_ANNOTATIONS of one kind; when there are more, the last one names the rest. */
function capped(cmd: 'error' | 'warning', all: readonly Annotation[]): string[] {
  const limit = all.length > MAX_ANNOTATIONS ? MAX_ANNOTATIONS - 1 : MAX_ANNOTATIONS;
  const out = all.slice(0, limit).map((a) => `::${cmd} title=${escapeProperty(a.title)}::${escapeData(a.text)}`);
  if (all.length > limit) {
    const rest = all.slice(limit).map((a) => a.campaign);
    out.push(`::${cmd} title=bounce-audit::${escapeData(`${rest.length} more ${cmd === 'error' ? 'errors' : 'warnings'}: ${rest.slice(0, 20).join(', ')}${rest.length > 20 ? ', …' : ''} (see the step summary)`)}`);
  }
  return out;
}

/**
 * `$GITHUB_OUTPUT` lines: the totals' invalid-address and bounce rates (percent; empty when any
 * campaign's number sent is unknown, never a rate over a guessed denominator), the worst
 * verdict, the addresses in the suppression CSV.
 */
export function githubOutputs(report: Report): string {
  const { result } = report;
  const known = result.totals.sent !== null;
  const pct = (rate: number | null): string => (rate === null || !known ? '' : (rate * 100).toFixed(2));
  return [
    `invalid_address_rate=${pct(result.totals.invalidAddressRate)}`,
    `bounce_rate=${pct(result.totals.bounceRate)}`,
    `status=${worstVerdict(result.campaigns.map((c) => c.status))}`,
    `suppressed=${report.outputs.suppressionAddresses}`,
    '',
  ].join('\n');
}
