/**
 * Status-code parser: finds the RFC 5321 basic reply code (`[245]\d\d`, §4.2) and the RFC 3463 enhanced
 * status code (`class.subject.detail`, §2; any `[245].\d{1,3}.\d{1,3}`, registered or not) in a log row's
 * status column and diagnostic text.
 *
 * Shapes seen in real logs (all handled): `550 5.1.1 …`, `550-5.1.1 …` continuation lines flattened into one
 * string, `#5.1.1`, `(#5.1.1)`, `dsn=5.1.1`, `smtp; 550 …`, `Status: 5.1.1`, `ERROR_CODE :5.1.1`, a bare
 * `5.1.1` or `550`, and a status column holding a generic `5.0.0` while the text carries the real code.
 *
 * Things that look like codes and are not: IPv4 addresses (192.0.2.55), dotted dates (2024.05.01), times,
 * version numbers (v2.3.4, "version 4.94.2"), ports (:465), byte counts ("552 bytes"), Yahoo's
 * "4.16.55.1" tracking ids. The neighbour checks below reject a number glued to other digits, dots, letters
 * or a colon; a weak (context-free) candidate must also pass a plausibility check.
 *
 * Pure and deterministic; linear-time regexes only (no nested quantifiers).
 */
import type { ParsedStatus } from './types.js';

/** Texts longer than this are cut before parsing so one pathological row cannot stall a run. */
export const MAX_TEXT_LENGTH = 8192;

// Every pattern here is RE2-compatible (no lookaround, no backreference) so the same parse can run as SQL
// in engines whose regular expressions are RE2; the neighbour rules a lookaround would express are checked
// in code on the one character before and after a candidate (a SQL version consumes them as groups).
//
// Enhanced code `class.subject.detail`. Not glued to a word character, a dot or a slash on the left (IPs,
// versions, URLs), nor to a word character or ".digit" on the right (IPs, Yahoo's "4.16.55.1").
const ENHANCED_RE = /([245])\.(\d{1,3})\.(\d{1,3})/g;
const NOT_BEFORE_ENHANCED = /[\w./]/;
// Basic code: three digits not glued to word characters, dots, slashes, '#'/'=', '+', '-' on the left, nor to
// a colon that follows a digit or ']' (times, host:port); a colon after anything else is allowed
// ("ERROR_CODE :550"). On the right: no word character, dot, colon or slash, no "-dd" pair (dates such as
// 2024-05-01 written 550-01) and no ",digit".
const BASIC_RE = /[245]\d\d/g;
const FAILURE_ENHANCED_RE = /[45]\.\d{1,3}\.\d{1,3}/g;
const FAILURE_BASIC_RE = /[45]\d\d/g;
const NOT_BEFORE_BASIC = /[\w./#=+\-]/;
const NOT_BEFORE_COLON = /[\d\]]/;
const NOT_AFTER_BASIC = /^(?:[\w.:/]|-\d\d(?:\D|$)|,\d)/;
const WORD_CHAR = /\w/;
const DIGIT = /\d/;

/** An enhanced code at `i..end` of `s` is not part of a longer token (see ENHANCED_RE). */
function enhancedStandsAlone(s: string, i: number, end: number): boolean {
  if (i > 0 && NOT_BEFORE_ENHANCED.test(s[i - 1] as string)) return false;
  const next = s[end];
  if (next === undefined) return true;
  if (WORD_CHAR.test(next)) return false;
  return !(next === '.' && end + 1 < s.length && DIGIT.test(s[end + 1] as string));
}

/** A basic code at `i` (three characters) of `s` is not part of a longer token (see BASIC_RE). */
function basicStandsAlone(s: string, i: number): boolean {
  if (i > 0) {
    const prev = s[i - 1] as string;
    if (NOT_BEFORE_BASIC.test(prev)) return false;
    if (prev === ':' && i > 1 && NOT_BEFORE_COLON.test(s[i - 2] as string)) return false;
  }
  return !NOT_AFTER_BASIC.test(s.slice(i + 3, i + 7));
}

/**
 * Whether a text holds a 4xx/5xx basic or enhanced code in the shapes parseStatus accepts (anywhere, strong
 * or weak): when it holds none, every code found is a 2xx one.
 */
