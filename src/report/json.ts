/**
 * The JSON report (schemaVersion 1), a pure function of the audit result. Documented in
 * the README; field names are a contract, new fields may be added.
 */
import type { AuditResult } from '../audit.js';
import type { Thresholds } from '../count/campaigns.js';
import type { ExtrasReport } from '../outputs.js';

export const SCHEMA_VERSION = 1;

/** Where the suppression list went: a path, "-" for stdout, or null when --no-out. */
export interface OutputInfo {
  suppressionPath: string | null;
  version: string;
  thresholds: Thresholds;
  exitCode: number;
  /** Outputs and breakdowns of issue #4 (profile, breakdowns, merge, clean, rowsOut). */
  extras?: ExtrasReport;
}

export function toJsonReport(result: AuditResult, out: OutputInfo): unknown {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'bounce-audit', version: out.version },
    thresholds: out.thresholds,
    inputs: result.inputs,
    campaigns: result.campaigns,
    totals: result.totals,
    rows: result.rows,
    suppression: { path: out.suppressionPath, addresses: result.suppression.size },
    incidents: result.incidents.map((i) => ({ ...i, suppressedAddresses: result.suppression.countIncident(i.campaign, i.receiver) })),
    exitCode: out.exitCode,
    unverified: result.unverified,
    ...(out.extras ?? {}),
  };
}

export function renderJson(result: AuditResult, out: OutputInfo): string {
  return `${JSON.stringify(toJsonReport(result, out), null, 2)}\n`;
}
