/**
 * Path collisions: every input and output is compared by device and inode (or real path) before
 * anything is read. An output that is an input or another output is refused with exit 2, and
 * every file is left as it was. A --merge file that is not a suppression list is refused too.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, writeFileSync, symlinkSync, linkSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/run-cli.js';

const LOG = 'email,status,diagnostic,campaign\nann@example.com,550,550 5.1.1 user unknown,Spring\nbob@example.com,250,250 OK,Spring\n';
const LIST = 'email,reason\nold@example.com,listed\n';
const LEADS = 'email,first_name,company\nann@example.com,Ann,Acme\ncarl@example.com,Carl,Beta\n';

let tmp: ReturnType<typeof tempDir>;
let files: Record<string, string>;
beforeEach(() => {
  tmp = tempDir();
  files = { 'log.csv': LOG, 'all.csv': LIST, 'leads.csv': LEADS };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(tmp.dir, name), text);
});
afterEach(() => tmp.cleanup());

/** Every file of the folder with its content, as before the run. */
function expectUntouched(): void {
  for (const [name, text] of Object.entries(files)) expect(readFileSync(join(tmp.dir, name), 'utf8')).toBe(text);
  expect(tmp.files().filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
}

async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await runCli(args, { cwd: tmp.dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expectUntouched();
}

describe('an output that is an input or another output is refused before anything is read', () => {
  it('--clean-out naming the merge list', async () => {
    await refused(['log.csv', '--merge', 'all.csv', '--clean', 'leads.csv', '--clean-out', 'all.csv', '--no-out'], /--clean-out all\.csv and --merge all\.csv are the same file/);
  });

  it('-o naming an input', async () => {
    await refused(['log.csv', '-o', 'log.csv'], /-o log\.csv is the input log\.csv: writing it would destroy what is being read/);
  });

  it('the default suppression.csv when an input has that name', async () => {
    writeFileSync(join(tmp.dir, 'suppression.csv'), LOG);
    files['suppression.csv'] = LOG;
    await refused(['suppression.csv'], /the default suppression CSV \(suppression\.csv\) is the input suppression\.csv/);
  });

  it('-o naming --rows-out, and -o naming --clean-out', async () => {
    await refused(['log.csv', '-o', 'x.csv', '--rows-out', 'x.csv'], /-o x\.csv and --rows-out x\.csv are the same file/);
    await refused(['log.csv', '-o', 'y.csv', '--clean', 'leads.csv', '--clean-out', 'y.csv'], /-o y\.csv and --clean-out y\.csv are the same file/);
  });

  it('--rows-out naming the merge list, and -o naming it', async () => {
    await refused(['log.csv', '--merge', 'all.csv', '--rows-out', 'all.csv', '--no-out'], /--rows-out all\.csv and --merge all\.csv are the same file/);
    await refused(['log.csv', '--merge', 'all.csv', '-o', 'all.csv'], /-o and --merge name the same file/);
  });

  it('--rows-out or --clean-out naming the lead list or an input', async () => {
    await refused(['log.csv', '--clean', 'leads.csv', '--clean-out', 'log.csv', '--no-out'], /--clean-out log\.csv is the input log\.csv/);
    await refused(['log.csv', '--rows-out', 'leads.csv', '--clean', 'leads.csv', '--clean-out', 'c.csv', '--no-out'], /--rows-out leads\.csv is the --clean lead list leads\.csv/);
  });

  it('sees through symlinks, hard links and spellings of a path', async () => {
    symlinkSync('log.csv', join(tmp.dir, 'link.csv'));
    linkSync(join(tmp.dir, 'log.csv'), join(tmp.dir, 'hard.csv'));
    mkdirSync(join(tmp.dir, 'sub'));
    await refused(['log.csv', '-o', 'link.csv'], /-o link\.csv is the input log\.csv/);
    await refused(['log.csv', '-o', 'hard.csv'], /-o hard\.csv is the input log\.csv/);
    await refused(['log.csv', '-o', 'sub/../log.csv'], /is the input log\.csv/);
    await refused(['log.csv', '-o', 'new.csv', '--rows-out', './sub/../new.csv'], /-o new\.csv and --rows-out \.\/sub\/\.\.\/new\.csv are the same file/);
  });

  it('lets several outputs go to /dev/null', async () => {
    const r = await runCli(['log.csv', '-o', '/dev/null', '--rows-out', '/dev/null', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    // Written to, never replaced by a file (as root, a rename would have done that).
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expectUntouched();
  });
});

describe('a --merge file must look like a suppression list', () => {
  it('refuses a lead list given as --merge (arguments swapped), naming the columns it would lose', async () => {
    await refused(
      ['log.csv', '--merge', 'leads.csv', '--clean', 'all.csv', '--no-out'],
      /leads\.csv:1: the --merge list: it does not look like a suppression list: it has columns a suppression list does not keep \(first_name, company\)/,
    );
  });

  it('accepts its own format, a plain list of addresses and an email-only list', async () => {
    writeFileSync(join(tmp.dir, 'plain.txt'), 'x@example.com\ny@example.com\n');
    writeFileSync(join(tmp.dir, 'only.csv'), 'Email Address\nz@example.com\n');
    for (const list of ['all.csv', 'plain.txt', 'only.csv']) {
      const r = await runCli(['log.csv', '--merge', list, '--no-out', '-q'], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(tmp.dir, list), 'utf8')).toMatch(/^email,reason,.*campaign_counts\nann@example\.com,/);
    }
  });
});
