/**
 * The decision language the classifier is written in, so that one program runs in two places: in
 * JavaScript for the CLI (classify/program-runner.ts) and as SQL in a warehouse (src/sql/). A program is a
 * list of named values, each an expression over the program's inputs and the values before it, and its
 * outputs. The expressions are the few steps both targets execute the same way:
 *
 * - a regular expression's first match: does it match (`test`), its capturing group (`extract`, first
 *   match, null when none or empty), every match replaced (`replace`);
 * - comparisons of the values found (`eq`, `isNull`, integer comparisons), `and`/`or`/`not`;
 * - choices: `caseOf` (first true condition wins), `coalesce` (first non-null), `lookup` (a table of
 *   constants), `isIn` (one of a list of constants);
 * - strings: `lower` (JavaScript's lower-casing), `concat`, `truncate`;
 * - `mapMatches` / `mapSplit`: a string rebuilt from its pieces, each rewritten by the same expression;
 * - whole numbers (`toInt`, arithmetic, `intText`), for dates.
 *
 * Patterns are JavaScript RegExp literals without lookaround or backreferences: the SQL compiler prints them
 * in each engine's flavour (src/sql/regex.ts). A pattern whose match is extracted has one capturing group.
 * Every expression has a type checked here, when the program is built, so a program that would behave
 * differently in SQL (a null where JavaScript throws, a concatenation with null) cannot be written.
 */

export type Type = 'str' | 'bool' | 'int' | 'float';

interface Typed {
  readonly type: Type;
  /** The value may be null (a string expression only). */
  readonly nullable: boolean;
  /**
   * A string known to hold no whitespace but the space (every run of whitespace squeezed to one space, and
   * nothing added since but spaces): patterns that read it may treat other whitespace as absent, which
   * makes their SQL shorter and faster. Set by the builders below, never by hand.
   */
  readonly squeezed?: boolean;
}

/** Whitespace other than the space, as JavaScript's \s knows it. */
const OTHER_SPACE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const isSqueezed = (e: Expr): boolean => e.squeezed === true || (e.k === 'str' && !OTHER_SPACE.test(e.v));

export type Expr = Typed &
  (
    | { readonly k: 'ref'; readonly name: string }
    | { readonly k: 'str'; readonly v: string }
    | { readonly k: 'null' }
    | { readonly k: 'bool'; readonly v: boolean }
    | { readonly k: 'num'; readonly v: number }
    | { readonly k: 'test'; readonly x: Expr; readonly re: RegExp }
    | { readonly k: 'extract'; readonly x: Expr; readonly re: RegExp }
    | { readonly k: 'replace'; readonly x: Expr; readonly re: RegExp; readonly with: string }
    | { readonly k: 'lower'; readonly x: Expr }
    | { readonly k: 'truncate'; readonly x: Expr; readonly n: number }
    | { readonly k: 'concat'; readonly xs: readonly Expr[] }
    | { readonly k: 'eq'; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'not'; readonly x: Expr }
    | { readonly k: 'and'; readonly xs: readonly Expr[] }
    | { readonly k: 'or'; readonly xs: readonly Expr[] }
    | { readonly k: 'isNull'; readonly x: Expr }
    | { readonly k: 'case'; readonly whens: ReadonlyArray<readonly [Expr, Expr]>; readonly else: Expr }
    | { readonly k: 'coalesce'; readonly xs: readonly Expr[] }
    | { readonly k: 'lookup'; readonly x: Expr; readonly table: ReadonlyArray<readonly [string, string]> }
    | { readonly k: 'in'; readonly x: Expr; readonly values: readonly string[] }
    | { readonly k: 'mapMatches'; readonly x: Expr; readonly re: RegExp; readonly param: string; readonly body: Expr }
    | { readonly k: 'mapSplit'; readonly x: Expr; readonly sep: string; readonly param: string; readonly body: Expr }
    | { readonly k: 'toInt'; readonly x: Expr }
    | { readonly k: 'toFloat'; readonly x: Expr }
    | { readonly k: 'round'; readonly x: Expr }
    | { readonly k: 'arith'; readonly op: '+' | '-' | '*' | 'div' | 'mod'; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'cmp'; readonly op: '<' | '<=' | '>' | '>=' | '='; readonly a: Expr; readonly b: Expr }
    | { readonly k: 'intText'; readonly x: Expr; readonly width: number }
  );

