/**
 * The JSON report (schemaVersion 1), a pure function of the report data. Field names are a
 * contract (docs/json-report.md); new fields may be added, none is renamed or removed.
 */
import type { IncidentSummary, InputSummary, AuditResult } from '../audit.js';
import type { Thresholds } from '../defaults.js';
import type { FailOn, GatedSummary } from '../count/verdict.js';
import type { BreakdownSummary } from '../count/breakdowns.js';
import type { Profile } from '../suppression/profiles.js';
import type { MergeStats } from '../suppression/merge.js';
import type { CleanStats } from '../suppression/clean.js';
import type { Report } from './report.js';

export const SCHEMA_VERSION = 1;

export interface JsonReport {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'bounce-audit'; version: string };
  /** Thresholds as fractions (0.02 = 2 %) and the smallest volume judged. */
  thresholds: Thresholds;
  /** One entry per input file, in the order given. */
  inputs: InputSummary[];
  /** One entry per campaign, by name. */
  campaigns: GatedSummary[];
  /** The same fields over all campaigns (campaign: null); sent is null if any campaign's is. */
  totals: GatedSummary;
  /** Data rows read and rejected (rows.read = the campaigns' rows summed + rows.rejected). */
  rows: AuditResult['rows'];
  /** Where the suppression CSV went (null with --no-out, "-" for stdout) and how many addresses it holds. */
  suppression: { path: string | null; addresses: number };
  /** Receivers that answered "no such user" far more often than the campaign's other receivers. */
  incidents: IncidentSummary[];
  /** The run's exit code: 0, or 1 when a campaign's verdict reaches --fail-on. */
  exitCode: number;
  /** Bounces with no reply text (a platform's "bounced"/"cleaned" only), and whether they were suppressed. */
  unverified: AuditResult['unverified'];
  /** The suppression CSV's shape (--profile). */
  profile: Profile;
  /** --by breakdowns. */
  breakdowns: BreakdownSummary[];
  /** The account-wide list (--merge); null without it. */
  merge: MergeStats | null;
  /** The cleaned lead list (--clean); null without it. */
  clean: CleanStats | null;
  /** The rows CSV (--rows-out); null without it. */
  rowsOut: { path: string; rows: number } | null;
  /** What the reader must see besides the figures (many rejected rows, unread dates, unknown volumes), as codes with their data. */
  warnings: AuditResult['warnings'];
  /** The verdicts that exit 1 (--fail-on): `fail`, and `warn` or `unknown` when asked for. */
  failOn: FailOn;
}

export function toJsonReport(r: Report): JsonReport {
  const { result, outputs } = r;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'bounce-audit', version: r.version },
    thresholds: r.thresholds,
    inputs: result.inputs,
    campaigns: result.campaigns,
    totals: result.totals,
    rows: result.rows,
    suppression: { path: outputs.suppressionPath, addresses: result.suppressedAddresses },
    incidents: result.incidents,
    exitCode: r.exitCode,
    unverified: result.unverified,
    profile: outputs.profile,
    breakdowns: result.breakdowns,
    merge: outputs.merge,
    clean: outputs.clean,
    rowsOut: outputs.rowsOut,
    warnings: result.warnings,
    failOn: r.failOn,
  };
}

export function renderJson(r: Report): string {
  return `${JSON.stringify(toJsonReport(r), null, 2)}\n`;
}
