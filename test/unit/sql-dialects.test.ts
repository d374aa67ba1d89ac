/**
 * What the tests cannot run — BigQuery, Snowflake and Spark SQL — is checked here: every pattern the
 * programs use, printed in each engine's regex flavour, compiles (under RE2 for DuckDB, BigQuery and
 * Snowflake's POSIX-with-Perl-escapes syntax, as JavaScript for Java's) and matches what the JavaScript
 * pattern matches, capturing the same text, on corpus, fixture and generated texts; and the printed SQL is
 * held to golden files (test/golden/), so any change to it is seen and reviewed. UPDATE_GOLDEN=1 rewrites
 * them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { patternsOf } from '../../src/classify/program.js';
import { printRegex, SQUEEZED_DONT_CARE, type RegexFlavor } from '../../src/sql/regex.js';
import { ROW_PROGRAM } from '../../src/sql/row-program.js';
import { DATE_PROGRAM, ISO_PROGRAM } from '../../src/sql/date-program.js';
import { generateDbt, generateSql } from '../../src/sql/generate.js';
import { DIALECTS } from '../../src/sql/dialects.js';
import { corpusCases, mixedCases } from '../helpers/sql-cases.js';
import { ROOT } from '../helpers/run-cli.js';

const PATTERNS = (() => {
  const seen = new Map<string, { re: RegExp; use: 'test' | 'extract' | 'replace' | 'scan' }>();
  for (const p of [ROW_PROGRAM, DATE_PROGRAM, ISO_PROGRAM]) for (const x of patternsOf(p)) seen.set(`${x.re.source}/${x.re.flags}/${x.use}`, x);
  return [...seen.values()];
})();

/** Texts to match: raw replies, their squeezed lower-case form, and generated ones. */
const SAMPLES = (() => {
  const cases = [...corpusCases().filter((_, i) => i % 2 === 0), ...mixedCases(300, 4)];
  const raw = [...new Set(cases.flatMap((c) => [c.diagnostic, c.status, c.email]))];
  const squeezed = [...new Set(raw.map((t) => t.toLowerCase().replace(/\s+/g, ' ').trim()))];
  return { raw, squeezed };
})();

/** A Java pattern as JavaScript (\z is $, \x{…} the character): Java and JavaScript share the rest here. */
function javaAsJs(p: string): RegExp {
  return new RegExp(p.replaceAll('\\z', '$').replace(/\\x\{([0-9A-F]+)\}/g, (_, h: string) => `\\u${h.padStart(4, '0')}`));
}

type Matcher = (s: string) => string | null | false;

function matcher(flavor: RegexFlavor, printed: { pattern: string; group: number | null }, use: string): Matcher {
  if (flavor === 'java') {
    const re = javaAsJs(printed.pattern);
    return (s) => {
      const m = re.exec(s);
      return m === null ? false : use === 'extract' ? (m[printed.group!] ?? null) : m[0];
    };
  }
  // RE2 syntax; Snowflake's POSIX brackets and groups read the same under RE2.
  const re = RE2JS.compile(printed.pattern);
  return (s) => {
    const m = re.matcher(s);
    if (!m.find()) return false;
    return use === 'extract' ? m.group(printed.group!) : m.group(0);
  };
}

