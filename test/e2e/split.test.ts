/**
 * Reading one file on several threads (src/parallel/split.ts) must give exactly what one thread gives:
 * the same JSON report, the same suppression CSV byte for byte, the same errors at the same
 * lines. BOUNCE_AUDIT_PART_MIN_BYTES lets these small files be split the way a large log is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.mjs';
import { FIXTURES, runCli, tempDir, type CliRun } from '../helpers/run-cli.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

// The reader reads ahead up to 512 KB before a cut can be set: parts must start past that.
const SPLIT_ENV = { BOUNCE_AUDIT_PART_MIN_BYTES: '300000' };

interface Audit {
  run: CliRun;
  json: Record<string, unknown> | null;
  csv: string | null;
}

let n = 0;
async function audit(input: string, threads: number, extra: string[] = []): Promise<Audit> {
  const out = join(tmp.dir, `out-${n++}.csv`);
  const run = await runCli([input, '--json', '-o', out, '--threads', String(threads), ...extra], { env: SPLIT_ENV });
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    // an error run prints no report
  }
  let csv: string | null = null;
  try {
    csv = readFileSync(out, 'utf8');
  } catch {
    // no output written
  }
  return { run, json, csv };
}

/** The report without what legitimately differs between the two runs. */
function comparable(json: Record<string, unknown> | null): unknown {
  if (json === null) return null;
  const inputs = (json.inputs as Record<string, unknown>[]).map(({ parts: _parts, ...rest }) => rest);
  return { ...json, inputs, suppression: { ...(json.suppression as object), path: null } };
}

const partsOf = (a: Audit): number[] => (a.json?.inputs as { parts: number }[]).map((i) => i.parts);

async function expectSameAsOneThread(input: string, threads = 4, extra: string[] = []): Promise<{ one: Audit; many: Audit }> {
  const one = await audit(input, 1, extra);
  const many = await audit(input, threads, extra);
  expect(many.run.code).toBe(one.run.code);
  expect(many.run.stderr).toBe(one.run.stderr);
  expect(comparable(many.json)).toEqual(comparable(one.json));
  expect(many.csv).toBe(one.csv);
  return { one, many };
}

