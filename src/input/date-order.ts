/**
 * The day/month order of an input's date column, decided from the column's own values.
 *
 * `02/09/2025` is 2 September in most of the world and 9 February in the US; spreadsheets write
 * whichever the machine's locale says, and nothing in the value tells which. So the order is a
 * property of the column, never of one value:
 *
 * - dotted dates (`02.09.2025`) are day-first (German, Swiss, Scandinavian, Russian locales);
 * - a first field above 12 (`13/09/2025`) proves day-first, a second field above 12
 *   (`09/13/2025`) proves month-first;
 * - one order is applied to the whole column; values that contradict it, and every numeric date
 *   of a column whose values prove neither order (or both), are kept as written and counted, and
 *   the report says so (`--date-order` decides them).
 *
 * The decision is made from the rows the reader samples before counting starts (the same rows
 * for one thread and for several, so the result does not depend on --threads).
 */
import { NUMERIC_DATE, isoOf, parseNumericDate, type DateOrder } from '../suppression/dates.js';

export type { DateOrder } from '../suppression/dates.js';
export const DATE_ORDERS: readonly DateOrder[] = ['day-first', 'month-first'];

/** How a column's order was decided. */
export type DateOrderEvidence =
  /** `--date-order`. */
  | 'flag'
  /** dotted dates, which are written day-first. */
  | 'dotted'
  /** a field above 12 in one position only. */
  | 'values'
  /** values prove both orders: the column mixes them. */
  | 'conflict'
  /** every numeric date could be read either way. */
  | 'ambiguous'
  /** the sampled rows hold no numeric day/month date. */
  | 'none';

export interface DateDecision {
  order: DateOrder | null;
  decidedBy: DateOrderEvidence;
}

/** The order a column's values prove (see the module comment). */
export function inferDateOrder(values: Iterable<string>): DateDecision {
  let numeric = 0;
  let dotted = false;
  let dayFirst = false;
  let monthFirst = false;
  for (const v of values) {
    const m = NUMERIC_DATE.exec(v.trim());
    if (!m) continue;
    numeric++;
    if (m[2] === '.') dotted = true;
    const [a, b] = [Number(m[1]), Number(m[3])];
    if (a > 12 && b <= 12) dayFirst = true;
    if (b > 12 && a <= 12) monthFirst = true;
  }
  if (numeric === 0) return { order: null, decidedBy: 'none' };
  if ((dayFirst || dotted) && monthFirst) return { order: null, decidedBy: 'conflict' };
  if (dayFirst) return { order: 'day-first', decidedBy: 'values' };
  if (monthFirst) return { order: 'month-first', decidedBy: 'values' };
  if (dotted) return { order: 'day-first', decidedBy: 'dotted' };
  return { order: null, decidedBy: 'ambiguous' };
}

/** Cheap test before the regex: a numeric date has a separator at index 1 or 2 (`2/9/25`, `02.09.2025`). */
function mayBeNumericDate(s: string): boolean {
  const c1 = s.charCodeAt(1);
  const c2 = s.charCodeAt(2);
  const sep = (c: number): boolean => c === 0x2e || c === 0x2f || c === 0x2d;
  return sep(c1) || sep(c2);
}

/**
 * A numeric day/month date in ISO 8601 form when the column's order reads it, else the text as
 * written (any other date format passes through unchanged, for the suppression list to read).
 */
export function normaliseDate(raw: string, order: DateOrder | null): string {
  if (order === null || raw.length < 6 || !mayBeNumericDate(raw.trimStart())) return raw;
  const ms = parseNumericDate(raw, order);
  return Number.isNaN(ms) ? raw : isoOf(ms);
}

/** Is this a numeric day/month date left as written (its order unknown, or contradicting the column's)? */
export function isUnreadNumericDate(date: string): boolean {
  return date.length >= 6 && mayBeNumericDate(date.trimStart()) && NUMERIC_DATE.test(date.trim());
}
