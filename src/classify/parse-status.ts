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
 * "4.16.55.1" tracking ids.
 *
 * The parser is a decision program (classify/program.ts), so the same parse runs as SQL (src/sql/). Every
 * step is a regular expression's first match: a pattern holds the code together with the context that makes
 * it a candidate (the character before and after it, the words before it), so the leftmost match is the
 * first candidate in the text. The candidate rules:
 * - a code is not glued to other characters: an enhanced code has no word character, dot or slash before
 *   it and no word character or ".digit" after it; a basic code has no word character, dot, slash, `#`,
 *   `=`, `+`, `-` or "digit-or-]:" before it and no word character, dot, colon, slash, "-dd" (a date) or
 *   ",digit" after it;
 * - a code is "strong" where reply codes are written: at the start of the field, after `550 `, `#`, `(#`,
 *   `dsn=`, `status:`, `code:`, `smtp;` (enhanced), or after `said:`, `returned`, `reason:`, `[`, a quote …,
 *   or followed by an enhanced code (basic); any other candidate is "weak";
 * - a weak enhanced code must have a subject RFC 3463 defines (0–7) and no version word before it
 *   ("version 4.94.2", "v 5.1.1"); a basic code is never a byte count, a duration or a port ("552 bytes",
 *   "port 465"): such codes are taken out of a copy of the field before the candidates are looked for.
 * Precedence: see parseStatus.
 *
 * Every pattern is RE2-compatible and linear-time (no lookaround, backreference or nested quantifier).
 */
import type { ParsedStatus } from './types.js';
import {
  ProgramBuilder,
  and,
  caseOf,
  coalesce,
  concat,
  eq,
  extract,
  isNull,
  lower,
  not,
  notNull,
  or,
  patternsOf,
  replace,
  str,
  test,
  truncate,
  NULL,
  TRUE,
  type Expr,
  type Program,
} from './program.js';
import { compileProgram } from './program-runner.js';

/** Texts longer than this are cut before parsing so one pathological row cannot stall a run. */
export const MAX_TEXT_LENGTH = 8192;

// --- the candidate patterns ---------------------------------------------------------------------
// They read one normalised field (lower-case, whitespace squeezed to single spaces, trimmed).

const D3 = String.raw`\d{1,3}`;
/** A subject or detail of 1–3 digits that is not zero. */
const NONZERO = String.raw`(?:[1-9]\d{0,2}|0[1-9]\d?|00[1-9])`;
/** A subject RFC 3463 defines: 0–7, with up to two leading zeros. */
const PLAUSIBLE_SUBJECT = String.raw`(?:[0-7]|0[0-7]|00[0-7])`;
const PLAUSIBLE_NONZERO_SUBJECT = String.raw`(?:[1-7]|0[1-7]|00[1-7])`;

/** After an enhanced code: the end, a character that is neither a word character nor a dot, or ".non-digit". */
const E_RIGHT = String.raw`(?:$|[^\w.]|\.(?:$|\D))`;
/**
 * Before a strong enhanced code: the start of the field, or a reply-code context (`550 `, `#`, `(#`,
 * `dsn=`, `status:`, `code:`, `smtp; 550 `) after the start or a space, quote, bracket, `;` or `:`. Every
 * context ends in a character that may stand before a code.
 */
const E_STRONG_LEFT =
  String.raw`(?:^|(?:^|[\s'"(<[;:])(?:[245]\d\d[\s-]+|#|\(#|dsn=\s*|status(?::\s*|\s+)|code(?:\s*:\s*|\s+)|smtp;\s*(?:[245]\d\d[\s-]+)?))`;
/** Before a weak enhanced code: the start, or a character that may stand before a code. */
const E_WEAK_LEFT = String.raw`(?:^|[^\w./])`;
const E_CODE = String.raw`[245]\.\d{1,3}\.\d{1,3}`;

