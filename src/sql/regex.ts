/**
 * JavaScript regular expressions as each SQL engine must be given them. The classifier's patterns are
 * written once, as JavaScript RegExp literals (without lookaround or backreferences, see
 * test/unit/re2-portability.test.ts); this module parses their source into a small syntax tree and prints
 * it in each engine's flavour, so that every engine matches exactly the strings JavaScript matches:
 *
 * - RE2 (DuckDB `regexp_*`, BigQuery `REGEXP_*`): the same syntax, but `\s` is ASCII-only in RE2 and `.`
 *   matches `\r`, so shorthands and `.` are written out as explicit classes.
 * - Postgres (ARE, `~`, `substring`, `regexp_*`): `\b` is a backspace and `\w`, `\s` follow the database
 *   locale, so word boundaries become lookarounds over ASCII word characters and every class is explicit.
 * - Snowflake (POSIX ERE with Perl backslash sequences): no `(?:…)` and no lazy quantifiers, so groups are
 *   capturing (the printer returns the number of the group to extract) and lazy quantifiers, which only
 *   patterns used as yes/no tests may hold, become greedy (the set of strings with a match is unchanged).
 * - Java (Spark `rlike`, `regexp_extract`): `$` also matches before a final line break and `[` nests
 *   classes, so `$` becomes `\z` and class members are escaped; `\b` becomes lookarounds as for Postgres.
 *
 * Only the syntax the classifier uses is accepted: alternation, capturing and non-capturing groups,
 * greedy and lazy quantifiers, classes with ranges and the shorthands `\d \D \s \S \w \W`, `.`, `^`, `$`,
 * `\b`, `\B`, escaped characters and `\uXXXX`; flags `g` (ignored) and `i` (ASCII letters fold, as in
 * JavaScript without the `u` flag). Anything else throws, so a new pattern cannot be mistranslated silently.
 */

/** Sorted, non-overlapping, non-adjacent code point ranges [lo, hi]. */
export type CharSet = ReadonlyArray<readonly [number, number]>;

export type RegexNode =
  | { readonly t: 'alt'; readonly alts: readonly RegexNode[] }
  | { readonly t: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly t: 'group'; readonly capture: boolean; readonly body: RegexNode }
  | { readonly t: 'repeat'; readonly body: RegexNode; readonly min: number; readonly max: number; readonly lazy: boolean }
  | { readonly t: 'set'; readonly set: CharSet }
  | { readonly t: 'start' }
  | { readonly t: 'end' }
  | { readonly t: 'wordb'; readonly negated: boolean };

export type RegexFlavor = 're2' | 'postgres' | 'snowflake' | 'java';

const MAX_CP = 0x10ffff;

// --- character sets -----------------------------------------------------------------------------

