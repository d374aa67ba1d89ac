/**
 * The status-code parser as it was written with lookbehind and lookahead, kept only as the reference the
 * RE2-compatible parser (src/classify/parse-status.ts) is held to by property tests. Not used by the tool.
 * It reads a code's whole context (the text before and after it), as the parser's patterns do, and refines
 * X.S.0 only for the subjects RFC 3463 defines.
 */
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
 * "4.16.55.1" tracking ids. The lookarounds below reject a number glued to other digits, dots, letters or
 * a colon; a weak (context-free) candidate must also pass a plausibility check.
 *
 * Pure and deterministic; linear-time regexes only (no nested quantifiers).
 */
import type { ParsedStatus } from '../../src/classify/types.js';

/** Texts longer than this are cut before parsing so one pathological row cannot stall a run. */
export const MAX_TEXT_LENGTH = 8192;

// Enhanced code: not glued to a word character, a dot or a slash on the left (IPs, versions, URLs), nor to
// a word character or ".digit" on the right (IPs, "4.16.55.1").
const ENHANCED_RE = /(?<![\w./])([245])\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d)/g;
// Basic code: three digits not glued to word characters, dots, slashes, '#'/'=' or host:port colons.
// A colon on the left is allowed ("ERROR_CODE :550") unless it follows a digit or ']' (times, host:port).
const BASIC_RE = /(?<![\w./#=+\-])(?<![\d\]]:)([245]\d\d)(?![\w.:/]|-\d{2}(?!\d)|,\d)/g;

// Context that makes a candidate "strong": it sits where a reply code is written.
const ENHANCED_STRONG_BEFORE = /(?:^|[\s'"(<[;:])(?:[245]\d\d[\s-]+|#|\(#|dsn=\s*|status:?\s*|code\s*:?\s*|smtp;\s*(?:[245]\d\d[\s-]+)?)$/;
const BASIC_STRONG_BEFORE = /(?:^|said:|returned|reason:|was:|error_code\s*:|responsecode|smtp;|response:|message\]:|\[|'|"|<<<)\s*$/;
const CONTINUATION_RE = /(?<=\S) [245]\d\d-(?:#?[245]\.\d{1,3}\.\d{1,3} )?/g;
const VERSION_BEFORE = /(?:version|release|ver\.?|build|exim|postfix|sendmail|qmail|v)\s*$/;
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
    const subject = Number(m[2]);
    const detail = Number(m[3]);
    const before = s.slice(0, m.index);
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
    const code = m[1] as string;
    const after = s.slice(m.index + 3);
    if (UNIT_AFTER.test(after)) continue;
    const before = s.slice(0, m.index);
    if (/port\s*$/.test(before)) continue;
    const followedByEnhanced = /^[\s-]+#?[245]\.\d{1,3}\.\d{1,3}/.test(after);
    const strong = wholeFieldIsStrong || m.index === 0 || followedByEnhanced || BASIC_STRONG_BEFORE.test(before);
    out.push({ code, strong, index: m.index });
  }
  return out;
}

const isFailure = (code: string): boolean => code[0] === '4' || code[0] === '5';
const isGenericEnhanced = (code: string): boolean => /^\d\.0\.0$/.test(code);

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
 * X.0.0 → first failure code that is not X.0.0; X.S.0 (S a subject RFC 3463 defines, 1–7) → first X'.S.D
 * (D ≠ 0) of the same subject.
 * Example: the Amazon SES relay DSN "5.1.0 - Unknown address error '5.1.1 … User unknown'".
 */
function refine(chosen: string, cands: Candidate[]): string {
  const [, subject, detail] = chosen.split('.');
  if (isGenericEnhanced(chosen)) {
    const better = cands.find((c) => isFailure(c.code) && !isGenericEnhanced(c.code));
    return better ? better.code : chosen;
  }
  if (detail === '0' && /^[1-7]$/.test(subject as string)) {
    const better = cands.find((c) => c.code.split('.')[1] === subject && c.code.split('.')[2] !== '0');
    return better ? better.code : chosen;
  }
  return chosen;
}

function normalise(s: unknown): string {
  if (typeof s !== 'string') return s == null ? '' : String(s);
  return s.length > MAX_TEXT_LENGTH ? s.slice(0, MAX_TEXT_LENGTH) : s;
}

/** A one-token field ("DoesNotExist", "err_user_unknown") followed by its words, split with a lookahead. */
function withWords(raw: unknown, norm: string): string {
  const t = normalise(raw).trim();
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[_.:-]+[A-Za-z0-9]+)*$/.test(t) || t.length > 64 || !/[a-z][A-Z]|[_.:-]/.test(t)) return norm;
  const words = t.split(/(?=[A-Z][a-z])|[_.:-]+/).filter(Boolean).join(' ').toLowerCase();
  return `${norm} ${words}`;
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
  const joined = st && dg ? `${withWords(status, st)} ${withWords(diagnostic, dg)}` : st ? withWords(status, st) : withWords(diagnostic, dg);
  // Multi-line replies flattened into one string repeat "550-5.7.0 " mid-sentence ("a potential
  // 552-5.7.0 security issue"); drop those continuation prefixes so the text rules read whole sentences.
  const text = joined.replace(CONTINUATION_RE, ' ');

  // A status column that is one bare code is strong everywhere; otherwise judge by position.
  const stBare = /^(?:[245]\d\d|[245]\.\d{1,3}\.\d{1,3})$/.test(st);
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
