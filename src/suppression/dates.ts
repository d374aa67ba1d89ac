/**
 * Bounce dates: reading the date formats logs carry, showing them in ISO 8601, and the one rule
 * for which bounce of an address is the earliest and which the latest.
 */
/** How a numeric day/month date is read: `02/09/2025` is 2 September day-first, 9 February month-first. */
export type DateOrder = 'day-first' | 'month-first';

/**
 * A numeric date with day and month in either order and a 2- or 4-digit year: `02.09.2025`,
 * `2/9/25`, `02-09-2025`, optionally followed by a time (`14:30`, `2:30:05 PM`). Groups: first
 * field, second field, year, hour, minute, second, am/pm.
 */
export const NUMERIC_DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([ap]\.?m\.?)?)?$/i;

/**
 * Milliseconds (UTC, as a date without a zone is read everywhere in this tool) of a numeric
 * day/month date read in `order`; NaN when the text is not one, or names no real day in that order.
 */
export function parseNumericDate(raw: string, order: DateOrder): number {
  const m = NUMERIC_DATE.exec(raw.trim());
  if (!m) return NaN;
  const [a, b] = [Number(m[1]), Number(m[3])];
  const [day, month] = order === 'day-first' ? [a, b] : [b, a];
  let year = Number(m[4]);
  if (m[4]!.length === 2) year += 2000;
  let hour = m[5] === undefined ? 0 : Number(m[5]);
  const minute = m[6] === undefined ? 0 : Number(m[6]);
  const second = m[7] === undefined ? 0 : Number(m[7]);
  const half = m[8]?.toLowerCase().replace(/\./g, '');
  if (half !== undefined) {
    if (hour < 1 || hour > 12) return NaN;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 September over into October: a day the month does not have is not a date.
  return new Date(ms).getUTCDate() === day ? ms : NaN;
}

/**
 * Milliseconds since the epoch for the date formats bounce logs carry: ISO 8601, RFC 2822,
 * "YYYY-MM-DD HH:MM:SS", and unix seconds or milliseconds. NaN when unrecognised. A numeric
 * day/month date (`02/09/2025`) is read only in a given `order`: which order a file uses is
 * decided per date column by the reader (src/input/date-order.ts), never guessed per value.
 */
export function parseLogDate(raw: string, order: DateOrder | null = null): number {
  const s = raw.trim();
  if (s === '') return NaN;
  if (NUMERIC_DATE.test(s)) return order === null ? NaN : parseNumericDate(s, order);
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{12,13}$/.test(s)) return Number(s);
  // "2024-05-01 10:00:00" without a zone is read as UTC so results do not depend on the machine.
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(s);
  if (m) return Date.parse(`${m[1]}T${m[2]}Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`);
  return Date.parse(s);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
/** Earliest and latest time (ms) whose ISO form has a four-digit year. */
const ISO_MIN = -62167219200000;
const ISO_MAX = 253402300799999;
const DAY_MS = 86_400_000;
/** The day isoOf formatted last, and its `YYYY-MM-DDT` text: bounce times come in runs of one day. */
let isoDay = NaN;
let isoDayText = '';

/**
 * `new Date(ms).toISOString()` without a Date object: ~75 ns instead of ~420 ns per call
 * (`node bench/micro.mjs`), for the two times on every suppression CSV line. Years 0–9999; other
 * times and fractions of a millisecond go to Date. A property test compares the two.
 */
export function isoOf(ms: number): string {
  if (!Number.isInteger(ms) || ms < ISO_MIN || ms > ISO_MAX) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rem = ms - days * DAY_MS;
  if (days !== isoDay) {
    // Civil date from days since 1970-01-01 in the proleptic Gregorian calendar, by 400-year eras.
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    isoDay = days;
    isoDayText = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T`;
  }
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const sec = Math.floor(rem / 1000);
  return `${isoDayText}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rem - sec * 1000)}Z`;
}

/**
 * The earliest-bounce rule, used wherever two bounces of one address meet (the run's list, lists
 * from other threads, the account-wide list): a known time before the one held (or none held yet)
 * takes over; a tie keeps the bounce seen first, so re-running an audit changes nothing.
 */
export const isEarlier = (ms: number, held: number): boolean => !Number.isNaN(ms) && (Number.isNaN(held) || ms < held);
/** The latest-bounce rule: a known time after the one held (or none held yet). */
export const isLater = (ms: number, held: number): boolean => !Number.isNaN(ms) && (Number.isNaN(held) || ms > held);