function normalise(ranges: Array<[number, number]>): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function complement(set: CharSet): CharSet {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const single = (c: number): Array<[number, number]> => [[c, c]];

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 §22.2.2.9). */
export const JS_SPACE: CharSet = normalise([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]);
/** Whitespace other than the space: absent from a squeezed text (see classify/program.ts `squeezed`). */
export const SQUEEZED_DONT_CARE: CharSet = JS_SPACE.flatMap(([lo, hi]) => (lo <= 0x20 && hi >= 0x20 ? [[lo, 0x1f], [0x21, hi]] : [[lo, hi]]) as Array<[number, number]>).filter(([lo, hi]) => lo <= hi);
/** JavaScript's `\w` and `\d` (ASCII, without the `u` and `i` flags). */
export const JS_WORD: CharSet = normalise([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
export const JS_DIGIT: CharSet = [[0x30, 0x39]];
/** JavaScript's `.` without the `s` flag: anything but a line terminator. */
export const JS_DOT: CharSet = complement(normalise([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]));

function shorthand(k: string): CharSet {
  switch (k) {
    case 'd':
      return JS_DIGIT;
    case 'D':
      return complement(JS_DIGIT);
    case 's':
      return JS_SPACE;
    case 'S':
      return complement(JS_SPACE);
    case 'w':
      return JS_WORD;
    case 'W':
      return complement(JS_WORD);
  }
  throw new Error(`not a shorthand: \\${k}`);
}

/** ASCII letters of a set with their other case added (the `i` flag without `u`). */
function foldAscii(set: CharSet): CharSet {
  const extra: Array<[number, number]> = [];
  for (const [lo, hi] of set) {
    for (const [a, z, delta] of [[0x41, 0x5a, 32], [0x61, 0x7a, -32]] as const) {
      const l = Math.max(lo, a);
      const h = Math.min(hi, z);
      if (l <= h) extra.push([l + delta, h + delta]);
    }
  }
  return normalise([...set.map(([l, h]) => [l, h] as [number, number]), ...extra]);
}

// --- parser -------------------------------------------------------------------------------------

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly fold: boolean,
  ) {}

  parse(): RegexNode {
    const n = this.alternation();
    if (this.i < this.src.length) this.fail(`unexpected "${this.src[this.i]}"`);
    return n;
  }

  private fail(msg: string): never {
    throw new Error(`regex /${this.src}/ at ${this.i}: ${msg}`);
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alternation(): RegexNode {
    const alts = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }

  private quantified(atom: RegexNode): RegexNode {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) this.fail('a literal "{" must be escaped');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    let lazy = false;
    if (this.peek() === '?') {
      lazy = true;
      this.i++;
    }
    if (atom.t === 'start' || atom.t === 'end' || atom.t === 'wordb') this.fail('quantified assertion');
    return this.quantified({ t: 'repeat', body: atom, min, max, lazy });
  }

  private atom(): RegexNode {
    const c = this.src[this.i++]!;
    switch (c) {
      case '(': {
        let capture = true;
        if (this.peek() === '?') {
          if (this.src[this.i + 1] !== ':') this.fail('only (?:…) groups are supported (no lookaround, no named groups)');
          capture = false;
          this.i += 2;
        }
        const body = this.alternation();
        if (this.src[this.i++] !== ')') this.fail('missing ")"');
        return { t: 'group', capture, body };
      }
      case '[':
        return this.charClass();
      case '.':
        return { t: 'set', set: JS_DOT };
      case '^':
        return { t: 'start' };
      case '$':
        return { t: 'end' };
      case '\\':
        return this.escape(false) as RegexNode;
      case '*':
      case '+':
      case '?':
      case ')':
        return this.fail(`unexpected "${c}"`);
      default: {
        // A code point (a surrogate pair is one character to the SQL engines; the classifier has none).
        const code = c.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdbff) this.fail('characters outside the Basic Multilingual Plane are not supported');
        return this.literal(code);
      }
    }
  }

  private literal(code: number): RegexNode {
    return { t: 'set', set: this.fold ? foldAscii(single(code)) : single(code) };
  }

  /** After a backslash. In a class, returns a set; outside, a node. */
  private escape(inClass: boolean): RegexNode | CharSet {
    const c = this.src[this.i++];
    if (c === undefined) this.fail('trailing backslash');
    if ('dDsSwW'.includes(c)) {
      const set = shorthand(c);
      return inClass ? set : { t: 'set', set };
    }
    if (c === 'b' || c === 'B') {
      if (inClass) this.fail('\\b in a class');
      return { t: 'wordb', negated: c === 'B' };
    }
    let code: number;
    if (c === 'u') {
      const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
      if (!m) this.fail('\\u needs four hex digits');
      code = parseInt(m[0], 16);
      this.i += 4;
    } else if (c === 'x') {
      const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
      if (!m) this.fail('\\x needs two hex digits');
      code = parseInt(m[0], 16);
      this.i += 2;
    } else if (c === 't') code = 9;
    else if (c === 'n') code = 10;
    else if (c === 'r') code = 13;
    else if (c === 'f') code = 12;
    else if (c === 'v') code = 11;
    else if (/[0-9a-zA-Z]/.test(c)) this.fail(`unsupported escape \\${c}`);
    else code = c.charCodeAt(0);
    if (inClass) return single(code);
    return this.literal(code);
  }

  private charClass(): RegexNode {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: Array<[number, number]> = [];
    let first = true;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) this.fail('missing "]"');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      const lo = this.classAtom();
      if (this.peek() === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++;
        const hi = this.classAtom();
        if (lo.length !== 1 || hi.length !== 1 || lo[0]![0] !== lo[0]![1] || hi[0]![0] !== hi[0]![1]) this.fail('range with a shorthand');
        ranges.push([lo[0]![0], hi[0]![0]]);
      } else {
        ranges.push(...lo.map(([l, h]) => [l, h] as [number, number]));
      }
    }
    let set = normalise(ranges);
    if (this.fold) set = foldAscii(set);
    return { t: 'set', set: negated ? complement(set) : set };
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++]!;
    if (c === '\\') return this.escape(true) as CharSet;
    const code = c.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdfff) this.fail('characters outside the Basic Multilingual Plane are not supported');
    return single(code);
  }
}