const rx = (s: string): RegExp => new RegExp(s);
/** The first strong enhanced code of class `cls` (a digit or a class such as `[45]`). */
const enhancedStrong = (cls: string): RegExp => rx(`${E_STRONG_LEFT}(${cls}\\.${D3}\\.${D3})${E_RIGHT}`);
/** The first plausible enhanced code of class `cls` (strong or weak; used when no strong one exists). */
const enhancedWeak = (cls: string): RegExp => rx(`${E_WEAK_LEFT}(${cls}\\.${PLAUSIBLE_SUBJECT}\\.${D3})${E_RIGHT}`);
/** As enhancedStrong / enhancedWeak, capturing the code and the rest of the field. */
const enhancedStrongOnwards = (cls: string): RegExp => rx(`${E_STRONG_LEFT}(${cls}\\.${D3}\\.${D3}${E_RIGHT}.*)`);
const enhancedWeakOnwards = (cls: string): RegExp => rx(`${E_WEAK_LEFT}(${cls}\\.${PLAUSIBLE_SUBJECT}\\.${D3}${E_RIGHT}.*)`);
/** Any candidate enhanced code: strong with any subject, or weak with a plausible one. */
const ENHANCED_ANY = rx(`(?:${E_STRONG_LEFT}${E_CODE}|${E_WEAK_LEFT}[245]\\.${PLAUSIBLE_SUBJECT}\\.${D3})${E_RIGHT}`);
/** The first candidate 4.x.x/5.x.x that is not X.0.0, with its context (the code ends the match). */
const ENHANCED_NOT_GENERIC = rx(
  `(${E_STRONG_LEFT}[45]\\.(?:${NONZERO}\\.${D3}|0{1,3}\\.${NONZERO})|${E_WEAK_LEFT}[45]\\.(?:${PLAUSIBLE_NONZERO_SUBJECT}\\.${D3}|0{1,3}\\.${NONZERO}))${E_RIGHT}`,
);
/** The first candidate code of any class with subject `s` (1–7) and a detail that is not 0. */
const enhancedSameSubject = (s: number): RegExp => rx(`(?:${E_STRONG_LEFT}|${E_WEAK_LEFT})([245]\\.0{0,2}${s}\\.${NONZERO})${E_RIGHT}`);
const CODE_AT_END = rx(`(${E_CODE})$`);
const CODE_AT_START = rx(`^(${E_CODE})`);

/** Before a basic code: the start, a character that may stand before one, or ':' not after a digit or ']'. */
const B_LEFT = String.raw`(?:^|[^\w./#=+\-:]|(?:^|[^\d\]]):)`;
/** After a basic code: not a word character, dot, colon or slash, nor "-dd" (a date) or ",digit". */
const B_RIGHT = String.raw`(?:$|[^\w.:/,\-]|-(?:$|\D|\d(?:$|\D)|\d\d\d)|,(?:$|\D))`;

/*
 * Codes that words next to them disqualify are taken out first, in a copy of the field that only the
 * candidate patterns read: their class digit becomes 0, so they are no candidate, and every other
 * character (digits stay digits) reads as before. A number before a unit ("552 bytes", "450 seconds",
 * "550 %x") or after "port" is no basic code; one after a version word ("exim 4.94.2", "v 5.1.1") is no
 * weak enhanced code (a strong one never follows a version word).
 */
const UNIT_AFTER = /[245](\d\d\s*(?:bytes?|[kmg]b|octets|seconds?|secs?|minutes?|mins?|hours?|days?|ms|times|attempts|messages|recipients|%|percent)\b)/;
const PORT_BEFORE = /(port\s*)[245]/;
const VERSION_BEFORE = /((?:version|release|ver\.?|build|exim|postfix|sendmail|qmail|v)\s*)[245]\./;
/** Reply-code contexts before a strong basic code (those ending in a word character or "]:" need a space). */
const B_STRONG_LEFT = String.raw`(?:(?:said:|reason:|was:|error_code\s*:|smtp;|response:|\[|'|"|<<<)\s*|(?:returned|responsecode|message\]:)\s+)`;
/** The first basic code of class `cls`. */
const basicAny = (cls: string): RegExp => rx(`${B_LEFT}(${cls}\\d\\d)${B_RIGHT}`);
/** The first strong basic code of class `cls`, with its context (the first [245]dd of the match is the code). */
const basicStrong = (cls: string): RegExp =>
  rx(`(^${cls}\\d\\d${B_RIGHT}|${B_LEFT}${cls}\\d\\d[\\s-]+#?${E_CODE}|${B_STRONG_LEFT}${cls}\\d\\d${B_RIGHT})`);
