/**
 * A decision program (classify/program.ts) as SQL for one engine. Every expression becomes the engine's
 * own functions (dialects.ts) and every pattern its regex flavour (regex.ts). A named value used once is
 * written where it is used (so it is computed only on the branch that needs it, as in JavaScript); one
 * used more often becomes a column, computed once per row, in layers: each layer's values need only the
 * layers before. The layers are written as nested sub-selects (one expression, for a function body), as
 * lambdas over a one-element array (the same, where the engine restricts scalar sub-selects), or as
 * common table expressions over a table (for a query over many rows).
 */
import { literalCodePoints, parseRegex } from './regex.js';
import { printFor, type Dialect, type LowerTable } from './dialects.js';
import { forEachChild, mapChildren, patternsOf, refsOf, substitute, str, TRUE, type Expr, type Program } from '../classify/program.js';

/** Prefix of every column and alias the compiled SQL adds, so that it never meets a user's column. */
export const PREFIX = 'ba_';

export interface CompiledSql {
  readonly dialect: Dialect;
  /** Names of the program's inputs that are not constants, in order. */
  readonly inputs: readonly string[];
  /** The named values computed as columns, by layer (layer 0 holds the inputs). */
  readonly layers: ReadonlyArray<ReadonlyArray<{ readonly column: string; readonly sql: (ref: RefSql) => string; readonly patterns: ReadonlySet<string> }>>;
  /** Each output as SQL over the last layer's columns. */
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly sql: (ref: RefSql) => string }>;
}

/** How a column of a layer is written where it is used. */
export type RefSql = (column: string, layer: number) => string;

interface Node {
  readonly name: string;
  expr: Expr;
  inline: boolean;
  level: number;
}

/**
 * The characters JavaScript lower-cases to a character some pattern of the program names (or to an ASCII
 * letter), with their lower case: what an engine's lower() must map the way JavaScript does for every
 * verdict to be the same. Other characters may stay as they are in SQL: no pattern tells them apart from
 * their lower case (both are letters other than the ones patterns name).
 */
export function lowerTable(programs: readonly Program[]): LowerTable {
  const named = new Set<number>();
  for (const p of programs) for (const { re } of patternsOf(p)) literalCodePoints(parseRegex(re.source, re.flags), named);
  let from = '';
  let to = '';
  for (let c = 0x80; c <= 0xffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    const lc = ch.toLowerCase();
    if (lc === ch || lc.length !== 1) continue;
    const l = lc.charCodeAt(0);
    if (l < 0x80 || named.has(l)) {
      from += ch;
      to += lc;
    }
  }
  return { from, to };
}

/**
 * Compile `program` for `dialect`. `constants` fixes inputs to literal values (the policy flags baked into
 * the SQL); the other inputs come from the caller.
 */
export interface CompileOptions {
  /**
   * Make every pattern step a column of its own (computed on every row, not only on the branch that needs
   * it), so that a query can be cut into stages that each use few patterns (see asStages).
   */
  readonly patternColumns?: boolean;
}