export function hasFailureCode(s: string): boolean {
  // Class 4 and 5 only: a 4/5 candidate inside a skipped class-2 one follows a digit or a dot,
  // which the neighbour checks reject anyway, so the answer is the same with fewer matches to check.
  FAILURE_ENHANCED_RE.lastIndex = 0;
  for (let m = FAILURE_ENHANCED_RE.exec(s); m !== null; m = FAILURE_ENHANCED_RE.exec(s)) {
    if (enhancedStandsAlone(s, m.index, m.index + m[0].length)) return true;
  }
  FAILURE_BASIC_RE.lastIndex = 0;
  for (let m = FAILURE_BASIC_RE.exec(s); m !== null; m = FAILURE_BASIC_RE.exec(s)) {
    if (basicStandsAlone(s, m.index)) return true;
  }
  return false;
}

// Context that makes a candidate "strong": it sits where a reply code is written.
const ENHANCED_STRONG_BEFORE = /(?:^|[\s'"(<[;:])(?:[245]\d\d[\s-]+|#|\(#|dsn=\s*|status:?\s*|code\s*:?\s*|smtp;\s*(?:[245]\d\d[\s-]+)?)$/;
const BASIC_STRONG_BEFORE = /(?:^|said:|returned|reason:|was:|error_code\s*:|responsecode|smtp;|response:|message\]:|\[|'|"|<<<)\s*$/;
// A continuation prefix " 550-" or " 550-5.7.0 " inside a sentence (the character before it is checked in code).
const CONTINUATION_RE = / [245]\d\d-(?:#?[245]\.\d{1,3}\.\d{1,3} )?/g;
const VERSION_BEFORE = /(?:version|release|ver\.?|build|exim|postfix|sendmail|qmail|v)\s*$/;
const PORT_BEFORE = /port\s*$/;
const ENHANCED_AFTER = /^[\s-]+#?[245]\.\d{1,3}\.\d{1,3}/;
const GENERIC_ENHANCED = /^\d\.0\.0$/;
const BARE_CODE = /^(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})$/;
const UNIT_AFTER = /^\s*(?:bytes?|[kmg]b|octets|seconds?|secs?|minutes?|mins?|hours?|days?|ms|times|attempts|messages|recipients|%|percent)\b/;

interface Candidate {
  code: string;
  strong: boolean;
  index: number;
}

function enhancedCandidates(s: string, wholeFieldIsStrong: boolean): Candidate[] {
  const out: Candidate[] = [];
  ENHANCED_RE.lastIndex = 0;
  for (let m = ENHANCED_RE.exec(s); m !== null; m = ENHANCED_RE.exec(s)) {
    if (!enhancedStandsAlone(s, m.index, m.index + m[0].length)) continue;
    const subject = Number(m[2]);
    const detail = Number(m[3]);
    const before = s.slice(Math.max(0, m.index - 24), m.index);
    const strong = wholeFieldIsStrong || m.index === 0 || ENHANCED_STRONG_BEFORE.test(before);
    if (!strong) {
      // RFC 3463 defines subjects 0..7 only; a bare "4.94.2" is a version number, not a status.
      if (subject > 7 || VERSION_BEFORE.test(before)) continue;
    }
    out.push({ code: `${m[1]}.${subject}.${detail}`, strong, index: m.index });
  }
  return out;
}

function basicCandidates(s: string, wholeFieldIsStrong: boolean): Candidate[] {
  const out: Candidate[] = [];
  BASIC_RE.lastIndex = 0;
  for (let m = BASIC_RE.exec(s); m !== null; m = BASIC_RE.exec(s)) {
    if (!basicStandsAlone(s, m.index)) continue;
    const code = m[0];
    const after = s.slice(m.index + 3, m.index + 20);
    if (UNIT_AFTER.test(after)) continue;
    const before = s.slice(Math.max(0, m.index - 16), m.index);
    if (PORT_BEFORE.test(before)) continue;
    const followedByEnhanced = ENHANCED_AFTER.test(after);
    const strong = wholeFieldIsStrong || m.index === 0 || followedByEnhanced || BASIC_STRONG_BEFORE.test(before);
    out.push({ code, strong, index: m.index });
  }
  return out;
}

const isFailure = (code: string): boolean => code[0] === '4' || code[0] === '5';
const isGenericEnhanced = (code: string): boolean => GENERIC_ENHANCED.test(code);

/**
 * Choose one candidate: failure codes (4xx/5xx) before success codes (a transcript may show an earlier 250),
 * strong before weak, then first in text order. Returns null when there is none.
 */
function pick(cands: Candidate[]): Candidate | null {
  let best: Candidate | null = null;
  let bestScore = -1;
  for (const c of cands) {
    const score = (isFailure(c.code) ? 2 : 0) + (c.strong ? 1 : 0);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Refine a generic enhanced code with a more specific one found later in the same text:
 * X.0.0 → first failure code that is not X.0.0; X.S.0 → first X'.S.D (D ≠ 0) of the same subject.
 * Example: the Amazon SES relay DSN "5.1.0 - Unknown address error '5.1.1 … User unknown'".
 */
function refine(chosen: string, cands: Candidate[]): string {
  const [, subject, detail] = chosen.split('.');
  if (isGenericEnhanced(chosen)) {
    const better = cands.find((c) => isFailure(c.code) && !isGenericEnhanced(c.code));
    return better ? better.code : chosen;
  }
  if (detail === '0') {
    const better = cands.find((c) => c.code.split('.')[1] === subject && c.code.split('.')[2] !== '0');
    return better ? better.code : chosen;
  }
  return chosen;
}

function normalise(s: unknown): string {
  if (typeof s !== 'string') return s == null ? '' : String(s);
  return s.length > MAX_TEXT_LENGTH ? s.slice(0, MAX_TEXT_LENGTH) : s;
}

/**
 * Parse a status column and a diagnostic text.
 *
 * Precedence (why): the status column is the sender MTA's settled verdict, so its codes win, except when
 * it is absent or generic. A generic status (X.0.0, or X.S.0 refined by the text, or a basic x00) yields to
 * the specific code the receiver wrote in the diagnostic. In the text, failure codes beat success codes and
 * codes in reply-code position beat codes found mid-sentence. The basic code preferably agrees with the class
 * of the chosen enhanced code (a transcript "450 busy … 551 not our user" with status 5.1.6 gives 551).
 */
export function parseStatus(status: string, diagnostic: string): ParsedStatus {
  const st = normalise(status).toLowerCase().replace(/\s+/g, ' ').trim();
  const dg = normalise(diagnostic).toLowerCase().replace(/\s+/g, ' ').trim();
  const joined = st && dg ? `${st} ${dg}` : st || dg;
  // Multi-line replies flattened into one string repeat "550-5.7.0 " mid-sentence ("a potential
  // 552-5.7.0 security issue"); drop those continuation prefixes so the text rules read whole sentences.
  const text = joined.replace(CONTINUATION_RE, (m, at: number) => (at > 0 && joined[at - 1] !== ' ' ? ' ' : m));

  // A status column that is one bare code is strong everywhere; otherwise judge by position.
  const stBare = BARE_CODE.test(st);
  const stEnh = enhancedCandidates(st, stBare);
  const dgEnh = enhancedCandidates(dg, false);

  let enhanced: string | null = null;
  const stPick = pick(stEnh);
  const dgPick = pick(dgEnh);
  if (stPick && isFailure(stPick.code)) {
    enhanced = refine(stPick.code, dgEnh.length ? dgEnh : stEnh);
    if (enhanced === stPick.code) enhanced = refine(stPick.code, stEnh);
  } else if (dgPick && isFailure(dgPick.code)) {
    enhanced = refine(dgPick.code, dgEnh.slice(dgEnh.indexOf(dgPick)));
  } else {
    enhanced = stPick?.code ?? dgPick?.code ?? null;
  }

  const stBasic = basicCandidates(st, stBare);
  const dgBasic = basicCandidates(dg, false);
  const enhClass = enhanced ? enhanced[0] : null;
  const choose = (cands: Candidate[]): string | null => {
    if (enhClass) {
      const sameClass = pick(cands.filter((c) => c.code[0] === enhClass));
      if (sameClass) return sameClass.code;
    }
    return pick(cands)?.code ?? null;
  };
  let basic = choose(stBasic);
  if (basic === null || /^[245]00$/.test(basic) || !isFailure(basic)) {
    const fromText = choose(dgBasic);
    if (fromText !== null && (basic === null || isFailure(fromText) || !isFailure(basic))) basic = fromText;
  }
  return { basic, enhanced, text };
}

/** Every pattern the parser uses, for the RE2 portability test. */
export const PARSE_PATTERNS: readonly RegExp[] = [
  FAILURE_ENHANCED_RE,
  FAILURE_BASIC_RE,
  ENHANCED_RE, NOT_BEFORE_ENHANCED, BASIC_RE, NOT_BEFORE_BASIC, NOT_BEFORE_COLON, NOT_AFTER_BASIC, WORD_CHAR, DIGIT,
  ENHANCED_STRONG_BEFORE, BASIC_STRONG_BEFORE, CONTINUATION_RE, VERSION_BEFORE, UNIT_AFTER, PORT_BEFORE, ENHANCED_AFTER,
  GENERIC_ENHANCED, BARE_CODE,
];