export type ExprOf<K extends Expr['k']> = Extract<Expr, { k: K }>;

export interface Binding {
  readonly name: string;
  readonly expr: Expr;
  /**
   * A condition implied by every condition that uses it, computed only so that a runner can skip work
   * (one union of patterns tested before each of them). A target for which it saves nothing may take it
   * as true: the program means the same.
   */
  readonly shortcut?: true;
}

export interface Program {
  readonly name: string;
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly type: Type; readonly squeezed?: boolean }>;
  readonly bindings: readonly Binding[];
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly expr: Expr }>;
}

function fail(msg: string): never {
  throw new Error(`program: ${msg}`);
}

function needStr(e: Expr, what: string): void {
  if (e.type !== 'str') fail(`${what} takes a string, got ${e.type}`);
  if (e.nullable) fail(`${what} takes a string that cannot be null (coalesce it first)`);
}

function needBool(e: Expr, what: string): void {
  if (e.type !== 'bool') fail(`${what} takes a condition, got ${e.type}`);
}

function needNum(e: Expr, what: string): void {
  if (e.type !== 'int' && e.type !== 'float') fail(`${what} takes a number, got ${e.type}`);
  if (e.nullable) fail(`${what} takes a number that cannot be null`);
}

function captures(re: RegExp): number {
  // Opening parentheses not followed by '?' and not escaped or in a class.
  let n = 0;
  let inClass = false;
  const s = re.source;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && s[i + 1] !== '?') n++;
  }
  return n;
}

// --- expression builders ------------------------------------------------------------------------

export const str = (v: string): Expr => ({ k: 'str', v, type: 'str', nullable: false });
export const NULL: Expr = { k: 'null', type: 'str', nullable: true };
export const TRUE: Expr = { k: 'bool', v: true, type: 'bool', nullable: false };
export const FALSE: Expr = { k: 'bool', v: false, type: 'bool', nullable: false };
export const int = (v: number): Expr => {
  if (!Number.isSafeInteger(v)) fail(`${v} is not an integer`);
  return { k: 'num', v, type: 'int', nullable: false };
};

/** Does `re` match somewhere in `x`? */
export function test(x: Expr, re: RegExp): Expr {
  needStr(x, 'test');
  return { k: 'test', x, re, type: 'bool', nullable: false };
}

/**
 * The capturing group of `re`'s first match in `x`, or null: no match, or a group that did not take part or
 * matched nothing (engines differ on those two, so a program may not tell them apart).
 */
export function extract(x: Expr, re: RegExp): Expr {
  needStr(x, 'extract');
  if (captures(re) !== 1) fail(`extract /${re.source}/ needs exactly one capturing group`);
  return { k: 'extract', x, re, type: 'str', nullable: true, squeezed: isSqueezed(x) };
}

/** Every match of `re` in `x` replaced by `by`, which may name the capturing group as `$1`. */
export function replace(x: Expr, re: RegExp, by: string): Expr {
  needStr(x, 'replace');
  if (by.replaceAll('$1', '').includes('$')) fail(`replacement "${by}" may only use $1`);
  if (by.includes('$1') && captures(re) !== 1) fail(`replacement $1 needs one capturing group in /${re.source}/`);
  if (by.includes('\\')) fail('a replacement cannot hold a backslash');
  // Squeezing whitespace, or replacing within a squeezed string by text without other whitespace.
  const squeezes = re.source === String.raw`\s+` && by === ' ';
  return { k: 'replace', x, re, with: by, type: 'str', nullable: false, squeezed: squeezes || (isSqueezed(x) && !OTHER_SPACE.test(by)) };
}

/** JavaScript's String.prototype.toLowerCase. */
export function lower(x: Expr): Expr {
  needStr(x, 'lower');
  return { k: 'lower', x, type: 'str', nullable: false, squeezed: isSqueezed(x) };
}

/** The first `n` characters of `x`. */
export function truncate(x: Expr, n: number): Expr {
  needStr(x, 'truncate');
  return { k: 'truncate', x, n, type: 'str', nullable: false, squeezed: isSqueezed(x) };
}

