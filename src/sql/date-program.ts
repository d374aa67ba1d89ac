/**
 * Bounce dates (suppression/dates.ts) as decision programs, so that the SQL decides which bounce of an
 * address is the earliest as the CLI does, and shows the times as it does.
 *
 * DATE_PROGRAM reads what parseLogDate reads: unix seconds (9–10 digits, with a fraction) and
 * milliseconds (12–13 digits); "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.fff]]" (UTC); the same with a "Z" or
 * an offset ("+HH:MM", "+HHMM", and after a space "+HH", which is how Postgres, DuckDB and BigQuery write a
 * TIMESTAMP WITH TIME ZONE as text), checked as JavaScript's Date.parse checks them (month 1–12, day 1–31
 * rolled over into the next month, hour 0–24 with "24:00" only on the hour). Other forms Date.parse accepts
 * (RFC 2822 "Tue, 06 Oct 2026 09:14:02 +0000" and the like) are unknown to the SQL, as are years 0–99
 * written with a space and a zone (Date.parse reads them as 1950–2049): docs/warehouse.md says so.
 *
 * ISO_PROGRAM writes a time the way isoOf does (YYYY-MM-DDTHH:MM:SS.mmmZ).
 */
import {
  ProgramBuilder,
  and,
  arith,
  caseOf,
  cmp,
  coalesce,
  concat,
  extract,
  int,
  intText,
  isNull,
  not,
  notNull,
  or,
  replace,
  round,
  str,
  test,
  toFloat,
  toInt,
  type Expr,
  type Program,
} from '../classify/program.js';

