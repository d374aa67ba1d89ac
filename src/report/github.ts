/**
 * GitHub Actions output, as pure functions: workflow-command annotations and `$GITHUB_OUTPUT`
 * lines. The CLI decides whether it runs in Actions (GITHUB_ACTIONS=true) and writes them.
 *
 * GitHub shows at most 10 error and 10 warning annotations per step: at most one per campaign
 * (never per row), capped at MAX_ANNOTATIONS of each kind, and one notice summarising the rest.
 */
import { worstVerdict } from '../count/verdict.js';
import { formatPercentThreshold, formatRate } from './text.js';
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
  for (const kind of ['fail', 'warn'] as const) {
    const hit = result.campaigns.filter((c) => c.status === kind);
    const cmd = kind === 'fail' ? 'error' : 'warning';
    const limit = hit.length > MAX_ANNOTATIONS ? MAX_ANNOTATIONS - 1 : MAX_ANNOTATIONS;
    for (const c of hit.slice(0, limit)) {
      const metric = c.gateMetric === 'bounced' ? 'bounce rate' : 'invalid-address rate';
      const rate = c.gateMetric === 'bounced' ? c.bounceRate : c.invalidAddressRate;
      const threshold = kind === 'fail' ? t.failAbove : t.warnAbove;
      lines.push(
        `::${cmd} title=${escapeProperty(`bounce-audit: ${c.campaign ?? ''}`)}::${escapeData(
          `${c.campaign}: ${metric} ${formatRate(rate)} is above ${formatPercentThreshold(threshold)} (${c.invalidAddress} invalid, ${c.bounced} bounced of ${c.sent ?? '?'} sent)`,
        )}`,
      );
    }
    if (hit.length > limit) {
      const rest = hit.slice(limit).map((c) => c.campaign ?? '');
      lines.push(
        `::${cmd} title=bounce-audit::${escapeData(`${rest.length} more campaigns ${kind === 'fail' ? 'failed' : 'warned'}: ${rest.slice(0, 20).join(', ')}${rest.length > 20 ? ', …' : ''} (see the step summary)`)}`,
      );
    }
  }
  return lines;
}

/** `$GITHUB_OUTPUT` lines: the totals' gate rate (percent), the worst verdict, the addresses in the suppression CSV. */
export function githubOutputs(report: Report): string {
  const { result } = report;
  const rate = result.totals.invalidAddressRate;
  return [
    `invalid_address_rate=${rate === null ? '' : (rate * 100).toFixed(2)}`,
    `status=${worstVerdict(result.campaigns.map((c) => c.status))}`,
    `suppressed=${report.outputs.suppressionAddresses}`,
    '',
  ].join('\n');
}