export function concat(...xs: Expr[]): Expr {
  xs.forEach((x) => needStr(x, 'concat'));
  return { k: 'concat', xs, type: 'str', nullable: false, squeezed: xs.every(isSqueezed) };
}

/** Equal and both not null (a null compares false). */
export function eq(a: Expr, b: Expr): Expr {
  if (a.type !== b.type) fail(`eq of ${a.type} and ${b.type}`);
  if (a.type === 'bool') fail('eq of conditions');
  return { k: 'eq', a, b, type: 'bool', nullable: false };
}

export function not(x: Expr): Expr {
  needBool(x, 'not');
  return { k: 'not', x, type: 'bool', nullable: false };
}

export function and(...xs: Expr[]): Expr {
  xs.forEach((x) => needBool(x, 'and'));
  if (xs.length === 1) return xs[0]!;
  return { k: 'and', xs, type: 'bool', nullable: false };
}

export function or(...xs: Expr[]): Expr {
  xs.forEach((x) => needBool(x, 'or'));
  if (xs.length === 1) return xs[0]!;
  return { k: 'or', xs, type: 'bool', nullable: false };
}

export function isNull(x: Expr): Expr {
  if (x.type !== 'str') fail('isNull takes a string');
  return { k: 'isNull', x, type: 'bool', nullable: false };
}

export const notNull = (x: Expr): Expr => not(isNull(x));

/** The value of the first true condition, else `otherwise`. */
export function caseOf(whens: ReadonlyArray<readonly [Expr, Expr]>, otherwise: Expr): Expr {
  const type = otherwise.type;
  let nullable = otherwise.nullable;
  for (const [c, v] of whens) {
    needBool(c, 'caseOf condition');
    if (v.type !== type) fail(`caseOf mixes ${v.type} and ${type}`);
    nullable ||= v.nullable;
  }
  if (whens.length === 0) return otherwise;
  const squeezed = type === 'str' && isSqueezed(otherwise) && whens.every(([, v]) => isSqueezed(v) || v.k === 'null');
  return { k: 'case', whens, else: otherwise, type, nullable, squeezed };
}

/** The first value that is not null. */
export function coalesce(...xs: Expr[]): Expr {
  if (xs.length === 0) fail('coalesce of nothing');
  for (const x of xs) if (x.type !== 'str') fail('coalesce takes strings');
  if (xs.length === 1) return xs[0]!;
  return { k: 'coalesce', xs, type: 'str', nullable: xs[xs.length - 1]!.nullable, squeezed: xs.every((x) => isSqueezed(x) || x.k === 'null') };
}

/** The value `table` gives for `x`, or null. */
export function lookup(x: Expr, table: ReadonlyArray<readonly [string, string]>): Expr {
  if (x.type !== 'str') fail('lookup takes a string');
  if (new Set(table.map(([k]) => k)).size !== table.length) fail('lookup with a key twice');
  return { k: 'lookup', x, table, type: 'str', nullable: true };
}

/** `x` is one of `values` (a null is in no list). */
export function isIn(x: Expr, values: readonly string[]): Expr {
  if (x.type !== 'str') fail('isIn takes a string');
  if (values.length === 0) return FALSE;
  return { k: 'in', x, values: [...new Set(values)], type: 'bool', nullable: false };
}

let lambdaCounter = 0;

/**
 * `x` rebuilt from the matches of `re` (which must match every character of `x`, in order, so that
 * joining the matches gives back `x`), each replaced by `body(match)`.
 */
export function mapMatches(x: Expr, re: RegExp, body: (m: Expr) => Expr): Expr {
  needStr(x, 'mapMatches');
  if (captures(re) !== 0) fail(`mapMatches /${re.source}/ must not capture`);
  const param = `m${++lambdaCounter}`;
  const b = body({ k: 'ref', name: param, type: 'str', nullable: false });
  needStr(b, 'mapMatches body');
  return { k: 'mapMatches', x, re, param, body: b, type: 'str', nullable: false };
}

/** The pieces of `x` between `sep`s, each replaced by `body(piece)`, joined with `sep` again. */
export function mapSplit(x: Expr, sep: string, body: (piece: Expr) => Expr): Expr {
  needStr(x, 'mapSplit');
  if (sep.length !== 1) fail('mapSplit separator must be one character');
  const param = `p${++lambdaCounter}`;
  const b = body({ k: 'ref', name: param, type: 'str', nullable: false });
  needStr(b, 'mapSplit body');
  return { k: 'mapSplit', x, sep, param, body: b, type: 'str', nullable: false };
}

