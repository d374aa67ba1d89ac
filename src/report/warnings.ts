/** The audit's warnings (coded data, see AuditWarning in src/audit.ts) in words, for every renderer. */
import type { AuditWarning, RejectReason } from '../audit.js';
import { formatCount, formatRate } from './text.js';
import { plural, rejectName } from './names.js';

/** A warning in words, or null for those the report shows elsewhere. */
export function warningText(w: AuditWarning): string | null {
  switch (w.code) {
    case 'many-rejected': {
      const reasons = (Object.entries(w.byReason) as [RejectReason, number][]).map(([r, n]) => `${rejectName(r)} ${formatCount(n)}`).join(', ');
      return `${formatRate(w.share)} of the rows of ${w.file} (${formatCount(w.rejected)} of ${formatCount(w.rows)}) could not be counted (${reasons}): check the file's format and columns before trusting these numbers.`;
    }
    case 'dates-unread': {
      const why =
        w.decidedBy === 'conflict'
          ? 'its values are written both day-first and month-first'
          : w.decidedBy === 'ambiguous'
            ? 'no value shows whether the day or the month comes first'
            : "they contradict the column's order";
      return `${plural(w.keptRaw, 'date')} in ${w.file}${w.column ? ` (column ${w.column})` : ''} kept as written: ${why}. Give --date-order day-first or month-first to read them.`;
    }
    case 'no-bounced-leads':
      return `none of the ${plural(w.rows, 'lead')} in ${w.file} is marked bounced: unless the list is that clean, the export lacks the column that says so (a lead status or bounce column), and 0 % is not its bounce rate.`;
    case 'unknown-sent':
      return null;
  }
}

