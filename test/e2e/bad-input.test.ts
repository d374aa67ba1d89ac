/**
 * Bad input gets a one-line error naming the file (and line/column where known), exit 2,
 * no stack trace, no output file, and an existing output file left untouched.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/run-cli.js';

let tmp: ReturnType<typeof tempDir>;
const PREVIOUS = 'email\nkeep-me@example.com\n';
beforeEach(() => {
  tmp = tempDir();
  // A suppression file from an earlier run: a failed run must not touch it.
  writeFileSync(join(tmp.dir, 'suppression.csv'), PREVIOUS);
});
afterEach(() => tmp.cleanup());

async function expectCleanFailure(args: string[], message: RegExp, input?: string | Buffer): Promise<string> {
  const r = await runCli(args, { cwd: tmp.dir, input });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Error:/);
  expect(tmp.files().filter((f) => f !== 'suppression.csv' && !f.startsWith('in'))).toEqual([]);
  expect(readFileSync(join(tmp.dir, 'suppression.csv'), 'utf8')).toBe(PREVIOUS);
  return r.stderr;
}

function file(name: string, content: string | Buffer): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, content);
  return p;
}

describe('bad input', () => {
  it('a missing file', async () => {
    await expectCleanFailure(['nope.csv'], /^bounce-audit: error: nope\.csv: cannot read: no such file or directory$/m);
  });

  it('a directory', async () => {
    mkdirSync(join(tmp.dir, 'in-dir'));
    await expectCleanFailure(['in-dir'], /in-dir: is a directory, not a CSV file/);
  });

  it('an empty file', async () => {
    await expectCleanFailure([file('in.csv', '')], /in\.csv: the file is empty/);
  });

  it('a file holding only a BOM and blank lines', async () => {
    await expectCleanFailure([file('in.csv', '\uFEFF\n\n')], /in\.csv: the file is empty/);
  });

  it('a header-only file', async () => {
    await expectCleanFailure([file('in.csv', 'email,status,diagnostic\n')], /in\.csv:2: the file has a header row but no data rows/);
  });

  it('an unterminated quote names the line where the row starts and the field', async () => {
    const csv = 'email,status,diagnostic\na@x.com,550,"ok"\nb@x.com,550,"user unknown\nc@x.com,250,ok\n';
    await expectCleanFailure([file('in.csv', csv)], /in\.csv:3:3: unterminated quoted field/);
  });

  it('a stray character after a closing quote', async () => {
    const csv = 'email,status,diagnostic\na@x.com,550,"user" unknown\n';
    await expectCleanFailure([file('in.csv', csv)], /in\.csv:2:3: malformed quoted field/);
  });

  it('a binary file', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    await expectCleanFailure([file('in.png', png)], /in\.png: this looks like a binary file, not a CSV bounce log/);
  });

  it('a text file that is not a bounce log lists the headers it saw', async () => {
    await expectCleanFailure(
      [file('in.txt', 'name,phone\nAda,555-0100\n')],
      /in\.txt:1: no email column found; the header has: "name", "phone"\. Name it with --email-column/,
    );
  });

  it('an --email-column that does not exist', async () => {
    await expectCleanFailure([file('in.csv', 'email,status\na@x.com,550\n'), '--email-column', 'mail'], /--email-column "mail" is not a column of this file/);
  });

  it('the same on standard input names "stdin"', async () => {
    await expectCleanFailure(['-'], /^bounce-audit: error: stdin: the file is empty/, '');
  });

  it('a missing later file fails the whole audit up front: no partial suppression list from the good one', async () => {
    const good = file('in-good.csv', 'email,status\na@x.com,550 5.1.1\nb@x.com,250\n');
    await expectCleanFailure([good, 'missing.csv'], /missing\.csv: cannot read/);
  });

  it('--debug adds the stack trace of an internal or input error', async () => {
    const r = await runCli(['nope.csv', '--debug'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.csv: cannot read/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});

describe('rows that are not fatal', () => {
  it('counts wrong field counts and bad addresses as rejected with their lines, and classifies the rest', async () => {
    const csv = [
      'email,status,diagnostic',
      'a@x.com,250,ok',
      'b@x.com,550,5.1.1 user unknown,extra',
      ',250,ok',
      'not an address,250,ok',
      '"<C@X.COM>",250,ok',
      'mailto:d@x.com,550 5.1.1,user unknown',
    ].join('\n');
    const r = await runCli([file('in.csv', csv), '--json', '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      rows: { read: number; rejected: number; rejectedByReason: Record<string, number>; rejectedSamples: { line: number; reason: string }[] };
      totals: { sent: number; invalidAddress: number };
      suppression: { addresses: number };
    };
    expect(j.rows.read).toBe(6);
    expect(j.rows.rejected).toBe(3);
    expect(j.rows.rejectedSamples.map((s) => [s.line, s.reason])).toEqual([
      [3, 'wrong-field-count'],
      [4, 'missing-email'],
      [5, 'invalid-email'],
    ]);
    expect(j.rows.rejectedByReason).toEqual({ 'wrong-field-count': 1, 'missing-email': 1, 'invalid-email': 1 });
    expect(j.totals).toMatchObject({ sent: 3, invalidAddress: 1 });
    expect(j.suppression.addresses).toBe(1);
  });
});

describe('unwritable output', () => {
  it('a suppression path in a missing folder fails before reading, exit 2', async () => {
    const input = file('in.csv', 'email,status\na@x.com,550 5.1.1\n');
    const r = await runCli([input, '-o', join(tmp.dir, 'no', 'such', 'dir', 'out.csv')], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the suppression CSV to .*out\.csv/);
    expect(r.stdout).toBe('');
  });

  it('a suppression path that is a directory', async () => {
    const input = file('in.csv', 'email,status\na@x.com,550 5.1.1\n');
    mkdirSync(join(tmp.dir, 'in-outdir'));
    const r = await runCli([input, '-o', 'in-outdir'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the suppression CSV to in-outdir: it is a directory/);
  });
});
