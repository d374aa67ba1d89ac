/**
 * Fuzzing the CLI: seeded random corruptions of every fixture (truncation, byte flips,
 * inserted NULs, doubled or stray quotes, dropped bytes, stray CRs) must never produce an exit
 * code other than 0/1/2, never a stack trace or "internal error", and never a partial or
 * leftover output file. Most cases call main() in-process; a sample spawns the real bin.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as referenceParse } from 'csv-parse/sync';
import { main } from '../../src/cli/main.js';
import { SUPPRESSION_COLUMNS } from '../../src/suppression/list.js';
import { fakeIo } from '../helpers/fake-io.js';
import { FIXTURES, runCli } from '../helpers/run-cli.js';
// The bench's seeded PRNG (mulberry32): the same seed gives the same corruptions on every machine.
import { prng } from '../../bench/generate.mjs';

const FIXTURE_NAMES = ['campaign-q3.csv', 'cold-list-fail.csv', 'bounces-only.csv'];
const IN_PROCESS_PER_FIXTURE = 100;
const SPAWNED_PER_FIXTURE = 6;

type Corruption = (b: Buffer, rnd: () => number) => Buffer;
const at = (b: Buffer, rnd: () => number): number => Math.floor(rnd() * Math.max(1, b.length));
const insert = (b: Buffer, i: number, bytes: Buffer): Buffer => Buffer.concat([b.subarray(0, i), bytes, b.subarray(i)]);

const CORRUPTIONS: Record<string, Corruption> = {
  truncate: (b, rnd) => b.subarray(0, at(b, rnd)),
  flipBytes: (b, rnd) => {
    const c = Buffer.from(b);
    for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) c[at(c, rnd)] = Math.floor(rnd() * 256);
    return c;
  },
  insertNuls: (b, rnd) => insert(b, at(b, rnd), Buffer.alloc(1 + Math.floor(rnd() * 4), 0)),
  doubleQuote: (b, rnd) => {
    // Double an existing quote (or add one when the file has none near the spot).
    const from = at(b, rnd);
    const q = b.indexOf(0x22, from);
    return insert(b, q >= 0 ? q : from, Buffer.from('"'));
  },
  strayQuote: (b, rnd) => insert(b, at(b, rnd), Buffer.from('"')),
  dropBytes: (b, rnd) => {
    const i = at(b, rnd);
    return Buffer.concat([b.subarray(0, i), b.subarray(i + 1 + Math.floor(rnd() * 40))]);
  },
  strayCr: (b, rnd) => insert(b, at(b, rnd), Buffer.from('\r')),
  headerOnly: (b) => b.subarray(0, b.indexOf(0x0a) + 1),
};
const NAMES = Object.keys(CORRUPTIONS);

interface Case {
  id: string;
  bytes: Buffer;
}

function cases(fixture: string, count: number, seed: number): Case[] {
  const original = readFileSync(join(FIXTURES, fixture));
  const rnd = prng(seed);
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    // One to three corruptions stacked.
    let bytes: Buffer = original;
    const applied: string[] = [];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const name = NAMES[Math.floor(rnd() * NAMES.length)]!;
      applied.push(name);
      bytes = CORRUPTIONS[name]!(bytes, rnd);
    }
    out.push({ id: `${fixture}#${i} ${applied.join('+')}`, bytes });
  }
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The outcome contract, whichever way the CLI ran. */
function check(c: Case, code: number | null, stdout: string, stderr: string, out: string): void {
  const where = `${c.id}: exit ${code}, stderr ${JSON.stringify(stderr.slice(0, 300))}`;
  expect([0, 1, 2], where).toContain(code);
  expect(stderr, where).not.toMatch(/\n\s+at |internal error|node:internal/);
  if (code === 2) {
    expect(existsSync(out), `${where}: output written on failure`).toBe(false);
    expect(stdout, where).toBe('');
    expect(stderr, where).toMatch(/^bounce-audit: error: /);
  } else {
    // A complete suppression CSV and a complete JSON report.
    const text = readFileSync(out, 'utf8');
    const records = referenceParse(text) as string[][];
    expect(records[0], where).toEqual([...SUPPRESSION_COLUMNS]);
    expect(text.endsWith('\n'), where).toBe(true);
    expect(() => JSON.parse(stdout), where).not.toThrow();
  }
  // Only this run's temp files: the spawned sample runs two processes at once in one folder, and
  // the other one's temp file may legitimately exist at this moment.
  const mine = `.${basename(out)}.`;
  expect(readdirSync(dir).filter((f) => f.startsWith(mine) && f.endsWith('.tmp')), where).toEqual([]);
}

describe('fuzzing the CLI with corrupted fixtures', () => {
  FIXTURE_NAMES.forEach((fixture, fi) => {
    it(`${fixture}: ${IN_PROCESS_PER_FIXTURE} corruptions in-process end in 0/1/2, no stack, no partial output`, async () => {
      const seen = new Set<number>();
      for (const c of cases(fixture, IN_PROCESS_PER_FIXTURE, 1000 + fi)) {
        const input = join(dir, 'in.csv');
        const out = join(dir, 'out.csv');
        rmSync(out, { force: true });
        writeFileSync(input, c.bytes);
        const io = fakeIo([input, '--json', '-o', out]);
        const code = await main(io);
        check(c, code, io.stdoutText(), io.stderrText(), out);
        seen.add(code === 2 ? 2 : 0);
      }
      // The corruptions exercise both paths: refused inputs and inputs still audited.
      expect([...seen].sort()).toEqual([0, 2]);
    });
  });

  it(`a sample of ${SPAWNED_PER_FIXTURE * FIXTURE_NAMES.length} corruptions through the real bin, two at a time`, async () => {
    const sample = FIXTURE_NAMES.flatMap((f, fi) => cases(f, SPAWNED_PER_FIXTURE, 2000 + fi));
    const runOne = async (c: Case, k: number): Promise<void> => {
      const input = join(dir, `spawn-${k}.csv`);
      const out = join(dir, `spawn-out-${k}.csv`);
      writeFileSync(input, c.bytes);
      const r = await runCli([input, '--json', '-o', out]);
      expect(r.signal).toBeNull();
      check(c, r.code, r.stdout, r.stderr, out);
    };
    for (let i = 0; i < sample.length; i += 2) {
      await Promise.all(sample.slice(i, i + 2).map((c, j) => runOne(c, i + j)));
    }
  });
});
