/**
 * Validate raw command-line values into typed audit options, or throw a UsageError.
 * Pure: the CLI passes in what commander parsed and the bits of environment that matter.
 */
import { UsageError } from '../errors.js';
import type { Thresholds } from '../count/campaigns.js';
import type { SentOption } from '../audit.js';
import type { ColumnOverrides } from '../input/columns.js';
import { resolveExtraOptions, type ExtraOptions, type ExtraRawOptions } from './options-extra.js';
import { POLICY_DOCS, type Policies } from '../classify/policies.js';

/** What commander hands over (strings as typed by the user). */
export interface RawOptions extends ExtraRawOptions {
  out?: string | false;
  json?: boolean;
  warnAbove?: string;
  failAbove?: string;
  minSent?: string;
  sent?: string[];
  campaign?: string;
  emailColumn?: string;
  statusColumn?: string;
  diagnosticColumn?: string;
  campaignColumn?: string;
  dateColumn?: string;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  /** Policy flags by their option key (e.g. disabledMailbox for --disabled-mailbox). */
  [policy: string]: unknown;
}

export interface CliOptions extends ExtraOptions {
  inputs: string[];
  /** Suppression CSV target: a path, '-' for stdout, or null for none. */
  out: string | null;
  json: boolean;
  thresholds: Thresholds;
  sent: SentOption;
  campaign: string | null;
  columns: ColumnOverrides;
  quiet: boolean;
  /** --no-color was given (NO_COLOR and TTY state are decided in the CLI). */
  noColor: boolean;
  debug: boolean;
  /** Policies for ambiguous replies: only the ones the user set (the classifier fills in the defaults). */
  policies: Partial<Policies>;
}

export const DEFAULT_OUT = 'suppression.csv';

function percent(flag: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt / 100;
  const s = raw.trim().replace(/%$/, '');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`${flag} takes a percentage between 0 and 100, got "${raw}"`);
  }
  return n / 100;
}

function count(flag: string, raw: string, allowZero: boolean): number {
  const s = raw.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(s) || (!allowZero && Number(s) === 0) || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`${flag} takes a whole number${allowZero ? '' : ' above 0'}, got "${raw}"`);
  }
  return Number(s);
}

/** `--sent Q3=250` (repeatable) or a bare `--sent 250`. The last '=' splits, so names may contain '='. */
export function parseSent(values: readonly string[]): SentOption {
  const byCampaign = new Map<string, number>();
  let bare: number | null = null;
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq < 0) {
      if (bare !== null) throw new UsageError('--sent without a campaign name may be given once');
      bare = count('--sent', v, false);
      continue;
    }
    const name = v.slice(0, eq).trim();
    if (name === '') throw new UsageError(`--sent "${v}": the campaign name before "=" is empty`);
    if (byCampaign.has(name)) throw new UsageError(`--sent names campaign "${name}" twice`);
    byCampaign.set(name, count(`--sent ${name}=`, v.slice(eq + 1), false));
  }
  if (bare !== null && byCampaign.size > 0) {
    throw new UsageError('--sent: give either one bare count (single-campaign input) or NAME=N pairs, not both');
  }
  return { byCampaign, bare };
}

export function resolveOptions(inputs: readonly string[], raw: RawOptions): CliOptions {
  if (inputs.length === 0) throw new UsageError('no input file: give a CSV path, or - for standard input');
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  const out = raw.out === false ? null : (raw.out ?? DEFAULT_OUT);
  if (out === '') throw new UsageError('--out needs a path, - for standard output, or use --no-out');
  const extra = resolveExtraOptions(raw, raw.json === true);
  const json = extra.format === 'json';
  if (json && out === '-') {
    throw new UsageError('--json and -o - both want standard output: write the suppression CSV to a file, or drop --json');
  }
  if (extra.format === 'md' && out === '-') {
    throw new UsageError('--format md and -o - both want standard output: write the suppression CSV to a file');
  }
  const warnAbove = percent('--warn-above', raw.warnAbove, 2);
  const failAbove = percent('--fail-above', raw.failAbove, 5);
  if (warnAbove > failAbove) {
    throw new UsageError(`--warn-above (${warnAbove * 100}) must not be above --fail-above (${failAbove * 100})`);
  }
  const minSent = raw.minSent === undefined ? 100 : count('--min-sent', raw.minSent, true);
  const columns: ColumnOverrides = {};
  if (raw.emailColumn !== undefined) columns.email = raw.emailColumn;
  if (raw.statusColumn !== undefined) columns.status = raw.statusColumn;
  if (raw.diagnosticColumn !== undefined) columns.diagnostic = raw.diagnosticColumn;
  if (raw.campaignColumn !== undefined) columns.campaign = raw.campaignColumn;
  if (raw.dateColumn !== undefined) columns.date = raw.dateColumn;
  const campaign = raw.campaign?.trim() ?? null;
  if (campaign === '') throw new UsageError('--campaign needs a name');
  return {
    inputs: [...inputs],
    out,
    json,
    thresholds: { warnAbove, failAbove, minSent },
    sent: parseSent(raw.sent ?? []),
    campaign,
    columns,
    quiet: raw.quiet === true,
    noColor: raw.color === false,
    debug: raw.debug === true,
    policies: resolvePolicyFlags(raw),
    ...extra,
  };
}

/** commander's camelCase key for a policy flag: --full-mailbox-5xx → fullMailbox5xx. */
export function policyOptionKey(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The policy flags the user gave, validated; the classifier fills in the rest from its defaults. */
export function resolvePolicyFlags(raw: Record<string, unknown>): Partial<Policies> {
  const out: Partial<Record<keyof Policies, string>> = {};
  for (const key of Object.keys(POLICY_DOCS) as (keyof Policies)[]) {
    const doc = POLICY_DOCS[key];
    const value = raw[policyOptionKey(doc.flag)];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !(doc.choices as readonly string[]).includes(value)) {
      throw new UsageError(`${doc.flag} takes one of ${doc.choices.join(', ')}; got "${String(value)}"`);
    }
    out[key] = value;
  }
  return out as Partial<Policies>;
}
