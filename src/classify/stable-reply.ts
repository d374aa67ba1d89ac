/**
 * The stable part of a reply text, for caching classifications.
 *
 * Receivers repeat the same few hundred replies, but stamp each with per-message details:
 * the recipient (`<ann@example.com>: Recipient address rejected`), queue and message ids
 * (Gmail's `d2si1234567qkb.123 - gsmtp`, Microsoft's `[BN1NAM02FT012.eop-nam02…]`), times and
 * IP addresses. Keyed on the raw text, a cache of verdicts almost never hits on a real log.
 * Replacing those details with a placeholder turns millions of distinct texts back into a few
 * hundred. The classifier then reads the stable text itself, so every row with the same key
 * gets the verdict the stable text earns — the corpus and receiver tables check that this
 * verdict equals the one the original text earns.
 *
 * Patterns are RE2-compatible (no lookaround or backreference), so the same masking can run as SQL; the
 * conditions a lookahead would express (a token holds a letter and a digit, no run of five letters) are
 * checked in code on each candidate. The candidate scan is one linear pass.
 *
 * What is replaced (never SMTP codes: `550`, `5.1.1`, `550-5.1.1` and `5.7.606` survive):
 * - e-mail addresses;
 * - tokens of 8+ letters/digits/`_`/`-` holding both a letter and a digit (ids, host labels), but
 *   no run of 5 letters: such a token carries a word a rule may read (`spamhaus550`);
 * - runs of 6+ digits (timestamps, numeric ids);
 * - IPv4 addresses, clock times and ISO dates;
 * - dotted ids (`tkns01.9hvnrai.55433-20020a05`): a whole dot-joined token with letters and digits
 *   whose last part holds a digit. Host names end in letters (`….prod.outlook.com`) and codes
 *   (`5.1.1`) have no letters, so neither is touched. Without this, Gmail-style queue ids made
 *   every "250 2.0.0 OK" a distinct key: on the bench log a third of all rows missed the cache.
 */
/** Candidates: an e-mail address, a clock time, or a run of word characters and hyphens joined by dots. */
const CANDIDATE_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d{1,2}:\d{2}(?::\d{2})?|[\w-]+(?:\.[\w-]+)*/g;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[a-z]/i;
const FIVE_LETTERS = /[a-z]{5}/i;
const DIGITS_6 = /^\d{6,}$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const WORD_CHAR = /\w/;

/** A token of word characters and hyphens is an id (8+ characters, a letter and a digit, no 5-letter run) or 6+ digits. */
function isVolatileToken(p: string): boolean {
  if (p.length < 6 || !HAS_DIGIT.test(p)) return false;
  if (DIGITS_6.test(p)) return true;
  return p.length >= 8 && HAS_LETTER.test(p) && !FIVE_LETTERS.test(p);
}

/**
 * One dot-free part, masked: whole when it is volatile, else each hyphen-joined piece that is
 * (`resimta-h1p-028598` → `resimta-h1p-~`, Microsoft's `(-1915321397:308:-2147467259)` numbers).
 */
function maskPart(p: string): string {
  if (isVolatileToken(p)) return '~';
  if (!p.includes('-')) return p;
  const pieces = p.split('-');
  let changed = false;
  for (let i = 0; i < pieces.length; i++) {
    if (isVolatileToken(pieces[i] as string)) {
      pieces[i] = '~';
      changed = true;
    }
  }
  return changed ? pieces.join('-') : p;
}

function mask(m: string, at: number, text: string): string {
  if (m.includes('@')) return '~';
  if (!HAS_DIGIT.test(m)) return m;
  if (m.includes(':')) {
    const next = text[at + m.length];
    return next !== undefined && WORD_CHAR.test(next) ? m : '~';
  }
  if (IPV4.test(m) || ISO_DATE.test(m)) return '~';
  if (!m.includes('.')) return maskPart(m);
  const parts = m.split('.');
  const first = maskPart(parts[0] as string);
  // A dotted id: letters somewhere, a digit in the last part, and a first part that is not itself an id.
  if (first === parts[0] && HAS_LETTER.test(m) && HAS_DIGIT.test(parts[parts.length - 1] as string)) return '~';
  parts[0] = first;
  for (let i = 1; i < parts.length; i++) parts[i] = maskPart(parts[i] as string);
  return parts.join('.');
}

/** Every candidate of `text` masked, by the pattern itself: what stableReply computes (a property test holds them equal). */
export function maskAll(text: string): string {
  return text.replace(CANDIDATE_RE, mask);
}