const FIRST_BASIC = /([245]\d\d)/;

// Multi-line replies flattened into one string repeat "550-5.7.0 " mid-sentence ("a potential
// 552-5.7.0 security issue"); the text rules read whole sentences without those continuation prefixes.
const CONTINUATION_RE = / [245]\d\d-(?:#?[245]\.\d{1,3}\.\d{1,3} )?/;

// --- the program --------------------------------------------------------------------------------

/** `f(x)` when `x` is not null, else null. */
function ifNotNull(x: Expr, f: (v: Expr) => Expr): Expr {
  return caseOf([[isNull(x), NULL]], f(coalesce(x, str(''))));
}

/** A code with leading zeros dropped from subject and detail ("5.01.010" → "5.1.10"). */
const canonical = (code: Expr): Expr => replace(code, /\.0+(\d)/, '.$1');

/** Normalise a field: cut to MAX_TEXT_LENGTH, lower-case, whitespace runs to one space, trimmed. */
const normaliseField = (x: Expr): Expr => replace(replace(lower(truncate(x, MAX_TEXT_LENGTH)), /\s+/, ' '), /^ | $/, '');

/**
 * Refine a generic enhanced code (X.0.0, or X.S.0 with S in 1–7) with a more specific one: X.0.0 → the
 * first candidate 4.x.x/5.x.x that is not X.0.0; X.S.0 → the first candidate of any class with subject S and
 * another detail. `fields` are searched in order; the chosen code stays when none holds one.
 * Example: the Amazon SES relay DSN "5.1.0 - Unknown address error '5.1.1 … User unknown'".
 */
function refine(code: Expr, fields: ReadonlyArray<readonly [Expr, Expr]>): Expr {
  const notGeneric = fields.map(([when, f]) => caseOf([[when, ifNotNull(extract(f, ENHANCED_NOT_GENERIC), (m) => extract(m, CODE_AT_END))]], NULL));
  const sameSubject = fields.map(([when, f]) =>
    caseOf(
      [1, 2, 3, 4, 5, 6, 7].map((s) => [and(when, test(code, rx(`^\\d\\.${s}\\.0$`))), extract(f, enhancedSameSubject(s))] as const),
      NULL,
    ),
  );
  const found = caseOf(
    [
      [test(code, /^\d\.0\.0$/), coalesce(...notGeneric)],
      [test(code, /^\d\.[1-7]\.0$/), coalesce(...sameSubject)],
    ],
    NULL,
  );
  return coalesce(ifNotNull(found, canonical), code);
}

/**
 * A field that is one platform token: a word or several joined by case or by `_ . : -`, no space, at most
 * 64 characters ("DoesNotExist", "err_user_unknown", "bounce_inactive-mailbox",
 * "RESOLVER.ADR.ExRecipNotFound"). Its words are what the text rules read.
 */
const TOKEN_RE = /^\s*[A-Za-z][A-Za-z0-9]*(?:[_.:-]+[A-Za-z0-9]+)*\s*$/;
const TOKEN_LENGTH_RE = /^\s*\S{2,64}\s*$/;
const TOKEN_JOIN_RE = /[a-z][A-Z]|[_.:-]/;

/**
 * The field as the text rules read it: normalised, and for a platform token its words after it ("DoesNotExist"
 * → "doesnotexist does not exist"): a capital before a lower-case letter starts a word, separators become
 * spaces. The token itself stays, so rules written for joined forms still match.
 */
function fieldWords(x: Expr, normalised: Expr): Expr {
  const words = replace(replace(x, /([A-Z][a-z])/, ' $1'), /[_.:-]+/, ' ');
  return caseOf([[and(test(x, TOKEN_JOIN_RE), test(x, TOKEN_LENGTH_RE), test(x, TOKEN_RE)), concat(normalised, str(' '), normaliseField(words))]], normalised);
}

function buildParseProgram(): Program {
  const b = new ProgramBuilder('parse-status');
  const status = b.input('status');
  const diagnostic = b.input('diagnostic');
  const stText = b.let('st', normaliseField(status));
  const dgText = b.let('dg', normaliseField(diagnostic));
  const stWords = b.let('st_words', fieldWords(status, stText));
  const dgWords = b.let('dg_words', fieldWords(diagnostic, dgText));
  const joined = caseOf([[and(not(eq(stText, str(''))), not(eq(dgText, str('')))), concat(stWords, str(' '), dgWords)]], concat(stWords, dgWords));
  const text = b.let('text', replace(joined, CONTINUATION_RE, ' '));

  // Enhanced code. The status column is the sender MTA's settled verdict: its failure code wins, refined by
  // the text when generic. Otherwise the text's first failure code, refined by the codes after it. Failure
  // codes beat success codes, strong candidates beat weak ones, then text order decides.
  const st = b.let('st_enhanced_candidates', replace(stText, VERSION_BEFORE, '$10.'));
  const dg = b.let('dg_enhanced_candidates', replace(dgText, VERSION_BEFORE, '$10.'));
  // A cheap test first: most fields hold no enhanced code, or one the first pattern finds at once.
  const dgHasEnhanced = b.let('dg_has_enhanced', test(dg, /[245]\.\d/));
  const stFailure = b.let(
    'st_failure',
    caseOf([[test(st, /[45]\.\d/), coalesce(extract(st, enhancedStrong('[45]')), extract(st, enhancedWeak('[45]')))]], NULL),
  );
  const stFailureCode = b.let('st_failure_code', ifNotNull(stFailure, canonical));
  const dgFailureOnwards = b.let(
    'dg_failure_onwards',
    caseOf([[and(isNull(stFailure), test(dg, /[45]\.\d/)), coalesce(extract(dg, enhancedStrongOnwards('[45]')), extract(dg, enhancedWeakOnwards('[45]')))]], NULL),
  );
  const dgFailureCode = b.let('dg_failure_code', ifNotNull(dgFailureOnwards, (rest) => ifNotNull(extract(rest, CODE_AT_START), canonical)));
  const successOf = (f: Expr): Expr => caseOf([[test(f, /2\.\d/), coalesce(extract(f, enhancedStrong('2')), extract(f, enhancedWeak('2')))]], NULL);
  const enhanced = b.let(
    'enhanced',
    caseOf(
      [
        [notNull(stFailureCode), refine(coalesce(stFailureCode, str('')), [[and(dgHasEnhanced, test(dg, ENHANCED_ANY)), dg], [TRUE, st]])],
        [notNull(dgFailureCode), refine(coalesce(dgFailureCode, str('')), [[TRUE, coalesce(dgFailureOnwards, str(''))]])],
      ],
      ifNotNull(coalesce(successOf(st), successOf(dg)), canonical),
    ),
  );

  // Basic code: preferably of the enhanced code's class ("450 busy … 551 not our user" with 5.1.6 gives 551).
  // A generic status (absent, x00 or a success) yields to a failure code in the text.
  const enhancedClass = b.let('enhanced_class', ifNotNull(enhanced, (e) => extract(e, /^([245])/)));
  // Each class is looked for only when a number of its shape is there at all (a cheap test first).
  const ofClass = (f: Expr, cls: string): Expr =>
    caseOf(
      [[test(f, rx(`${cls}\\d\\d`)), coalesce(ifNotNull(extract(f, basicStrong(cls)), (m) => extract(m, FIRST_BASIC)), extract(f, basicAny(cls)))]],
      NULL,
    );
  const choose = (f: Expr): Expr =>
    coalesce(caseOf(['4', '5', '2'].map((c) => [eq(enhancedClass, str(c)), ofClass(f, c)] as const), NULL), ofClass(f, '[45]'), ofClass(f, '2'));
  const stB = b.let('st_basic_candidates', replace(replace(stText, UNIT_AFTER, '0$1'), PORT_BEFORE, '$10'));
  const dgB = b.let('dg_basic_candidates', replace(replace(dgText, UNIT_AFTER, '0$1'), PORT_BEFORE, '$10'));
  const stBasic = b.let('st_basic', choose(stB));
  const stBasicText = coalesce(stBasic, str(''));
  const dgBasic = b.let('dg_basic', caseOf([[or(isNull(stBasic), test(stBasicText, /^(?:[245]00|2)/)), choose(dgB)]], NULL));
  const basic = caseOf(
    [[and(notNull(dgBasic), or(isNull(stBasic), test(coalesce(dgBasic, str('')), /^[45]/), test(stBasicText, /^2/))), dgBasic]],
    stBasic,
  );
  return b.build({ basic, enhanced, text });
}

/** The parser as a decision program (inputs: status, diagnostic; outputs: basic, enhanced, text). */
export const PARSE_PROGRAM: Program = buildParseProgram();
const parser = compileProgram(PARSE_PROGRAM);

function asText(s: unknown): string {
  return typeof s === 'string' ? s : s == null ? '' : String(s);
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
  const [basic, enhanced, text] = parser.run([asText(status), asText(diagnostic)]) as [string | null, string | null, string];
  return { basic, enhanced, text };
}

// --- failure codes anywhere (the classification cache's shortcut for accepted replies) ----------

const ENHANCED_RE = /([245])\.(\d{1,3})\.(\d{1,3})/g;
const NOT_BEFORE_ENHANCED = /[\w./]/;
const BASIC_RE = /[245]\d\d/g;
const FAILURE_ENHANCED_RE = /[45]\.\d{1,3}\.\d{1,3}/g;
const FAILURE_BASIC_RE = /[45]\d\d/g;
const NOT_BEFORE_BASIC = /[\w./#=+\-]/;
const NOT_BEFORE_COLON = /[\d\]]/;
const NOT_AFTER_BASIC = /^(?:[\w.:/]|-\d\d(?:\D|$)|,\d)/;
const WORD_CHAR = /\w/;
const DIGIT = /\d/;

/** An enhanced code at `i..end` of `s` is not part of a longer token. */
function enhancedStandsAlone(s: string, i: number, end: number): boolean {
  if (i > 0 && NOT_BEFORE_ENHANCED.test(s[i - 1] as string)) return false;
  const next = s[end];
  if (next === undefined) return true;
  if (WORD_CHAR.test(next)) return false;
  return !(next === '.' && end + 1 < s.length && DIGIT.test(s[end + 1] as string));
}

/** A basic code at `i` (three characters) of `s` is not part of a longer token. */
function basicStandsAlone(s: string, i: number): boolean {
  if (i > 0) {
    const prev = s[i - 1] as string;
    if (NOT_BEFORE_BASIC.test(prev)) return false;
    if (prev === ':' && i > 1 && NOT_BEFORE_COLON.test(s[i - 2] as string)) return false;
  }
  return !NOT_AFTER_BASIC.test(s.slice(i + 3, i + 7));
}

/**
 * Whether a text holds a 4xx/5xx basic or enhanced code that is not glued to other characters (strong or
 * weak, plausible or not): when it holds none, every code parseStatus can find is a 2xx one.
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

/** Every pattern the parser uses, for the RE2 portability test. */
export const PARSE_PATTERNS: readonly RegExp[] = [
  ...patternsOf(PARSE_PROGRAM).map((p) => p.re),
  FAILURE_ENHANCED_RE,
  FAILURE_BASIC_RE,
  ENHANCED_RE, NOT_BEFORE_ENHANCED, BASIC_RE, NOT_BEFORE_BASIC, NOT_BEFORE_COLON, NOT_AFTER_BASIC, WORD_CHAR, DIGIT,
];