/** Parse a JavaScript regular expression (source and flags) into the syntax tree. */
export function parseRegex(source: string, flags = ''): RegexNode {
  for (const f of flags) if (f !== 'g' && f !== 'i') throw new Error(`regex /${source}/${flags}: flag ${f} is not supported`);
  return new Parser(source, flags.includes('i')).parse();
}

/** Number of capturing groups. */
export function captureCount(n: RegexNode): number {
  switch (n.t) {
    case 'alt':
      return n.alts.reduce((s, a) => s + captureCount(a), 0);
    case 'seq':
      return n.items.reduce((s, a) => s + captureCount(a), 0);
    case 'group':
      return (n.capture ? 1 : 0) + captureCount(n.body);
    case 'repeat':
      return captureCount(n.body);
    default:
      return 0;
  }
}

/** Whether the tree holds a lazy quantifier. */
export function hasLazy(n: RegexNode): boolean {
  switch (n.t) {
    case 'alt':
      return n.alts.some(hasLazy);
    case 'seq':
      return n.items.some(hasLazy);
    case 'group':
      return hasLazy(n.body);
    case 'repeat':
      return n.lazy || hasLazy(n.body);
    default:
      return false;
  }
}

/** Every code point a pattern names on its own or in a bounded range (for the lower-casing table). */
export function literalCodePoints(n: RegexNode, out = new Set<number>()): Set<number> {
  switch (n.t) {
    case 'alt':
      n.alts.forEach((a) => literalCodePoints(a, out));
      break;
    case 'seq':
      n.items.forEach((a) => literalCodePoints(a, out));
      break;
    case 'group':
    case 'repeat':
      literalCodePoints(n.body, out);
      break;
    case 'set':
      // Small sets only: a negated class or a shorthand names what it excludes, not what it matches.
      if (n.set.reduce((s, [lo, hi]) => s + hi - lo + 1, 0) <= 512) for (const [lo, hi] of n.set) for (let c = lo; c <= hi; c++) out.add(c);
      break;
  }
  return out;
}

// --- printer ------------------------------------------------------------------------------------

const WORD_CLASS = '[0-9A-Za-z_]';
/** A JavaScript `\b` (ASCII word characters) written with lookarounds. */
const LOOKAROUND_WORD_BOUNDARY = `(?:(?<=${WORD_CLASS})(?!${WORD_CLASS})|(?<!${WORD_CLASS})(?=${WORD_CLASS}))`;
const LOOKAROUND_NOT_WORD_BOUNDARY = `(?:(?<=${WORD_CLASS})(?=${WORD_CLASS})|(?<!${WORD_CLASS})(?!${WORD_CLASS}))`;

/** Characters printed as themselves: printable ASCII and letters, marks and symbols of other scripts. */
function isPlain(c: number): boolean {
  if (c >= 0x20 && c < 0x7f) return true;
  if (c < 0xa0 || c > 0xffff) return false;
  if (c >= 0xd800 && c <= 0xf8ff) return false; // surrogates and private use
  const s = String.fromCodePoint(c);
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(s);
}

function hex(c: number, width: number): string {
  return c.toString(16).toUpperCase().padStart(width, '0');
}

/** A code point outside a class. */
function printChar(c: number, flavor: RegexFlavor): string {
  const s = String.fromCodePoint(c);
  if (c < 0x80 && /[\\^$.|?*+()[\]{}]/.test(s)) return `\\${s}`;
  if (isPlain(c)) return s;
  return printCodeEscape(c, flavor);
}

function printCodeEscape(c: number, flavor: RegexFlavor): string {
  switch (flavor) {
    case 're2':
    case 'java':
      return `\\x{${hex(c, 2)}}`;
    case 'postgres':
      return c > 0xffff ? `\\U${hex(c, 8)}` : `\\u${hex(c, 4)}`;
    case 'snowflake':
      // POSIX has no code escapes: the character itself, which the SQL string literal escapes.
      return String.fromCodePoint(c);
  }
}

/** A code point inside a class. */
function printClassChar(c: number, flavor: RegexFlavor): string {
  const s = String.fromCodePoint(c);
  if (flavor === 'snowflake') {
    // Whether Snowflake reads a backslash in brackets as POSIX (literal) or as Perl (an escape), "\\"
    // means a backslash; ']', '^' and '-' are placed where both read them as literal (printPosixBracket).
    return s === '\\' ? '\\\\' : s;
  }
  if (c < 0x80 && /[\\\]\[^\-&]/.test(s)) return `\\${s}`;
  if (isPlain(c)) return s;
  return printCodeEscape(c, flavor);
}