export function compileSql(program: Program, dialect: Dialect, constants: Readonly<Record<string, string>> = {}, opts: CompileOptions = {}): CompiledSql {
  const fixed = new Map<string, Expr>(Object.entries(constants).map(([k, v]) => [k, str(v)]));
  // A shortcut saves nothing here: an RE2 or ARE union of patterns costs what the patterns cost together.
  for (const b of program.bindings) if (b.shortcut) fixed.set(b.name, TRUE);
  for (const k of Object.keys(constants)) if (!program.inputs.some((i) => i.name === k)) throw new Error(`${program.name}: no input ${k}`);
  const inputs = program.inputs.map((i) => i.name).filter((n) => !fixed.has(n));
  const nodes = new Map<string, Node>();
  for (const b of program.bindings) if (!b.shortcut) nodes.set(b.name, { name: b.name, expr: substitute(b.expr, fixed), inline: false, level: 0 });
  let outputs = program.outputs.map((o) => ({ name: o.name, expr: substitute(o.expr, fixed) }));
  const pinned = new Set<string>();
  if (opts.patternColumns) {
    const hoisted = new Map<string, string>();
    const hoist = (e: Expr): Expr => {
      // A lambda body stays whole: its patterns read its own piece.
      const inner = e.k === 'mapMatches' || e.k === 'mapSplit' ? { ...e, x: hoist(e.x) } : mapChildren(e, hoist);
      if (inner.k !== 'test' && inner.k !== 'extract' && inner.k !== 'replace' && inner.k !== 'mapMatches') return inner;
      const key = JSON.stringify(inner, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v));
      let name = hoisted.get(key);
      if (name === undefined) {
        name = `rx${hoisted.size + 1}`;
        hoisted.set(key, name);
        nodes.set(name, { name, expr: inner, inline: false, level: 0 });
        pinned.add(name);
      }
      return { k: 'ref', name, type: inner.type, nullable: inner.nullable, ...(inner.squeezed ? { squeezed: true } : {}) };
    };
    for (const n of [...nodes.values()]) if (!pinned.has(n.name)) n.expr = hoist(n.expr);
    outputs = outputs.map((o) => ({ name: o.name, expr: hoist(o.expr) }));
  }

  // Which named values are reached from the outputs, and how often each is referred to.
  const uses = new Map<string, number>();
  const reached = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.k === 'ref' && nodes.has(e.name)) {
      uses.set(e.name, (uses.get(e.name) ?? 0) + 1);
      if (!reached.has(e.name)) {
        reached.add(e.name);
        visit(nodes.get(e.name)!.expr);
      }
      return;
    }
    forEachChild(e, visit);
  };
  for (const o of outputs) visit(o.expr);
  for (const [name, n] of nodes) {
    if (!reached.has(name)) nodes.delete(name);
    else n.inline = uses.get(name) === 1 && !pinned.has(name);
  }

  // Levels: a column's layer is one more than the deepest column it needs (through inlined values).
  const levelOf = (name: string): number => {
    const n = nodes.get(name);
    if (!n) return 0;
    if (n.level > 0) return n.level;
    let deepest = 0;
    for (const r of refsOf(n.expr)) if (nodes.has(r)) deepest = Math.max(deepest, nodes.get(r)!.inline ? levelOf(r) - 1 : levelOf(r));
    n.level = deepest + 1;
    return n.level;
  };
  for (const name of nodes.keys()) levelOf(name);
  // Number the layers that hold a column 1, 2, … (a level may hold only inlined values).
  const used = [...new Set([...nodes.values()].filter((n) => !n.inline).map((n) => n.level))].sort((a, b) => a - b);
  const layerOf = new Map(used.map((l, i) => [l, i + 1]));
  for (const n of nodes.values()) if (!n.inline) n.level = layerOf.get(n.level)!;
  const table = lowerTable([program]);

  const exprSql = (e: Expr, ref: RefSql, params: ReadonlyMap<string, string>): string => {
    const go = (x: Expr): string => exprSql(x, ref, params);
    const d = dialect;
    switch (e.k) {
      case 'ref': {
        const p = params.get(e.name);
        if (p !== undefined) return p;
        const n = nodes.get(e.name);
        if (n === undefined) {
          if (!inputs.includes(e.name)) throw new Error(`${program.name}: unknown name ${e.name}`);
          return ref(`${PREFIX}in_${e.name}`, 0);
        }
        if (n.inline) return go(n.expr);
        return ref(`${PREFIX}${n.name}`, n.level);
      }
      case 'str':
        return d.lit(e.v);
      case 'null':
        return `CAST(NULL AS ${d.text})`;
      case 'bool':
        return e.v ? 'TRUE' : 'FALSE';
      case 'num':
        return String(e.v);
      case 'test':
        return d.test(go(e.x), printFor(d, e.re, 'test', e.x.squeezed));
      case 'extract':
        return d.extract(go(e.x), printFor(d, e.re, 'extract', e.x.squeezed));
      case 'replace':
        return d.replace(go(e.x), printFor(d, e.re, 'replace', e.x.squeezed), e.with);
      case 'lower':
        return d.lower(go(e.x), table);
      case 'truncate':
        return d.left(go(e.x), e.n);
      case 'concat':
        return `(${e.xs.map(go).join(' || ')})`;
      case 'eq':
        return e.a.nullable || e.b.nullable ? `COALESCE(${go(e.a)} = ${go(e.b)}, FALSE)` : `(${go(e.a)} = ${go(e.b)})`;
      case 'not':
        return `(NOT ${go(e.x)})`;
      case 'and':
        return `(${e.xs.map(go).join(' AND ')})`;
      case 'or':
        return `(${e.xs.map(go).join(' OR ')})`;
      case 'isNull':
        return `(${go(e.x)} IS NULL)`;
      case 'case':
        return `CASE ${e.whens.map(([c, v]) => `WHEN ${go(c)} THEN ${go(v)}`).join(' ')} ELSE ${go(e.else)} END`;
      case 'coalesce':
        return `COALESCE(${e.xs.map(go).join(', ')})`;
      case 'lookup':
        return `CASE ${go(e.x)} ${e.table.map(([k, v]) => `WHEN ${d.lit(k)} THEN ${d.lit(v)}`).join(' ')} ELSE CAST(NULL AS ${d.text}) END`;
      case 'in': {
        const list = `${go(e.x)} IN (${e.values.map((v) => d.lit(v)).join(', ')})`;
        return e.x.nullable ? `COALESCE(${list}, FALSE)` : `(${list})`;
      }
      case 'mapMatches':
      case 'mapSplit': {
        const free = [...refsOf(e.body)].filter((r) => r !== e.param);
        if (free.length) throw new Error(`${program.name}: a ${e.k} body may only use its own piece (uses ${free.join(', ')})`);
        const param = `${PREFIX}${e.param}`;
        const inner = new Map(params);
        inner.set(e.param, e.k === 'mapMatches' ? d.matchRef(param) : d.pieceRef(param));
        const body = exprSql(e.body, ref, inner);
        return e.k === 'mapMatches' ? d.mapMatches(go(e.x), printFor(d, e.re, 'scan', e.x.squeezed), param, body) : d.mapSplit(go(e.x), e.sep, param, body);
      }
      case 'toInt':
        return d.toInt(go(e.x));
      case 'toFloat':
        return d.toFloat(go(e.x));
      case 'round':
        // Math.round of a non-negative number: halves go up.
        return d.floor(`(${go(e.x)} + 0.5)`);
      case 'arith': {
        const a = go(e.a);
        const b = go(e.b);
        if (e.op === 'div') return d.floor(`(CAST(${a} AS ${d.double}) / ${b})`);
        if (e.op === 'mod') return `(${a} - ${b} * ${d.floor(`(CAST(${a} AS ${d.double}) / ${b})`)})`;
        return `(${a} ${e.op} ${b})`;
      }
      case 'cmp':
        return `(${go(e.a)} ${e.op} ${go(e.b)})`;
      case 'intText':
        return d.intText(go(e.x), e.width);
    }
  };

  const maxLevel = Math.max(0, ...[...nodes.values()].filter((n) => !n.inline).map((n) => n.level));
  // The patterns a column's SQL evaluates, counting the values written where they are used.
  const patternsIn = (e: Expr, out: Set<string>): Set<string> => {
    if (e.k === 'ref') {
      const n = nodes.get(e.name);
      if (n?.inline) patternsIn(n.expr, out);
      return out;
    }
    if (e.k === 'test' || e.k === 'extract' || e.k === 'replace' || e.k === 'mapMatches') out.add(`${e.re.source}/${e.re.flags}`);
    forEachChild(e, (x) => void patternsIn(x, out));
    return out;
  };
  const layers: Array<Array<{ column: string; sql: (ref: RefSql) => string; patterns: ReadonlySet<string> }>> = [];
  layers.push(inputs.map((name) => ({ column: `${PREFIX}in_${name}`, sql: () => '', patterns: new Set<string>() })));
  for (let l = 1; l <= maxLevel; l++) {
    layers.push(
      [...nodes.values()]
        .filter((n) => !n.inline && n.level === l)
        .map((n) => ({ column: `${PREFIX}${n.name}`, sql: (ref: RefSql) => exprSql(n.expr, ref, new Map()), patterns: patternsIn(n.expr, new Set()) })),
    );
  }
  return {
    dialect,
    inputs,
    layers,
    outputs: outputs.map((o) => ({ name: o.name, sql: (ref: RefSql) => exprSql(o.expr, ref, new Map()) })),
  };
}