describe('the regex flavours', () => {
  it('print every pattern the programs use', () => {
    expect(PATTERNS.length).toBeGreaterThan(200);
  });

  for (const flavor of ['re2', 'snowflake', 'java'] as const) {
    it(`${flavor}: every pattern compiles and matches what JavaScript matches`, () => {
      const problems: string[] = [];
      for (const { re, use } of PATTERNS) {
        for (const squeezed of [false, true]) {
          const printed = printRegex(re, flavor, use, squeezed ? SQUEEZED_DONT_CARE : undefined);
          if (flavor === 'snowflake' && /\(\?|[*+?}]\?/.test(printed.pattern) && use !== 'test') problems.push(`snowflake has no (?: or lazy quantifiers: ${printed.pattern.slice(0, 80)}`);
          let m: Matcher;
          try {
            m = matcher(flavor, printed, use);
          } catch (err) {
            problems.push(`/${re.source}/ does not compile as ${flavor}: ${(err as Error).message}`);
            continue;
          }
          const js = new RegExp(re.source, re.flags.replace('g', ''));
          // Lazy quantifiers are greedy for Snowflake: only whether it matches is the same there.
          const whole = use === 'test' || (flavor === 'snowflake' && /[*+?}]\?/.test(re.source));
          for (const s of squeezed ? SAMPLES.squeezed : SAMPLES.raw) {
            const want = js.exec(s);
            const got = m(s);
            const same = whole ? (want === null) === (got === false) : want === null ? got === false : (use === 'extract' ? (want[1] ?? null) : want[0]) === got;
            if (!same) {
              problems.push(`${flavor} /${re.source.slice(0, 60)}/ on ${JSON.stringify(s.slice(0, 80))}: JS ${JSON.stringify(want?.[use === 'extract' ? 1 : 0] ?? null)}, ${flavor} ${JSON.stringify(got)}`);
              break;
            }
          }
        }
      }
      expect(problems).toEqual([]);
      // Thousands of texts through hundreds of patterns in re2js: well above the default timeout on a busy 2-core machine.
    }, 180_000);
  }

  it('write \\b as lookarounds for Postgres and Java, whose \\b is not JavaScript’s', () => {
    expect(printRegex(/\bcbl\b/, 'postgres', 'test').pattern).not.toContain('\\b');
    expect(printRegex(/\bcbl\b/, 'java', 'test').pattern).toContain('(?<=[0-9A-Za-z_])');
    expect(printRegex(/\bcbl\b/, 're2', 'test').pattern).toBe('\\bcbl\\b');
  });

  it('refuse what an engine cannot write rather than print something else', () => {
    expect(() => printRegex(/(?<=a)b/, 're2', 'test')).toThrow(/only \(\?:…\) groups/);
    expect(() => printRegex(/a{300}/, 're2', 'test')).toThrow(/above 255/);
    expect(() => printRegex(/(a+?)b/, 'snowflake', 'extract')).toThrow(/lazy/);
    expect(() => printRegex(/\p{L}/u, 're2', 'test')).toThrow(/flag u/);
  });
});

describe('the printed SQL', () => {
  const GOLDEN = join(ROOT, 'test', 'golden');
  const audit = {
    table: 'mail.bounces',
    columns: { email: 'email', status: 'status', diagnostic: 'diagnostic', campaign: 'campaign_name', date: 'event_time', command: null, order: 'event_id' },
    campaign: 'bounces',
    thresholds: { warnAbove: 0.02, failAbove: 0.05, minSent: 100 },
    sent: { byCampaign: new Map([['Q3 launch', 5000]]), bare: null },
  };

  for (const dialect of ['bigquery', 'snowflake', 'spark'] as const) {
    it(`for ${dialect} is the golden file`, () => {
      const sql = generateSql({ dialect, policies: {}, schema: null, audit, part: 'all', version: 'golden' });
      const path = join(GOLDEN, `${dialect}-audit.sql`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, sql);
      }
      expect(sql).toBe(readFileSync(path, 'utf8'));
    });
  }

  it('bakes each policy flag in, and names the engine and whether the tests run it', () => {
    for (const dialect of DIALECTS) {
      const plain = generateSql({ dialect, policies: {}, schema: null, audit: null, part: 'all', version: 'x' });
      const soft = generateSql({ dialect, policies: { disabledMailbox: 'soft' }, schema: null, audit: null, part: 'all', version: 'x' });
      expect(soft).not.toBe(plain);
      expect(soft).toContain('--disabled-mailbox soft');
      expect(plain).toMatch(dialect === 'duckdb' || dialect === 'postgres' ? /The test suite runs this SQL/ : /Generated only/);
    }
  });

  it('writes a dbt macro per adapter, the arguments outside raw blocks', () => {
    const dbt = generateDbt({}, 'x');
    for (const adapter of ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark', 'databricks', 'default']) {
      expect(dbt).toContain(`{% macro ${adapter}__bounce_audit_classify(status, diagnostic, email, smtp_command) -%}`);
    }
    expect(dbt.split('{% raw %}').length).toBe(dbt.split('{% endraw %}').length);
    for (const body of dbt.split('{% raw %}').slice(1)) expect(body.split('{% endraw %}')[0]).not.toMatch(/\{\{|\{%/);
    expect(dbt.match(/\{\{ diagnostic \}\}/g)?.length).toBe(6);
  });
});
