/**
 * Validate raw command-line values into typed options, or throw a UsageError.
 * Pure: the CLI passes in what commander parsed; defaults come from src/defaults.ts.
 */
import { UsageError } from '../errors.js';
import { DEFAULTS, type Thresholds } from '../defaults.js';
import type { SentOption } from '../audit.js';
import type { ColumnOverrides } from '../input/columns.js';
import { ENCODINGS, parseEncoding, type Encoding } from '../input/decode.js';
import { INPUT_FORMAT_NAMES, parseInputFormat } from '../input/open-input.js';
import type { FormatId } from '../input/row.js';
import { POLICY_DOCS, type Policies } from '../classify/policies.js';
import { PROFILES } from '../suppression/profiles.js';
import { BREAKDOWNS, type Breakdown } from '../count/breakdowns.js';
import type { OutputOptions } from '../outputs.js';
import { FAIL_LEVELS, type FailLevel, type FailOn } from '../count/verdict.js';
import { DATE_ORDERS, type DateOrder } from '../input/date-order.js';

/** Report formats on standard output (`--format`). */
export const REPORT_FORMATS = ['human', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What commander hands over (strings as typed by the user). */
export interface RawOptions {
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
  inputFormat?: string;
  encoding?: string;
  sourceColumn?: string;
  suppressUnverified?: boolean;
  profile?: string;
  merge?: string;
  clean?: string;
  cleanOut?: string;
  rowsOut?: string;
  explain?: boolean;
  by?: string[];
  format?: string;
  failOn?: string;
  threads?: string;
  lockWait?: string;
  allRowsBounced?: boolean;
  dateOrder?: string;
  /** Policy flags by their option key (e.g. disabledMailbox for --disabled-mailbox). */
  [policy: string]: unknown;
}

/** Every option of an audit run; the outputs' own (paths, profile, lock wait) come from OutputOptions. */
export interface CliOptions extends OutputOptions {
  inputs: string[];
  outIsDefault: boolean;
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
  /** null = detect per input. */
  inputFormat: FormatId | null;
  /** null = sniff per input. */
  encoding: Encoding | null;
  sourceColumn: string | null;
  suppressUnverified: boolean;
  by: Breakdown[];
  /** Report format on standard output. */
  format: ReportFormat;
  /** Verdicts that exit 1 (`fail` always). */
  failOn: FailOn;
  /** `--all-rows-bounced`: the user vouches that every row of a file that does not say so is a bounce. */
  allRowsBounced: boolean;
  /** `--date-order`: how numeric day/month dates are read; null decides per date column from its values. */
  dateOrder: DateOrder | null;
  /** `--threads`: threads for reading one large CSV file; null = the CLI decides from the CPU count. */
  threads: number | null;
}

export function percent(flag: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt / 100;
  const s = raw.trim().replace(/%$/, '');
  const n = Number(s);
  if (s === '' || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`${flag} takes a percentage between 0 and 100, got "${raw}"`);
  }
  return n / 100;
}

export function count(flag: string, raw: string, allowZero: boolean): number {
  const s = raw.trim().replace(/[_,]/g, '');
  if (!/^\d+$/.test(s) || (!allowZero && Number(s) === 0) || !Number.isSafeInteger(Number(s))) {
    throw new UsageError(`${flag} takes a whole number${allowZero ? '' : ' above 0'}, got "${raw}"`);
  }
  return Number(s);
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const s = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`${flag} "${raw}" is not one of ${allowed.join(', ')}${didYouMean(s, allowed)}`);
  return s as T;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short strings. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * `; did you mean "hubspot"?` when one allowed value is close to what was typed (a typo, a
 * swapped pair of letters, a value cut short), else ''. Only one suggestion, and only a near one.
 */
export function didYouMean(typed: string, allowed: readonly string[]): string {
  const t = typed.trim().toLowerCase();
  if (t === '') return '';
  let best: string | null = null;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = a.startsWith(t) && t.length >= 3 ? 0.5 : distance(t, a);
    if (d < bestD) [best, bestD] = [a, d];
  }
  const limit = Math.max(1, Math.min(3, Math.floor(t.length / 3)));
  return best !== null && bestD <= limit ? `; did you mean "${best}"?` : '';
}

/** `--fail-on`: comma-separated or repeated verdicts; `fail` always exits 1. */
export function parseFailOn(raw: string | undefined): FailOn {
  const levels = new Set<FailLevel>(['fail']);
  for (const part of (raw ?? DEFAULTS.failOn).split(',')) {
    if (part.trim() === '') continue;
    levels.add(oneOf('--fail-on', part, FAIL_LEVELS));
  }
  return FAIL_LEVELS.filter((l) => levels.has(l));
}

function path(flag: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.trim() === '') throw new UsageError(`${flag} needs a path`);
  return raw;
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

/** A value parsed elsewhere, with a suggestion added to its usage error when the value is close to a known one. */
function withSuggestion<T>(parse: () => T, raw: string, known: readonly string[]): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`${err.message}${didYouMean(raw, known)}`);
    throw err;
  }
}

/** Default `--clean-out`: `leads.csv` → `leads.clean.csv` next to it. */
export function defaultCleanOut(leads: string): string {
  const m = /^(.*?)(\.[^./\\]+)?$/.exec(leads)!;
  return `${m[1]}.clean${m[2] ?? '.csv'}`;
}

