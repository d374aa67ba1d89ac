/**
 * GitHub Actions output, as pure functions: workflow-command annotations and `$GITHUB_OUTPUT`
 * lines. The CLI decides whether it runs in Actions (GITHUB_ACTIONS=true) and writes them.
 *
 * GitHub shows at most 10 error and 10 warning annotations per step: at most one per campaign
 * (never per row), capped at MAX_ANNOTATIONS of each kind, and one notice summarising the rest.
 */
import type { AuditResult } from '../audit.js';
import { formatPercentThreshold, formatRate } from './text.js';
import type { OutputInfo } from './json.js';

export const MAX_ANNOTATIONS = 10;

/** Escape the message part of a workflow command (GitHub's toolkit escapes %, CR and LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
/** Escape a property value (also ':' and ','). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotations(result: AuditResult, out: OutputInfo): string[] {
  const lines: string[] = [];
  const t = out.thresholds;
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

/** `$GITHUB_OUTPUT` lines: the totals' gate rate (percent), the worst status, suppressed count. */
export function githubOutputs(result: AuditResult, suppressed: number): string {
  const has = (s: string): boolean => result.campaigns.some((c) => c.status === s);
  const worst = has('fail') ? 'fail' : has('warn') ? 'warn' : has('ok') ? 'ok' : 'unknown';
  const rate = result.totals.invalidAddressRate;
  return [
    `invalid_address_rate=${rate === null ? '' : (rate * 100).toFixed(2)}`,
    `status=${worst}`,
    `suppressed=${suppressed}`,
    '',
  ].join('\n');
}
