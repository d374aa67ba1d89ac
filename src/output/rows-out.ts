/**
 * `--rows-out`: every input row, skipped ones too, with what the audit made of it, so a user can
 * join the verdicts back to the original file on `file` and `line`. `--explain` adds why.
 */
import type { RowEvent } from '../count/tally.js';
import { parseStatus } from '../classify/parse-status.js';
import { ruleSource } from '../classify/rules.js';
import { ACTIONS } from '../classify/actions.js';

/** `--rows-out` columns: where the row came from, what it said, and what we made of it. */
export const ROWS_OUT_COLUMNS = [
  'file',
  'line',
  'email',
  'campaign',
  'date',
  'status',
  'diagnostic',
  'source',
  'platform_hint',
  'basic_code',
  'enhanced_code',
  'outcome',
  'bucket',
  'reason',
  'rule_id',
  'receiver',
  'suppressed',
  'skipped',
] as const;

/** Position of the `email` column, which holds the normalised address when there is one. */
export const ROWS_OUT_EMAIL = ROWS_OUT_COLUMNS.indexOf('email');

/** Columns --explain adds: why each row got its verdict, and what to do. */
export const EXPLAIN_COLUMNS = ['rule_source', 'guard', 'action'] as const;

export function rowsOutHeader(explain: boolean): string[] {
  return explain ? [...ROWS_OUT_COLUMNS, ...EXPLAIN_COLUMNS] : [...ROWS_OUT_COLUMNS];
}

export function rowsOutRecord(e: RowEvent, explain: boolean): string[] {
  const r = e.row;
  const parsed = r ? parseStatus(r.status, r.diagnostic) : null;
  const record = [
    e.file,
    String(e.line),
    e.email ?? r?.email ?? '',
    e.campaign ?? '',
    r?.date ?? '',
    r?.status ?? '',
    (r?.diagnostic ?? '').replace(/\s+/g, ' ').trim(),
    r?.source ?? '',
    r?.hint?.reason ?? '',
    parsed?.basic ?? '',
    parsed?.enhanced ?? '',
    e.cls ? e.cls.outcome : '',
    e.cls ? (e.cls.bucket ?? '') : '',
    e.cls?.reason ?? '',
    e.cls?.ruleId ?? '',
    e.cls?.receiver ?? '',
    e.suppressed ? 'yes' : 'no',
    e.skip ?? '',
  ];
  return explain ? [...record, ...explainRecord(e)] : record;
}

function explainRecord(e: RowEvent): string[] {
  if (!e.cls) return ['', '', ''];
  const id = e.cls.ruleId;
  const source = ruleSource(id) ?? (id.startsWith('hint') ? `the platform's own bounce type (${id.replace(/^[^:]*:/, '')}), no decisive reply text` : '');
  return [source, e.cls.guard ?? '', ACTIONS[e.cls.bucket ?? 'delivered']];
}