function reportFormat(raw: RawOptions): ReportFormat {
  const format: ReportFormat = raw.format === undefined ? DEFAULTS.format : oneOf('--format', raw.format, REPORT_FORMATS);
  if (raw.json !== true) return format;
  if (raw.format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} ask for two report formats: give one`);
  return 'json';
}

function breakdowns(raw: RawOptions, sourceColumn: string | null): Breakdown[] {
  const by: Breakdown[] = [];
  for (const v of raw.by ?? []) {
    for (const part of v.split(',')) {
      if (part.trim() === '') continue;
      const b = oneOf('--by', part, BREAKDOWNS);
      if (!by.includes(b)) by.push(b);
    }
  }
  if (sourceColumn !== null && !by.includes('source')) by.push('source');
  return by;
}

function threadsOf(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > DEFAULTS.threadsLimit) {
    throw new UsageError(`--threads takes a whole number from 1 to ${DEFAULTS.threadsLimit}, got "${raw}"`);
  }
  return Number(s);
}

export function resolveOptions(inputs: readonly string[], raw: RawOptions): CliOptions {
  if (inputs.length === 0) throw new UsageError('no input file: give a CSV path, or - for standard input');
  if (inputs.filter((i) => i === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  const out = raw.out === false ? null : (raw.out ?? DEFAULTS.out);
  if (out === '') throw new UsageError('--out needs a path, - for standard output, or use --no-out');
  const format = reportFormat(raw);
  if (format === 'json' && out === '-') {
    throw new UsageError('--json and -o - both want standard output: write the suppression CSV to a file, or drop --json');
  }
  if (format === 'md' && out === '-') {
    throw new UsageError('--format md and -o - both want standard output: write the suppression CSV to a file');
  }
  const warnAbove = percent('--warn-above', raw.warnAbove, DEFAULTS.warnAbovePercent);
  const failAbove = percent('--fail-above', raw.failAbove, DEFAULTS.failAbovePercent);
  if (warnAbove > failAbove) {
    throw new UsageError(`--warn-above (${warnAbove * 100}) must not be above --fail-above (${failAbove * 100})`);
  }
  const minSent = raw.minSent === undefined ? DEFAULTS.minSent : count('--min-sent', raw.minSent, true);
  const columns: ColumnOverrides = {};
  if (raw.emailColumn !== undefined) columns.email = raw.emailColumn;
  if (raw.statusColumn !== undefined) columns.status = raw.statusColumn;
  if (raw.diagnosticColumn !== undefined) columns.diagnostic = raw.diagnosticColumn;
  if (raw.campaignColumn !== undefined) columns.campaign = raw.campaignColumn;
  if (raw.dateColumn !== undefined) columns.date = raw.dateColumn;
  const campaign = raw.campaign?.trim() ?? null;
  if (campaign === '') throw new UsageError('--campaign needs a name');
  const sourceColumn = raw.sourceColumn === undefined ? null : raw.sourceColumn;
  if (sourceColumn !== null && sourceColumn.trim() === '') throw new UsageError('--source-column needs a column name');
  const clean = path('--clean', raw.clean);
  const cleanOut = path('--clean-out', raw.cleanOut);
  if (cleanOut !== null && clean === null) throw new UsageError('--clean-out needs --clean <leads.csv>');
  const cleanTarget = clean === null ? null : (cleanOut ?? defaultCleanOut(clean));
  if (clean !== null && cleanTarget === clean) throw new UsageError('--clean-out must not be the lead list itself: write the cleaned list to a new file');
  if (raw.explain === true && raw.rowsOut === undefined) {
    throw new UsageError('--explain adds columns to the rows CSV: give --rows-out <path> too (or use "bounce-audit explain" for one reply)');
  }
  return {
    inputs: [...inputs],
    out,
    thresholds: { warnAbove, failAbove, minSent },
    sent: parseSent(raw.sent ?? []),
    campaign,
    columns,
    quiet: raw.quiet === true,
    noColor: raw.color === false,
    debug: raw.debug === true,
    policies: resolvePolicyFlags(raw),
    inputFormat: raw.inputFormat === undefined ? null : withSuggestion(() => parseInputFormat(raw.inputFormat!), raw.inputFormat, INPUT_FORMAT_NAMES),
    encoding: raw.encoding === undefined ? null : withSuggestion(() => parseEncoding(raw.encoding!), raw.encoding, ENCODINGS),
    sourceColumn,
    suppressUnverified: raw.suppressUnverified === true,
    profile: raw.profile === undefined ? DEFAULTS.profile : oneOf('--profile', raw.profile, PROFILES),
    merge: path('--merge', raw.merge),
    clean,
    cleanOut: cleanTarget,
    rowsOut: path('--rows-out', raw.rowsOut),
    explain: raw.explain === true,
    by: breakdowns(raw, sourceColumn),
    format,
    failOn: parseFailOn(raw.failOn),
    threads: threadsOf(raw.threads),
    lockWaitMs: 1000 * (raw.lockWait === undefined ? DEFAULTS.lockWaitSeconds : count('--lock-wait', raw.lockWait, true)),
    outIsDefault: raw.out === undefined || raw.out === DEFAULTS.out,
    allRowsBounced: raw.allRowsBounced === true,
    dateOrder: raw.dateOrder === undefined || raw.dateOrder.trim().toLowerCase() === 'auto' ? null : oneOf('--date-order', raw.dateOrder, DATE_ORDERS),
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
      throw new UsageError(`${doc.flag} takes one of ${doc.choices.join(', ')}; got "${String(value)}"${didYouMean(String(value), doc.choices)}`);
    }
    out[key] = value;
  }
  return out as Partial<Policies>;
}