function setSize(set: CharSet): number {
  return set.reduce((s, [lo, hi]) => s + hi - lo + 1, 0);
}

function printSet(given: CharSet, flavor: RegexFlavor, ctx: PrintContext): string {
  if (ctx.dontCare) {
    // Characters that never occur may be in the class or not: write whichever is shorter.
    const without = subtract(given, ctx.dontCare);
    const withAll = normalise([...given, ...ctx.dontCare].map(([l, h]) => [l, h] as [number, number]));
    const plain = { ...ctx, dontCare: undefined };
    const options = [without, withAll].filter((s) => s.length > 0).map((s) => printSetExact(s, flavor, { ...plain }));
    if (options.length) {
      const best = options.reduce((a, b) => (b.length < a.length ? b : a));
      if (flavor === 'snowflake' && best.startsWith('(')) ctx.groups++;
      return best;
    }
  }
  return printSetExact(given, flavor, ctx);
}

function subtract(a: CharSet, b: CharSet): CharSet {
  return complement(normalise([...complement(a), ...b].map(([l, h]) => [l, h] as [number, number])));
}

function printSetExact(set: CharSet, flavor: RegexFlavor, ctx: PrintContext): string {
  if (set.length === 1 && set[0]![0] === set[0]![1]) return printChar(set[0]![0], flavor);
  if (set.length === 0) throw new Error('empty character class');
  const comp = complement(set);
  if (comp.length === 0) {
    // Postgres '.' matches every character (the operators are not newline-sensitive by default).
    if (flavor !== 'snowflake') return flavor === 're2' ? '(?s:.)' : flavor === 'postgres' ? '.' : '[\\s\\S]';
    ctx.groups++;
    return '(.|\n)';
  }
  // The shorter of the class and its negation; a class that reaches the last code point is negated.
  const negate = set[set.length - 1]![1] === MAX_CP || (comp[comp.length - 1]![1] !== MAX_CP && setSize(comp) < setSize(set));
  const ranges = negate ? comp : set;
  if (flavor === 'snowflake') return printPosixBracket(ranges, negate);
  let body = '';
  for (const [lo, hi] of ranges) {
    body += printClassChar(lo, flavor);
    if (hi > lo + 1) body += '-';
    if (hi > lo) body += printClassChar(hi, flavor);
  }
  return `[${negate ? '^' : ''}${body}]`;
}

/**
 * A POSIX bracket expression: no escapes inside, so ']' goes first, '-' last, '^' anywhere but first.
 * A range that holds one of those three is split so that the character stands alone.
 */
function printPosixBracket(ranges: CharSet, negate: boolean): string {
  const special = [0x2d, 0x5d, 0x5e];
  const parts: Array<[number, number]> = [];
  const singles = new Set<number>();
  for (const [lo, hi] of ranges) {
    let l = lo;
    for (const s of special) {
      if (s < l || s > hi) continue;
      if (s > l) parts.push([l, s - 1]);
      singles.add(s);
      l = s + 1;
    }
    if (l <= hi) parts.push([l, hi]);
  }
  let body = '';
  for (const [l, hi] of parts) {
    // No NUL in a pattern: a text cannot hold one either (SQL strings end there in some engines).
    const lo = Math.max(l, 1);
    if (lo > hi) continue;
    body += printClassChar(lo, 'snowflake');
    if (hi > lo + 1) body += '-';
    if (hi > lo) body += printClassChar(hi, 'snowflake');
  }
  if (singles.has(0x5d)) body = `]${body}`;
  if (singles.has(0x5e)) body = body === '' ? '\\^' : `${body}^`;
  if (singles.has(0x2d)) body += '-';
  return `[${negate ? '^' : ''}${body}]`;
}