const DAY_MS = 86_400_000;
const UNIX_SECONDS = /^\d{9,10}(?:\.\d+)?$/;
const UNIX_MS = /^\d{12,13}$/;
/** Date, optional time, optional zone; group numbers are read one extraction at a time. */
const ISO = String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$`;
const part = (i: number): RegExp => {
  // The i-th group of ISO as the one capturing group of a pattern.
  let n = 0;
  return new RegExp(ISO.replace(/\((?!\?)/g, () => (++n === i ? '(' : '(?:')));
};

const add = (a: Expr, b: Expr): Expr => arith('+', a, b);
const sub = (a: Expr, b: Expr): Expr => arith('-', a, b);
const mul = (a: Expr, b: Expr): Expr => arith('*', a, b);
const div = (a: Expr, b: Expr): Expr => arith('div', a, b);
const digits = (x: Expr): Expr => toInt(coalesce(x, str('0')));

/** Days since 1970-01-01 of a civil date (proleptic Gregorian; d may run past the month's end). */
function daysFromCivil(y: Expr, m: Expr, d: Expr): Expr {
  const march = cmp('<=', m, int(2));
  const yy = caseOf([[march, sub(y, int(1))]], y);
  const era = div(yy, int(400));
  const yoe = sub(yy, mul(era, int(400)));
  const mp = caseOf([[cmp('>', m, int(2)), sub(m, int(3))]], add(m, int(9)));
  const doy = add(div(add(mul(int(153), mp), int(2)), int(5)), sub(d, int(1)));
  const doe = add(sub(add(mul(yoe, int(365)), div(yoe, int(4))), div(yoe, int(100))), doy);
  return sub(add(mul(era, int(146_097)), doe), int(719_468));
}

function buildDateProgram(): Program {
  const b = new ProgramBuilder('log-date');
  const raw = b.input('text');
  const s = b.let('trimmed', replace(raw, /^\s+|\s+$/, ''));
  const g = (i: number): Expr => extract(s, part(i));
  const y = b.let('year', digits(g(1)));
  const mo = b.let('month', digits(g(2)));
  const d = b.let('day', digits(g(3)));
  const hh = b.let('hour', digits(g(4)));
  const mi = b.let('minute', digits(g(5)));
  const ss = b.let('second', digits(g(6)));
  // Milliseconds: the fraction's first three digits, padded on the right.
  const frac = b.let('millis', toInt(coalesce(extract(concat(coalesce(g(7), str('')), str('000')), /^(\d{3})/), str('0'))));
  const zoneGiven = b.let('zone_given', g(8));
  const zone = coalesce(zoneGiven, str('Z'));
  const offsetHours = digits(extract(zone, /^[+-](\d{2})/));
  const offsetMinutes = digits(extract(zone, /^[+-]\d{2}:?(\d{2})$/));
  const offsetSign = caseOf([[test(zone, /^-/), int(-1)]], int(1));
  const hasZone = not(test(zone, /^[Zz]$/));
  const spaced = test(s, /^\d{4}-\d{2}-\d{2} /);
  const validIso = and(
    test(s, new RegExp(ISO.replace(/\((?!\?)/g, '(?:'))),
    cmp('>=', mo, int(1)),
    cmp('<=', mo, int(12)),
    cmp('>=', d, int(1)),
    cmp('<=', d, int(31)),
    cmp('<=', mi, int(59)),
    cmp('<=', ss, int(59)),
    or(cmp('<', hh, int(24)), and(cmp('=', hh, int(24)), cmp('=', mi, int(0)), cmp('=', ss, int(0)), cmp('=', frac, int(0)))),
    cmp('<=', offsetMinutes, int(59)),
    // Without a zone, a time is UTC only after "T" or a space (Date.parse reads "…t09:00" as local time).
    not(and(test(s, /^\d{4}-\d{2}-\d{2}t/), isNull(zoneGiven))),
    // After "T", an offset has minutes and at most 23 hours (the ISO form). After a space Date.parse takes
    // its legacy path: any two-digit hour, minutes optional, and years 0–99 read as 1950–2049 (unknown here).
    or(spaced, not(hasZone), and(test(zone, /^[+-]\d{2}:?\d{2}$/), cmp('<=', offsetHours, int(23)))),
    not(and(spaced, notNull(zoneGiven), cmp('<', y, int(100)))),
  );
  const isoMs = sub(
    add(mul(daysFromCivil(y, mo, d), int(DAY_MS)), add(add(mul(hh, int(3_600_000)), mul(mi, int(60_000))), add(mul(ss, int(1000)), frac))),
    mul(offsetSign, add(mul(offsetHours, int(3_600_000)), mul(offsetMinutes, int(60_000)))),
  );
  const ms = caseOf(
    [
      [test(s, UNIX_SECONDS), round(mul(toFloat(s), int(1000)))],
      [test(s, UNIX_MS), toInt(s)],
      [validIso, isoMs],
    ],
    int(0),
  );
  const known = caseOf([[or(test(s, UNIX_SECONDS), test(s, UNIX_MS), validIso), str('yes')]], str('no'));
  return b.build({ known, ms, trimmed: s });
}

function buildIsoProgram(): Program {
  const b = new ProgramBuilder('iso-time');
  const ms = b.input('ms', 'int');
  const days = b.let('days', div(ms, int(DAY_MS)));
  const rem = b.let('rem', sub(ms, mul(days, int(DAY_MS))));
  // Civil date from days since 1970-01-01, by 400-year eras (as isoOf).
  const z = b.let('z', add(days, int(719_468)));
  const era = b.let('era', div(z, int(146_097)));
  const doe = b.let('doe', sub(z, mul(era, int(146_097))));
  const yoe = b.let('yoe', div(sub(add(sub(doe, div(doe, int(1460))), div(doe, int(36_524))), div(doe, int(146_096))), int(365)));
  const doy = b.let('doy', sub(doe, sub(add(mul(int(365), yoe), div(yoe, int(4))), div(yoe, int(100)))));
  const mp = b.let('mp', div(add(mul(int(5), doy), int(2)), int(153)));
  const day = add(sub(doy, div(add(mul(int(153), mp), int(2)), int(5))), int(1));
  const month = b.let('month', caseOf([[cmp('<', mp, int(10)), add(mp, int(3))]], sub(mp, int(9))));
  const year = add(add(yoe, mul(era, int(400))), caseOf([[cmp('<=', month, int(2)), int(1)]], int(0)));
  const h = div(rem, int(3_600_000));
  const m = div(arith('mod', rem, int(3_600_000)), int(60_000));
  const sec = div(arith('mod', rem, int(60_000)), int(1000));
  const milli = arith('mod', rem, int(1000));
  const iso = concat(
    intText(year, 4), str('-'), intText(month, 2), str('-'), intText(day, 2), str('T'),
    intText(h, 2), str(':'), intText(m, 2), str(':'), intText(sec, 2), str('.'), intText(milli, 3), str('Z'),
  );
  return b.build({ iso });
}

/** Input: text. Outputs: known ('yes'/'no'), ms (0 when unknown), trimmed (the text as shown when unknown). */
export const DATE_PROGRAM: Program = buildDateProgram();
/** Input: ms (int). Output: iso. */
export const ISO_PROGRAM: Program = buildIsoProgram();
