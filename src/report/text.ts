/** Small text helpers shared by the human-readable renderers. */
import type { GatedSummary } from '../count/verdict.js';

export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

export function formatCount(n: number | null): string {
  return n === null ? '?' : n.toLocaleString('en-US');
}

export function formatPercentThreshold(fraction: number): string {
  return `${Number((fraction * 100).toFixed(4))}%`;
}

/** Visible width, ignoring ANSI colour sequences. */
export function visibleWidth(s: string): number {
  // eslint-disable-next-line no-control-regex
  return [...s.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

/** A plain text table: first column left-aligned, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[], gap = 2): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - visibleWidth(cell));
          return i === 0 ? cell + pad : pad + cell;
        })
        .join(' '.repeat(gap))
        .trimEnd(),
    )
    .join('\n');
}

/** "a, b, c and 12 more": long lists of campaign names stay one readable line. */
export function listNames(names: readonly (string | null)[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${formatCount(names.length - max)} more` : shown;
}

/** The rate a verdict judged: the invalid-address rate, or the bounce rate marked as such. */
export function gateRate(s: Pick<GatedSummary, 'gateMetric' | 'bounceRate' | 'invalidAddressRate'>): string {
  if (s.gateMetric !== 'bounced') return formatRate(s.invalidAddressRate);
  return s.bounceRate === null ? formatRate(null) : `${formatRate(s.bounceRate)} bounced`;
}