function printRepeat(n: Extract<RegexNode, { t: 'repeat' }>, flavor: RegexFlavor, ctx: PrintContext): string {
  const body = n.body;
  // A quantified sequence or alternation needs a group around it.
  const atomic = body.t === 'set' || body.t === 'group';
  const inner = atomic ? print(body, flavor, ctx) : group(print(body, flavor, ctx), flavor, ctx);
  let q: string;
  if (n.min === 0 && n.max === Infinity) q = '*';
  else if (n.min === 1 && n.max === Infinity) q = '+';
  else if (n.min === 0 && n.max === 1) q = '?';
  else if (n.max === Infinity) q = `{${n.min},}`;
  else if (n.min === n.max) q = `{${n.min}}`;
  else q = `{${n.min},${n.max}}`;
  // Postgres refuses counts above 255 (RE_DUP_MAX); RE2 above 1000.
  if ((n.max !== Infinity && n.max > 255) || n.min > 255) throw new Error(`a repetition count above 255 cannot be written for every engine (${q})`);
  if (n.lazy) {
    if (flavor === 'snowflake') {
      if (!ctx.allowGreedyForLazy) throw new Error('a lazy quantifier in a pattern whose match is extracted cannot be written for Snowflake');
    } else q += '?';
  }
  return inner + q;
}

interface PrintContext {
  /** Snowflake: number of groups opened so far (every group captures there). */
  groups: number;
  /** The group number (in the printed pattern) of the source's capturing group, once printed. */
  captureAt: number | null;
  /** A lazy quantifier may be printed greedy: the pattern is only tested for a match. */
  allowGreedyForLazy: boolean;
  /** Characters the text never holds (a squeezed text): classes may include them or not. */
  dontCare?: CharSet;
}

function group(body: string, flavor: RegexFlavor, ctx: PrintContext): string {
  if (flavor === 'snowflake') {
    ctx.groups++;
    return `(${body})`;
  }
  return `(?:${body})`;
}

function print(n: RegexNode, flavor: RegexFlavor, ctx: PrintContext): string {
  switch (n.t) {
    case 'alt':
      return n.alts.map((a) => print(a, flavor, ctx)).join('|');
    case 'seq':
      return n.items.map((a) => (a.t === 'alt' ? group(print(a, flavor, ctx), flavor, ctx) : print(a, flavor, ctx))).join('');
    case 'group': {
      if (n.capture) {
        if (ctx.captureAt !== null) throw new Error('more than one capturing group');
        if (flavor === 'snowflake') {
          ctx.groups++;
          ctx.captureAt = ctx.groups;
          return `(${print(n.body, flavor, ctx)})`;
        }
        ctx.captureAt = 1;
        return `(${print(n.body, flavor, ctx)})`;
      }
      if (flavor === 'snowflake') {
        ctx.groups++;
        return `(${print(n.body, flavor, ctx)})`;
      }
      return `(?:${print(n.body, flavor, ctx)})`;
    }
    case 'repeat':
      return printRepeat(n, flavor, ctx);
    case 'set':
      return printSet(n.set, flavor, ctx);
    case 'start':
      return '^';
    case 'end':
      return flavor === 'java' ? '\\z' : '$';
    case 'wordb':
      if (flavor === 'postgres' || flavor === 'java') return n.negated ? LOOKAROUND_NOT_WORD_BOUNDARY : LOOKAROUND_WORD_BOUNDARY;
      return n.negated ? '\\B' : '\\b';
  }
}

export interface PrintedRegex {
  /** The pattern in the engine's syntax (not yet quoted as a SQL string). */
  pattern: string;
  /** Number of the group holding the source's capturing group, or null when it has none. */
  group: number | null;
}

/**
 * Print a JavaScript pattern for an engine. `use` says how the pattern is used: 'test' (is there a match?)
 * lets Snowflake drop laziness; 'extract' (one group), 'scan' (no group) and 'replace' (at most one group)
 * require the match itself to be the same.
 */
export function printRegex(
  re: RegExp | { source: string; flags: string },
  flavor: RegexFlavor,
  use: 'test' | 'extract' | 'scan' | 'replace',
  dontCare?: CharSet,
): PrintedRegex {
  const tree = parseRegex(re.source, re.flags);
  const captures = captureCount(tree);
  if (captures > 1) throw new Error(`regex /${re.source}/ has ${captures} capturing groups; at most one`);
  if (use === 'extract' && captures !== 1) throw new Error(`regex /${re.source}/ is extracted but has no capturing group`);
  if (use === 'scan' && captures !== 0) throw new Error(`regex /${re.source}/ is scanned and must not capture`);
  const ctx: PrintContext = { groups: 0, captureAt: null, allowGreedyForLazy: use === 'test', ...(dontCare ? { dontCare } : {}) };
  const pattern = print(tree, flavor, ctx);
  return { pattern, group: ctx.captureAt };
}