describe('a file read on several threads gives the one-thread result', () => {
  const big = join(tmp.dir, 'generated.csv');
  // Every test here starts from this log, so each can also run on its own (vitest -t).
  beforeAll(() => generate(big, { rows: 12_000, seed: 7 }));

  it('on a generated log with quoted multi-line replies, repeated addresses and 20 campaigns', async () => {
    for (const threads of [2, 3, 4]) {
      const { one, many } = await expectSameAsOneThread(big, threads);
      expect(partsOf(one)).toEqual([1]);
      expect(partsOf(many)).toEqual([threads]);
      expect((many.json?.suppression as { addresses: number }).addresses).toBeGreaterThan(50);
    }
  });

  it('with CRLF line endings and a BOM', async () => {
    const crlf = join(tmp.dir, 'crlf.csv');
    writeFileSync(crlf, '\uFEFF' + readFileSync(big, 'utf8').replace(/\n/g, '\r\n'));
    const { many } = await expectSameAsOneThread(crlf, 3);
    expect(partsOf(many)).toEqual([3]);
  });

  it('writes every --profile and the CSV on standard output as one thread does', async () => {
    for (const profile of ['mailgun', 'plain', 'hubspot']) {
      const { many } = await expectSameAsOneThread(big, 3, ['--profile', profile]);
      expect(partsOf(many)).toEqual([3]);
    }
    const one = await runCli([big, '-o', '-', '--quiet', '--threads', '1'], { env: SPLIT_ENV });
    const many = await runCli([big, '-o', '-', '--quiet', '--threads', '3'], { env: SPLIT_ENV });
    expect(many.code).toBe(one.code);
    expect(many.stdout).toBe(one.stdout);
    expect(many.stdout.split('\n').length).toBeGreaterThan(50);
  });

  it('cleans a lead list with the addresses of every part (--clean merges the parts before writing)', async () => {
    const leads = join(tmp.dir, 'leads.csv');
    const emails = readFileSync(big, 'utf8').match(/^[a-z]+\.[0-9a-z]+@[a-z.-]+(?=,)/gm)!.slice(0, 3000);
    writeFileSync(leads, ['email,name', ...emails.map((e) => `${e},x`)].join('\n') + '\n');
    const cleaned = (threads: number): string => join(tmp.dir, `cleaned-${threads}.csv`);
    const { many } = await expectSameAsOneThread(big, 3, ['--clean', leads, '--clean-out', cleaned(3)]);
    await audit(big, 1, ['--clean', leads, '--clean-out', cleaned(1)]);
    expect(partsOf(many)).toEqual([3]);
    expect(readFileSync(cleaned(3), 'utf8')).toBe(readFileSync(cleaned(1), 'utf8'));
    expect((many.json?.clean as { removed: number }).removed).toBeGreaterThan(50);
  });

  it('marks incident addresses from every part in the suppression CSV', async () => {
    // Campaign 01's web.de and gmx.net recipients all bounce "does not exist": a receiver incident, whose
    // addresses lie in every part; their incident column is only known once all parts are in.
    const text = readFileSync(big, 'utf8').replace(
      /(@(?:web\.de|gmx\.net),Campaign 01 launch),250,250 2\.0\.0 OK[^,\n]*,/g,
      '$1,550,550 5.1.1 Mailbox unavailable: user unknown,',
    );
    const file = join(tmp.dir, 'incident.csv');
    writeFileSync(file, text);
    const { many } = await expectSameAsOneThread(file, 3);
    expect(partsOf(many)).toEqual([3]);
    expect(many.json?.incidents).toEqual([expect.objectContaining({ campaign: 'Campaign 01 launch', receiver: 'united-internet' })]);
    const flagged = many.csv!.split('\n').filter((l) => l.endsWith(',united-internet'));
    expect(flagged.length).toBeGreaterThan(20);
  });

  it('counts rejected rows in later parts at their own line numbers', async () => {
    // Rows with no address and a wrong field count near the end, after the last cut.
    const tail = [',C,550,5.1.1 user unknown,2026-09-01T00:00:00Z,<id>,mx', 'only,three,fields'];
    for (let i = 0; i < 30; i++) tail.push(`t${i}@example.com,C,550,5.1.1 user unknown,2026-09-01T00:00:00Z,<id>,mx`);
    const lines = [readFileSync(big, 'utf8').trimEnd(), ...tail];
    const dirty = join(tmp.dir, 'dirty.csv');
    writeFileSync(dirty, lines.join('\n'));
    const { many } = await expectSameAsOneThread(dirty, 2);
    expect(partsOf(many)).toEqual([2]);
    const samples = (many.json?.rows as { rejectedSamples: { line: number; reason: string }[] }).rejectedSamples;
    expect(samples.map((s) => s.reason).sort()).toEqual(['missing-email', 'wrong-field-count']);
  });

  it('reports a malformed row in a later part with the same message and line as one thread', async () => {
    const lines = [readFileSync(big, 'utf8').trimEnd(), `x@example.com,C,550,bad "quote here,2026-09-01T00:00:00Z,<id>,mx`, 'y@example.com,C,250,ok,,,'];
    const broken = join(tmp.dir, 'broken.csv');
    writeFileSync(broken, lines.join('\n'));
    const { many } = await expectSameAsOneThread(broken, 4);
    expect(many.run.code).toBe(2);
    expect(many.run.stderr).toMatch(/broken\.csv:\d{5}:4: malformed CSV/);
    expect(many.csv).toBeNull();
  });

  it('reads on alone when a cut falls inside a quoted field whose lines look like rows', async () => {
    // One reply of many lines, each of which parses as a valid row on its own: the guessed row
    // start inside it is accepted, and only the reader of the first part can tell it is wrong.
    const rows = ['email,campaign,status,diagnostic,date'];
    for (let i = 0; i < 12_000; i++) rows.push(`a${i}@example.com,C1,550,5.1.1 user unknown,2026-09-01T00:00:00Z`);
    const fake = Array.from({ length: 20_000 }, (_, i) => `b${i}@example.com,C2,550,5.1.1 user unknown,2026-09-02T00:00:00Z`).join('\n');
    rows.push(`z@example.com,C1,550,"${fake}",2026-09-01T00:00:00Z`);
    for (let i = 0; i < 100; i++) rows.push(`c${i}@example.com,C1,250,ok,2026-09-01T00:00:00Z`);
    const tricky = join(tmp.dir, 'tricky.csv');
    writeFileSync(tricky, rows.join('\n') + '\n');
    const { many } = await expectSameAsOneThread(tricky, 2);
    expect(partsOf(many)).toEqual([1]);
    expect((many.json?.rows as { read: number }).read).toBe(12_101);
  });

  it('splits a file with invalid UTF-8 in a later part, decoding it byte by byte as one thread does', async () => {
    const bytes = readFileSync(big);
    const latin = Buffer.concat([bytes.subarray(0, bytes.length - 2000), Buffer.from('\nm\xfcller@example.de,C,550,5.1.1 unbekannt,2026-09-01T00:00:00Z,<id>,mx\n', 'latin1')]);
    const file = join(tmp.dir, 'latin.csv');
    writeFileSync(file, latin);
    const { many } = await expectSameAsOneThread(file, 3);
    expect(partsOf(many)).toEqual([3]);
    expect(many.csv).toMatch(/^müller@example\.de,/m);
  });

  it('leaves small files, standard input and per-row outputs on one thread', async () => {
    const fixture = join(FIXTURES, 'campaign-q3.csv');
    const small = await runCli([fixture, '--json', '--no-out', '--threads', '4']);
    expect(partsOf({ run: small, json: JSON.parse(small.stdout), csv: null })).toEqual([1]);
    // The same log that splits as a file is read on one thread from standard input, which has no positions to cut at.
    const piped = await runCli(['-', '--json', '--no-out', '--threads', '4'], { input: readFileSync(big), env: SPLIT_ENV });
    expect(partsOf({ run: piped, json: JSON.parse(piped.stdout), csv: null })).toEqual([1]);
    const rowsOut = join(tmp.dir, 'rows.csv');
    const withRows = await audit(big, 4, ['--rows-out', rowsOut]);
    expect(partsOf(withRows)).toEqual([1]);
  });

  it('rejects a --threads value that is not a whole number from 1 to 16', async () => {
    for (const bad of ['0', '17', 'two', '1.5']) {
      const r = await runCli([join(FIXTURES, 'campaign-q3.csv'), '--threads', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--threads takes a whole number from 1 to 16');
    }
  });
});
