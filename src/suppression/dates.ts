/**
 * Bounce dates: reading the date formats logs carry, showing them in ISO 8601, and the one rule
 * for which bounce of an address is the earliest and which the latest.
 */
/**
 * Milliseconds since the epoch for the date formats bounce logs carry: ISO 8601, RFC 2822,
 * "YYYY-MM-DD HH:MM:SS", and unix seconds or milliseconds. NaN when unrecognised.
 */
export function parseLogDate(raw: string): number {
  const s = raw.trim();
  if (s === '') return NaN;
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
