/**
 * Everything classification needs — status-code parsing, reply masking, receiver markers, the engine's stage
 * patterns and every rule — compiles under RE2 (here re2js, a port of RE2), so the same judgement can run as
 * SQL in engines whose regular expressions are RE2 (BigQuery, DuckDB, ClickHouse).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/classify/rules.js';
import { TEXT_MARKERS } from '../../src/classify/receivers.js';
import { ENGINE_PATTERNS } from '../../src/classify/engine.js';
import { PARSE_PATTERNS } from '../../src/classify/parse-status.js';
import { MASK_PATTERNS } from '../../src/classify/stable-reply.js';
import { BARE_SUCCESS_RE } from '../../src/classify/cache.js';

const patterns: [string, RegExp][] = [
  ...RULES.flatMap((r) => [
    ...(r.re ? [[`rule ${r.id}`, r.re] as [string, RegExp]] : []),
    ...(r.unless ? [[`rule ${r.id} (unless)`, r.unless] as [string, RegExp]] : []),
  ]),
  ...TEXT_MARKERS.map(([re, id]) => [`receiver marker ${id}`, re] as [string, RegExp]),
  ...ENGINE_PATTERNS.map((re, i) => [`engine pattern ${i}`, re] as [string, RegExp]),
  ...PARSE_PATTERNS.map((re, i) => [`parse pattern ${i}`, re] as [string, RegExp]),
  ...MASK_PATTERNS.map((re, i) => [`mask pattern ${i}`, re] as [string, RegExp]),
  ['cache bare success', BARE_SUCCESS_RE],
];

function compileRe2(re: RegExp): void {
  RE2JS.compile(re.source, re.flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
}

describe('RE2 portability', () => {
  it('enumerates the patterns of every stage', () => {
    expect(patterns.filter(([n]) => n.startsWith('rule ')).length).toBeGreaterThan(60);
    expect(patterns.length).toBeGreaterThan(100);
  });

  it.each(patterns)('%s compiles under RE2', (_name, re) => {
    expect(() => compileRe2(re)).not.toThrow();
  });

  it('rejects lookaround and backreferences (the check can fail)', () => {
    expect(() => compileRe2(/(?<!sender )address/)).toThrow();
    expect(() => compileRe2(/a(?!b)/)).toThrow();
    expect(() => compileRe2(/(a)\1/)).toThrow();
  });

  it('no source file of the classifier writes a lookaround or a backreference in a regex literal', () => {
    const dir = new URL('../../src/classify/', import.meta.url);
    const offenders: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const lines = readFileSync(new URL(f, dir), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/\(\?<[!=]|\(\?[!=]|\\[1-9]/.test(line) && !/^\s*(?:\/\/|\*)/.test(line)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