/** A string of ASCII digits (at most 15) as an integer. */
export function toInt(x: Expr): Expr {
  needStr(x, 'toInt');
  return { k: 'toInt', x, type: 'int', nullable: false };
}

/** A decimal number as a double. */
export function toFloat(x: Expr): Expr {
  needStr(x, 'toFloat');
  return { k: 'toFloat', x, type: 'float', nullable: false };
}

/** Nearest integer, halves rounded up (Math.round of a non-negative number). */
export function round(x: Expr): Expr {
  needNum(x, 'round');
  return { k: 'round', x, type: 'int', nullable: false };
}

export function arith(op: '+' | '-' | '*' | 'div' | 'mod', a: Expr, b: Expr): Expr {
  needNum(a, op);
  needNum(b, op);
  const type: Type = a.type === 'float' || b.type === 'float' ? 'float' : 'int';
  if ((op === 'div' || op === 'mod') && type !== 'int') fail(`${op} takes integers`);
  return { k: 'arith', op, a, b, type, nullable: false };
}

export function cmp(op: '<' | '<=' | '>' | '>=' | '=', a: Expr, b: Expr): Expr {
  needNum(a, op);
  needNum(b, op);
  return { k: 'cmp', op, a, b, type: 'bool', nullable: false };
}

/** A non-negative integer in decimal, zero-padded to `width` digits. */
export function intText(x: Expr, width: number): Expr {
  needNum(x, 'intText');
  if (x.type !== 'int') fail('intText takes an integer');
  return { k: 'intText', x, width, type: 'str', nullable: false };
}

// --- programs -----------------------------------------------------------------------------------

/** Builds a program: declare inputs, bind named values in order, name the outputs. */
export class ProgramBuilder {
  private readonly inputs: Array<{ name: string; type: Type; squeezed?: boolean }> = [];
  private readonly bindings: Binding[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly name: string) {}

  private claim(name: string): void {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) fail(`name "${name}" must be lower-case letters, digits and _`);
    if (this.names.has(name)) fail(`name "${name}" bound twice`);
    this.names.add(name);
  }

  /** An input; `squeezed`: callers give only strings with no whitespace but the space (checked by use()). */
  input(name: string, type: Type = 'str', squeezed = false): Expr {
    this.claim(name);
    this.inputs.push({ name, type, ...(squeezed ? { squeezed } : {}) });
    return { k: 'ref', name, type, nullable: false, ...(squeezed ? { squeezed } : {}) };
  }

  /** A named value: computed once, wherever it is used. */
  let(name: string, expr: Expr): Expr {
    this.claim(name);
    this.bindings.push({ name, expr });
    return { k: 'ref', name, type: expr.type, nullable: expr.nullable, ...(isSqueezed(expr) && expr.type === 'str' ? { squeezed: true } : {}) };
  }

  /** A shortcut condition (see Binding.shortcut): only ever and-ed with conditions that imply it. */
  shortcut(name: string, cond: Expr): Expr {
    needBool(cond, 'shortcut');
    this.claim(name);
    this.bindings.push({ name, expr: cond, shortcut: true });
    return { k: 'ref', name, type: 'bool', nullable: false };
  }

  /**
   * Another program's values inside this one, its inputs given by `args`, its names prefixed: returns its
   * outputs by name.
   */
  use(p: Program, args: Readonly<Record<string, Expr>>, prefix: string): Record<string, Expr> {
    const map = new Map<string, Expr>();
    for (const i of p.inputs) {
      const a = args[i.name];
      if (a === undefined) fail(`${p.name}: input ${i.name} not given`);
      if (a.type !== i.type || a.nullable) fail(`${p.name}: input ${i.name} needs a non-null ${i.type}`);
      if (i.squeezed && !isSqueezed(a)) fail(`${p.name}: input ${i.name} needs a squeezed string`);
      map.set(i.name, a);
    }
    for (const b of p.bindings) {
      const e = substitute(b.expr, map);
      map.set(b.name, b.shortcut ? this.shortcut(`${prefix}_${b.name}`, e) : this.let(`${prefix}_${b.name}`, e));
    }
    const out: Record<string, Expr> = {};
    for (const o of p.outputs) out[o.name] = substitute(o.expr, map);
    return out;
  }

  build(outputs: Readonly<Record<string, Expr>>): Program {
    return {
      name: this.name,
      inputs: this.inputs,
      bindings: this.bindings,
      outputs: Object.entries(outputs).map(([name, expr]) => ({ name, expr })),
    };
  }
}