/**
 * The program as one expression: nested sub-selects (or lambdas), the innermost binding the inputs to
 * `inputSql`, the outermost computing `select(outputs)` (SQL of each output by name).
 */
export function asExpression(c: CompiledSql, inputSql: Readonly<Record<string, string>>, select: (outputs: Readonly<Record<string, string>>) => string): string {
  const d = c.dialect;
  const last = c.layers.length - 1;
  if (d.letForm === 'lambda') {
    const ref: RefSql = (column, layer) => d.field(`${PREFIX}l${layer}`, column);
    let body = select(Object.fromEntries(c.outputs.map((o) => [o.name, o.sql(ref)])));
    for (let l = last; l >= 1; l--) body = d.lambdaLet!(d.struct(c.layers[l]!.map((b) => [b.column, b.sql(ref)])), `${PREFIX}l${l}`, body);
    return d.lambdaLet!(d.struct(c.inputs.map((n) => [`${PREFIX}in_${n}`, inputSql[n]!])), `${PREFIX}l0`, body);
  }
  const ref: RefSql = (column) => column;
  let from = `(SELECT ${c.inputs.map((n) => `${inputSql[n]} AS ${PREFIX}in_${n}`).join(', ')}${d.fence}) AS ${PREFIX}l0`;
  for (let l = 1; l <= last; l++) {
    const cols = c.layers[l]!.map((b) => `${b.sql(ref)} AS ${b.column}`);
    from = `(SELECT ${PREFIX}l${l - 1}.*, ${cols.join(', ')} FROM ${from}${d.fence}) AS ${PREFIX}l${l}`;
  }
  return `(SELECT ${select(Object.fromEntries(c.outputs.map((o) => [o.name, o.sql(ref)])))} FROM ${from})`;
}

