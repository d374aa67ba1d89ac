/** What every renderer is a pure function of: the audit's result and what the run did with it. */
import type { AuditResult } from '../audit.js';
import type { OutputsReport } from '../outputs.js';
import type { Thresholds } from '../defaults.js';
import type { FailOn } from '../count/verdict.js';

export interface Report {
  result: AuditResult;
  outputs: OutputsReport;
  version: string;
  thresholds: Thresholds;
  failOn: FailOn;
  exitCode: number;
}