/** `e` with references replaced by the expressions in `map` (lambda parameters are never in it). */
export function substitute(e: Expr, map: ReadonlyMap<string, Expr>): Expr {
  return e.k === 'ref' ? (map.get(e.name) ?? e) : mapChildren(e, (c) => substitute(c, map));
}

/** The names an expression refers to (lambda parameters excluded). */
export function refsOf(e: Expr, out = new Set<string>(), bound: ReadonlySet<string> = new Set()): Set<string> {
  if (e.k === 'ref') {
    if (!bound.has(e.name)) out.add(e.name);
  } else if (e.k === 'mapMatches' || e.k === 'mapSplit') {
    refsOf(e.x, out, bound);
    refsOf(e.body, out, new Set([...bound, e.param]));
  } else {
    forEachChild(e, (c) => void refsOf(c, out, bound));
  }
  return out;
}

/** Every regular expression a program uses, with how it is used. */
export function patternsOf(p: Program): Array<{ re: RegExp; use: 'test' | 'extract' | 'replace' | 'scan' }> {
  const out: Array<{ re: RegExp; use: 'test' | 'extract' | 'replace' | 'scan' }> = [];
  const walk = (e: Expr): void => {
    switch (e.k) {
      case 'test':
        out.push({ re: e.re, use: 'test' });
        break;
      case 'extract':
        out.push({ re: e.re, use: 'extract' });
        break;
      case 'replace':
        out.push({ re: e.re, use: 'replace' });
        break;
      case 'mapMatches':
        out.push({ re: e.re, use: 'scan' });
        break;
    }
    forEachChild(e, walk);
  };
  for (const b of p.bindings) walk(b.expr);
  for (const o of p.outputs) walk(o.expr);
  return out;
}

export function forEachChild(e: Expr, f: (c: Expr) => void): void {
  switch (e.k) {
    case 'test':
    case 'extract':
    case 'replace':
    case 'lower':
    case 'truncate':
    case 'not':
    case 'isNull':
    case 'toInt':
    case 'toFloat':
    case 'round':
    case 'intText':
    case 'lookup':
    case 'in':
      f(e.x);
      break;
    case 'concat':
    case 'and':
    case 'or':
    case 'coalesce':
      e.xs.forEach(f);
      break;
    case 'eq':
    case 'arith':
    case 'cmp':
      f(e.a);
      f(e.b);
      break;
    case 'case':
      for (const [c, v] of e.whens) {
        f(c);
        f(v);
      }
      f(e.else);
      break;
    case 'mapMatches':
    case 'mapSplit':
      f(e.x);
      f(e.body);
      break;
    default:
      break;
  }
}

/** `e` with each direct child replaced by `f(child)` (lambda bodies included). */
export function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.k) {
    case 'ref':
    case 'str':
    case 'null':
    case 'bool':
    case 'num':
      return e;
    case 'test':
    case 'extract':
    case 'replace':
    case 'lower':
    case 'truncate':
    case 'not':
    case 'isNull':
    case 'toInt':
    case 'toFloat':
    case 'round':
    case 'intText':
    case 'lookup':
    case 'in':
      return { ...e, x: f(e.x) } as Expr;
    case 'concat':
    case 'and':
    case 'or':
    case 'coalesce':
      return { ...e, xs: e.xs.map(f) } as Expr;
    case 'eq':
    case 'arith':
    case 'cmp':
      return { ...e, a: f(e.a), b: f(e.b) } as Expr;
    case 'case':
      return { ...e, whens: e.whens.map(([c, v]) => [f(c), f(v)] as const), else: f(e.else) };
    case 'mapMatches':
    case 'mapSplit':
      return { ...e, x: f(e.x), body: f(e.body) } as Expr;
  }
}
