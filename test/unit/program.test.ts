/**
 * The decision language the classifier is written in (src/classify/program.ts) and its JavaScript runner:
 * types are checked when a program is built, named values are computed once and only when used, and the
 * string steps do what the SQL compiler makes every engine do.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  ProgramBuilder,
  caseOf,
  coalesce,
  concat,
  extract,
  isIn,
  lookup,
  lower,
  mapMatches,
  mapSplit,
  replace,
  str,
  test,
  NULL,
} from '../../src/classify/program.js';
import { compileProgram } from '../../src/classify/program-runner.js';

function run(build: (b: ProgramBuilder, x: ReturnType<ProgramBuilder['input']>) => ReturnType<typeof str>, input: string): unknown {
  const b = new ProgramBuilder('t');
  const x = b.input('x');
  return compileProgram(b.build({ out: build(b, x) })).run([input])[0];
}

describe('building a program', () => {
  it('refuses steps that would behave differently in SQL', () => {
    const b = new ProgramBuilder('t');
    const x = b.input('x');
    expect(() => extract(x, /no group/)).toThrow(/one capturing group/);
    expect(() => extract(x, /(a)(b)/)).toThrow(/one capturing group/);
    expect(() => concat(x, extract(x, /(a)/))).toThrow(/cannot be null/);
    expect(() => test(extract(x, /(a)/), /a/)).toThrow(/cannot be null/);
    expect(() => replace(x, /a/, '$2')).toThrow(/only use \$1/);
    expect(() => mapMatches(x, /(a)|./, (m) => m)).toThrow(/must not capture/);
    expect(() => b.let('x', str('again'))).toThrow(/bound twice/);
    expect(() => caseOf([[str('not a condition'), str('a')]], str('b'))).toThrow(/condition/);
  });

  it('counts only capturing groups (not (?:…), escaped parentheses or classes)', () => {
    const b = new ProgramBuilder('t');
    const x = b.input('x');
    expect(() => extract(x, /(?:a)\((b)[(]/)).not.toThrow();
  });
});

describe('running a program', () => {
  it('computes a named value once, and only when a branch needs it', () => {
    const b = new ProgramBuilder('t');
    const x = b.input('x');
    const lowered = b.let('lowered', lower(x));
    const c = compileProgram(b.build({ out: caseOf([[test(x, /^USE/), concat(lowered, lowered)]], str('skipped')) }));
    const spy = vi.spyOn(String.prototype, 'toLowerCase');
    try {
      expect(c.run(['skip me'])).toEqual(['skipped']);
      expect(spy).not.toHaveBeenCalled();
      expect(c.run(['USE'])).toEqual(['useuse']);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('extracts the first match of the group, and null for no match or an empty group', () => {
    expect(run((_b, x) => coalesce(extract(x, /(\d+)/), str('none')), 'ab 12 34')).toBe('12');
    expect(run((_b, x) => coalesce(extract(x, /(\d+)/), str('none')), 'ab')).toBe('none');
    expect(run((_b, x) => coalesce(extract(x, /a(\d*)/), str('none')), 'ab')).toBe('none');
  });

  it('replaces every match, with the group as $1', () => {
    expect(run((_b, x) => replace(x, /\.0+(\d)/, '.$1'), '5.01.010')).toBe('5.1.10');
    expect(run((_b, x) => replace(x, /\s+/, ' '), 'a \t\n b  c')).toBe('a b c');
  });

  it('rebuilds a string from its matches and from its pieces', () => {
    expect(run((_b, x) => mapMatches(x, /\d+|[^\d]+/, (m) => caseOf([[test(m, /^\d/), str('#')]], m)), 'a1b22c')).toBe('a#b#c');
    expect(run((_b, x) => mapSplit(x, '.', (p) => caseOf([[test(p, /\d/), str('~')]], p)), 'host.a1.example.')).toBe('host.~.example.');
  });

  it('looks constants up and tests membership, a null being in no list', () => {
    expect(run((_b, x) => coalesce(lookup(x, [['gmail.com', 'google']]), str('-')), 'gmail.com')).toBe('google');
    expect(run((_b, x) => caseOf([[isIn(extract(x, /(z)/), ['z']), str('yes')]], str('no')), 'abc')).toBe('no');
    expect(run(() => coalesce(NULL, str('fallback')), '')).toBe('fallback');
  });
});