/**
 * The program over the rows of `source` (a table or sub-select whose columns `inputSql` reads), as stages:
 * `${name}_1`, `${name}_2` … each a SELECT of the stage before with some columns added, the first from the
 * source, so that the caller writes them as common table expressions or as tables. With `maxPatterns`,
 * no stage evaluates more distinct patterns than that (Postgres caches 32 compiled regular expressions:
 * a stage that uses more compiles them again on every row). `outputs`: each output's SQL over the last stage.
 */
export function asStages(
  c: CompiledSql,
  name: string,
  source: string,
  inputSql: Readonly<Record<string, string>>,
  maxPatterns = Infinity,
): { stages: Array<{ name: string; sql: string }>; last: string; outputs: Readonly<Record<string, string>> } {
  const ref: RefSql = (column) => column;
  const stages: Array<{ name: string; sql: string }> = [];
  let prev = `${name}_0`;
  stages.push({ name: prev, sql: `SELECT ${PREFIX}src.*, ${c.inputs.map((n) => `${inputSql[n]} AS ${PREFIX}in_${n}`).join(', ')} FROM ${source} AS ${PREFIX}src` });
  for (let l = 1; l < c.layers.length; l++) {
    let chunk: string[] = [];
    let patterns = new Set<string>();
    const flush = (): void => {
      if (chunk.length === 0) return;
      const next = `${name}_${stages.length}`;
      stages.push({ name: next, sql: `SELECT ${prev}.*, ${chunk.join(', ')} FROM ${prev}` });
      prev = next;
      chunk = [];
      patterns = new Set();
    };
    for (const b of c.layers[l]!) {
      const sql = b.sql(ref);
      if (patterns.size > 0 && new Set([...patterns, ...b.patterns]).size > maxPatterns) flush();
      for (const p of b.patterns) patterns.add(p);
      chunk.push(`${sql} AS ${b.column}`);
    }
    flush();
  }
  return { stages, last: prev, outputs: Object.fromEntries(c.outputs.map((o) => [o.name, o.sql(ref)])) };
}
