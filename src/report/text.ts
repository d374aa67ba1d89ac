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

/**
 * Characters a terminal would act on instead of showing: C0 and C1 controls (ESC starts the
 * sequences that clear the screen or set the window title, BEL rings), DEL, and the
 * bidirectional embeddings, overrides and isolates that reorder what follows.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Text from the input shown on a terminal: each unsafe character as a visible escape (`\x1B`, `\u202E`). */
export function terminalText(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${n.toString(16).toUpperCase()}`;
  });
}

/**
 * A copy of plain data (a report) with every string, object keys included, passed through
 * terminalText: campaign names, file names, reply texts and domains are input text, and a
 * renderer that prints them needs not know which of its strings came from where.
 */
export function terminalSafe<T>(value: T): T {
  if (typeof value === 'string') return terminalText(value) as T;
  if (Array.isArray(value)) return value.map(terminalSafe) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, terminalText(k), { value: terminalSafe(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}

/** The rate a verdict judged: the invalid-address rate, or the bounce rate marked as such. */
export function gateRate(s: Pick<GatedSummary, 'gateMetric' | 'bounceRate' | 'invalidAddressRate'>): string {
  if (s.gateMetric !== 'bounced') return formatRate(s.invalidAddressRate);
  return s.bounceRate === null ? formatRate(null) : `${formatRate(s.bounceRate)} bounced`;
}
