/**
 * Runs a decision program (classify/program.ts) in JavaScript. The program is compiled once into
 * closures: every regular expression is compiled once, a named value is computed on first use and kept
 * for the rest of the run (so the branches a row does not take cost nothing), and a run allocates one
 * small array of slots.
 */
import type { Expr, Program } from './program.js';

type Value = string | boolean | number | null;
type Env = Value[];
type Fn = (env: Env) => Value;

/** Marks a named value not computed yet in this run. */
const UNSET = Symbol('unset') as unknown as Value;

export interface CompiledProgram {
  /** Names of the inputs, in the order `run` takes them. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Run with the inputs in order; returns the outputs in order. */
  run(inputs: readonly Value[]): Value[];
}

const nonGlobal = (re: RegExp): RegExp => new RegExp(re.source, re.flags.replace('g', ''));
const global = (re: RegExp): RegExp => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);

export function compileProgram(p: Program): CompiledProgram {
  const slots = new Map<string, number>();
  let next = 0;
  for (const i of p.inputs) slots.set(i.name, next++);
  const bindingStart = next;
  for (const b of p.bindings) slots.set(b.name, next++);
  const size = () => next;
  const bindingFns: Fn[] = [];

  const compile = (e: Expr): Fn => {
    switch (e.k) {
      case 'ref': {
        const slot = slots.get(e.name);
        if (slot === undefined) throw new Error(`program ${p.name}: unknown name ${e.name}`);
        if (slot < bindingStart) return (env) => env[slot]!;
        const idx = slot - bindingStart;
        // Lambda parameters live in slots after the bindings and are always set.
        if (idx >= p.bindings.length) return (env) => env[slot]!;
        return (env) => {
          let v: Value = env[slot]!;
          if (v === UNSET) {
            v = bindingFns[idx]!(env);
            env[slot] = v;
          }
          return v;
        };
      }
      case 'str':
      case 'bool':
      case 'num': {
        const v = e.v;
        return () => v;
      }
      case 'null':
        return () => null;
      case 'test': {
        const x = compile(e.x);
        const re = nonGlobal(e.re);
        return (env) => re.test(x(env) as string);
      }
      case 'extract': {
        const x = compile(e.x);
        const re = nonGlobal(e.re);
        return (env) => re.exec(x(env) as string)?.[1] || null;
      }
      case 'replace': {
        const x = compile(e.x);
        const re = global(e.re);
        const by = e.with;
        return (env) => (x(env) as string).replace(re, by);
      }
      case 'lower': {
        const x = compile(e.x);
        return (env) => (x(env) as string).toLowerCase();
      }
      case 'truncate': {
        const x = compile(e.x);
        const n = e.n;
        return (env) => {
          const s = x(env) as string;
          return s.length > n ? s.slice(0, n) : s;
        };
      }
      case 'concat': {
        const xs = e.xs.map(compile);
        return (env) => {
          let s = '';
          for (const f of xs) s += f(env) as string;
          return s;
        };
      }
      case 'eq': {
        const a = compile(e.a);
        const b = compile(e.b);
        return (env) => {
          const va = a(env);
          return va !== null && va === b(env);
        };
      }
      case 'not': {
        const x = compile(e.x);
        return (env) => !x(env);
      }
      case 'and': {
        const xs = e.xs.map(compile);
        return (env) => {
          for (const f of xs) if (!f(env)) return false;
          return true;
        };
      }
      case 'or': {
        const xs = e.xs.map(compile);
        return (env) => {
          for (const f of xs) if (f(env)) return true;
          return false;
        };
      }
      case 'isNull': {
        const x = compile(e.x);
        return (env) => x(env) === null;
      }
      case 'case': {
        const conds = e.whens.map(([c]) => compile(c));
        const vals = e.whens.map(([, v]) => compile(v));
        const otherwise = compile(e.else);
        return (env) => {
          for (let i = 0; i < conds.length; i++) if (conds[i]!(env)) return vals[i]!(env);
          return otherwise(env);
        };
      }
      case 'coalesce': {
        const xs = e.xs.map(compile);
        return (env) => {
          for (const f of xs) {
            const v = f(env);
            if (v !== null) return v;
          }
          return null;
        };
      }
      case 'lookup': {
        const x = compile(e.x);
        const table = new Map(e.table);
        return (env) => {
          const v = x(env);
          return v === null ? null : (table.get(v as string) ?? null);
        };
      }
      case 'in': {
        const x = compile(e.x);
        const values = new Set(e.values);
        return (env) => {
          const v = x(env);
          return v !== null && values.has(v as string);
        };
      }
      case 'mapMatches': {
        const x = compile(e.x);
        const re = global(e.re);
        const slot = next++;
        slots.set(e.param, slot);
        const body = compile(e.body);
        return (env) => {
          const s = x(env) as string;
          let out = '';
          re.lastIndex = 0;
          for (let m = re.exec(s); m !== null; m = re.exec(s)) {
            if (m[0] === '') throw new Error(`program ${p.name}: /${re.source}/ matched the empty string`);
            env[slot] = m[0];
            out += body(env) as string;
          }
          return out;
        };
      }
      case 'mapSplit': {
        const x = compile(e.x);
        const sep = e.sep;
        const slot = next++;
        slots.set(e.param, slot);
        const body = compile(e.body);
        return (env) => {
          const pieces = (x(env) as string).split(sep);
          for (let i = 0; i < pieces.length; i++) {
            env[slot] = pieces[i]!;
            pieces[i] = body(env) as string;
          }
          return pieces.join(sep);
        };
      }
      case 'toInt': {
        const x = compile(e.x);
        return (env) => Number(x(env) as string);
      }
      case 'toFloat': {
        const x = compile(e.x);
        return (env) => Number(x(env) as string);
      }
      case 'round': {
        const x = compile(e.x);
        return (env) => Math.round(x(env) as number);
      }
      case 'arith': {
        const a = compile(e.a);
        const b = compile(e.b);
        switch (e.op) {
          case '+':
            return (env) => (a(env) as number) + (b(env) as number);
          case '-':
            return (env) => (a(env) as number) - (b(env) as number);
          case '*':
            return (env) => (a(env) as number) * (b(env) as number);
          case 'div':
            return (env) => Math.floor((a(env) as number) / (b(env) as number));
          case 'mod':
            return (env) => {
              const d = b(env) as number;
              const v = a(env) as number;
              return v - d * Math.floor(v / d);
            };
        }
        break;
      }
      case 'cmp': {
        const a = compile(e.a);
        const b = compile(e.b);
        switch (e.op) {
          case '<':
            return (env) => (a(env) as number) < (b(env) as number);
          case '<=':
            return (env) => (a(env) as number) <= (b(env) as number);
          case '>':
            return (env) => (a(env) as number) > (b(env) as number);
          case '>=':
            return (env) => (a(env) as number) >= (b(env) as number);
          case '=':
            return (env) => (a(env) as number) === (b(env) as number);
        }
        break;
      }
      case 'intText': {
        const x = compile(e.x);
        const width = e.width;
        return (env) => String(x(env) as number).padStart(width, '0');
      }
    }
    throw new Error(`program ${p.name}: cannot run ${(e as Expr).k}`);
  };

  for (const b of p.bindings) bindingFns.push(compile(b.expr));
  const outputFns = p.outputs.map((o) => compile(o.expr));
  const inputCount = p.inputs.length;
  const bindingCount = p.bindings.length;
  return {
    inputs: p.inputs.map((i) => i.name),
    outputs: p.outputs.map((o) => o.name),
    run(inputs: readonly Value[]): Value[] {
      const env: Env = new Array<Value>(size());
      for (let i = 0; i < inputCount; i++) env[i] = inputs[i]!;
      for (let i = 0; i < bindingCount; i++) env[bindingStart + i] = UNSET;
      return outputFns.map((f) => f(env));
    },
  };
}
