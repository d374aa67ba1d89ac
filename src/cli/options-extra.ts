/**
 * Options added for platform inputs, output profiles, merge/clean, breakdowns, Markdown and CI
 * (issue #4). Kept apart from options.ts so the two grow without merge conflicts. Pure.
 */
import { UsageError } from '../errors.js';
import { parseEncoding, type Encoding } from '../input/decode.js';
import { parseInputFormat } from '../input/open-input.js';
import type { FormatId } from '../input/row.js';

export const PROFILES = ['generic', 'hubspot', 'klaviyo', 'mailgun', 'instantly', 'smartlead', 'plain'] as const;
export type Profile = (typeof PROFILES)[number];

export const BREAKDOWNS = ['domain', 'source'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const REPORT_FORMATS = ['human', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ExtraRawOptions {
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
}

/** Most threads `--threads` accepts (one per part of a split input; see src/split.ts). */
export const MAX_THREADS = 16;

export interface ExtraOptions {
  /** null = detect per input. */
  inputFormat: FormatId | null;
  /** null = sniff per input. */
  encoding: Encoding | null;
  sourceColumn: string | null;
  suppressUnverified: boolean;
  profile: Profile;
  /** Account-wide suppression list read and updated in place. */
  merge: string | null;
  /** Lead list to clean, and where the cleaned copy goes. */
  clean: string | null;
  cleanOut: string | null;
  rowsOut: string | null;
  /** --explain: add each row's rule source, guard and recommended action to --rows-out. */
  explain: boolean;
  by: Breakdown[];
  /** Report format on standard output. */
  format: ReportFormat;
  /** Lowest verdict that exits 1. */
  failOn: 'warn' | 'fail';
  /** `--threads`: threads for reading one large CSV file; null = the CLI decides from the CPU count. */
  threads: number | null;
}

function oneOf<T extends string>(flag: string, raw: string, allowed: readonly T[]): T {
  const s = raw.trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`${flag} "${raw}" is not one of ${allowed.join(', ')}`);
  return s as T;
}

function path(flag: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (raw.trim() === '') throw new UsageError(`${flag} needs a path`);
  return raw;
}

/** Default `--clean-out`: `leads.csv` → `leads.clean.csv` next to it. */
export function defaultCleanOut(leads: string): string {
  const m = /^(.*?)(\.[^./\\]+)?$/.exec(leads)!;
  return `${m[1]}.clean${m[2] ?? '.csv'}`;
}

export function resolveExtraOptions(raw: ExtraRawOptions, jsonFlag: boolean): ExtraOptions {
  let format: ReportFormat = raw.format === undefined ? 'human' : oneOf('--format', raw.format, REPORT_FORMATS);
  if (jsonFlag) {
    if (raw.format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} ask for two report formats: give one`);
    format = 'json';
  }
  const by: Breakdown[] = [];
  for (const v of raw.by ?? []) {
    for (const part of v.split(',')) {
      if (part.trim() === '') continue;
      const b = oneOf('--by', part, BREAKDOWNS);
      if (!by.includes(b)) by.push(b);
    }
  }
  const sourceColumn = raw.sourceColumn === undefined ? null : raw.sourceColumn;
  if (sourceColumn !== null && sourceColumn.trim() === '') throw new UsageError('--source-column needs a column name');
  if (sourceColumn !== null && !by.includes('source')) by.push('source');
  const clean = path('--clean', raw.clean);
  const cleanOut = path('--clean-out', raw.cleanOut);
  if (cleanOut !== null && clean === null) throw new UsageError('--clean-out needs --clean <leads.csv>');
  const cleanTarget = clean === null ? null : (cleanOut ?? defaultCleanOut(clean));
  if (clean !== null && cleanTarget === clean) throw new UsageError('--clean-out must not be the lead list itself: write the cleaned list to a new file');
  return {
    inputFormat: raw.inputFormat === undefined ? null : parseInputFormat(raw.inputFormat),
    encoding: raw.encoding === undefined ? null : parseEncoding(raw.encoding),
    sourceColumn,
    suppressUnverified: raw.suppressUnverified === true,
    profile: raw.profile === undefined ? 'generic' : oneOf('--profile', raw.profile, PROFILES),
    merge: path('--merge', raw.merge),
    clean,
    cleanOut: cleanTarget,
    rowsOut: path('--rows-out', raw.rowsOut),
    explain: explainRows(raw),
    by,
    format,
    failOn: raw.failOn === undefined ? 'fail' : oneOf('--fail-on', raw.failOn, ['warn', 'fail'] as const),
    threads: threadsOf(raw.threads),
  };
}

function threadsOf(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const s = raw.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > MAX_THREADS) {
    throw new UsageError(`--threads takes a whole number from 1 to ${MAX_THREADS}, got "${raw}"`);
  }
  return Number(s);
}

function explainRows(raw: ExtraRawOptions): boolean {
  if (raw.explain !== true) return false;
  if (raw.rowsOut === undefined) {
    throw new UsageError('--explain adds columns to the rows CSV: give --rows-out <path> too (or use "bounce-audit explain" for one reply)');
  }
  return true;
}
