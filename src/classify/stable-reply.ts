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

export function stableReply(text: string): string {
  return text.replace(CANDIDATE_RE, mask);
}

/** Every pattern the masking uses, for the RE2 portability test. */
export const MASK_PATTERNS: readonly RegExp[] = [CANDIDATE_RE, HAS_DIGIT, HAS_LETTER, FIVE_LETTERS, DIGITS_6, IPV4, ISO_DATE, WORD_CHAR];