// Character classes of CANDIDATE_RE, by char code (`\w` is ASCII: letters, digits, `_`).
const isWordCode = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
const isDigitCode = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** `[\w-]`: the characters of a label. */
const isLabelCode = (c: number): boolean => isWordCode(c) || c === 0x2d;
/** `[\w.+-]`: the characters of an address's local part. */
const isLocalCode = (c: number): boolean => isLabelCode(c) || c === 0x2e || c === 0x2b;

/** End of the labels joined by single dots that start at `i` (`[\w-]+(?:\.[\w-]+)*`); `digit` says whether they hold one. */
function dottedEnd(text: string, i: number, found: { digit: boolean }): number {
  const n = text.length;
  let p = i;
  let digit = false;
  for (;;) {
    while (p < n) {
      const c = text.charCodeAt(p);
      if (isDigitCode(c)) digit = true;
      else if (!isLabelCode(c)) break;
      p++;
    }
    if (p + 1 < n && text.charCodeAt(p) === 0x2e && isLabelCode(text.charCodeAt(p + 1))) p++;
    else break;
  }
  found.digit = digit;
  return p;
}

/** End of `\d{1,2}:\d{2}(?::\d{2})?` at `i`, or -1. */
function clockEnd(text: string, i: number): number {
  const d = (k: number): boolean => k < text.length && isDigitCode(text.charCodeAt(k));
  const colon = (k: number): boolean => text.charCodeAt(k) === 0x3a;
  const hours = d(i + 1) && colon(i + 2) ? 2 : colon(i + 1) ? 1 : 0;
  if (hours === 0) return -1;
  const m = i + hours + 1;
  if (!d(m) || !d(m + 1)) return -1;
  return colon(m + 2) && d(m + 3) && d(m + 4) ? m + 5 : m + 2;
}

/** End of an address (`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`) whose local part runs from `i` to the `@` at `at`, or -1. */
function addressEnd(text: string, at: number): number {
  if (!(at + 1 < text.length && isLabelCode(text.charCodeAt(at + 1)))) return -1;
  const found = { digit: false };
  const end = dottedEnd(text, at + 1, found);
  return text.lastIndexOf('.', end - 1) > at ? end : -1;
}

/**
 * The reply with its per-message details masked: maskAll(text), found by a scan of the text
 * that follows CANDIDATE_RE's alternatives in their order (an address, a clock time, a dotted run
 * of labels) and touches a candidate only when it can change: one that holds no digit (and is not
 * an address) is kept as it is, which is most words of a reply. A pattern with a callback for
 * every word cost more than the rest of a row's classification.
 */
export function stableReply(text: string): string {
  const n = text.length;
  const found = { digit: false };
  let out = '';
  let copied = 0;
  let nextAt = text.indexOf('@');
  /** A local-part run that ended without an `@` before here: no address starts inside it. */
  let noAddressBefore = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isLocalCode(c)) {
      i++;
      continue;
    }
    if (nextAt >= 0 && i >= noAddressBefore) {
      if (nextAt < i) nextAt = text.indexOf('@', i);
      if (nextAt >= 0) {
        let j = i;
        while (j < nextAt && isLocalCode(text.charCodeAt(j))) j++;
        const end = j === nextAt ? addressEnd(text, j) : -1;
        if (end >= 0) {
          out += `${text.slice(copied, i)}~`;
          copied = i = end;
          continue;
        }
        if (j < nextAt) noAddressBefore = j;
        else {
          // The run reaches the '@' but no address follows: the run goes on past it.
          while (j < n && isLocalCode(text.charCodeAt(j))) j++;
          noAddressBefore = j;
        }
      }
    }
    let end = isDigitCode(c) ? clockEnd(text, i) : -1;
    if (end < 0) {
      if (!isLabelCode(c)) {
        i++;
        continue;
      }
      end = dottedEnd(text, i, found);
      if (!found.digit) {
        i = end;
        continue;
      }
    }
    const m = text.slice(i, end);
    const masked = mask(m, i, text);
    if (masked !== m) {
      out += text.slice(copied, i) + masked;
      copied = end;
    }
    i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Every pattern the masking uses, for the RE2 portability test. */
export const MASK_PATTERNS: readonly RegExp[] = [CANDIDATE_RE, HAS_DIGIT, HAS_LETTER, FIVE_LETTERS, DIGITS_6, IPV4, ISO_DATE, WORD_CHAR];
