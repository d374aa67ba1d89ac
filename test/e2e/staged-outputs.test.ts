/**
 * Outputs are committed together: every file output is staged, and only when all are staged are
 * they renamed into place. These tests stop a run at a chosen point without timing: an input or
 * a lead list is a named pipe the test writes, so the run waits exactly where the test wants it.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { BIN, runCli, tempDir } from '../helpers/run-cli.js';

const HEADER = 'email,status,diagnostic,campaign\n';
const ROWS = 'ann@example.com,550,550 5.1.1 user unknown,Spring\nbob@example.com,250,250 OK,Spring\n';
const LIST = 'email\nold@example.com\n';
const LEADS = 'email,name\nann@example.com,Ann\ncarl@example.com,Carl\n';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function start(args: string[]): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>; kill: (s: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp.dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end();
  return { done: new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr }))), kill: (s) => child.kill(s) };
}

/** Open the pipe for writing: resolves once the run has opened it for reading. */
const writerOf = (fifo: string) => open(fifo, 'w');

const leftovers = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'));

describe('a failing output commits nothing', () => {
  it('when -o cannot be written at the end, --merge, --rows-out and --clean-out are not written either', async () => {
    writeFileSync(join(tmp.dir, 'all.csv'), LIST);
    writeFileSync(join(tmp.dir, 'leads.csv'), LEADS);
    mkdirSync(join(tmp.dir, 'out'));
    const input = join(tmp.dir, 'log.fifo');
    execFileSync('mkfifo', [input]);
    const run = start([input, '--merge', 'all.csv', '--rows-out', 'rows.csv', '--clean', 'leads.csv', '--clean-out', 'clean.csv', '-o', 'out/suppression.csv', '-q']);
    // The run opens its input only after it has checked every output: then -o's folder goes away,
    // as a full or unmounted disk would take it, before the run writes anything there.
    const w = await writerOf(input);
    rmSync(join(tmp.dir, 'out'), { recursive: true });
    await w.write(HEADER + ROWS);
    await w.close();
    const r = await run.done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bounce-audit: error: cannot write the suppression CSV to out\/suppression\.csv: no such file or directory\n$/);
    expect(readFileSync(join(tmp.dir, 'all.csv'), 'utf8')).toBe(LIST);
    expect(existsSync(join(tmp.dir, 'rows.csv'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'clean.csv'))).toBe(false);
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('when an output written in place fails after the files were committed, the error says which are written', async () => {
    writeFileSync(join(tmp.dir, 'log.csv'), HEADER + ROWS);
    writeFileSync(join(tmp.dir, 'leads.csv'), LEADS);
    writeFileSync(join(tmp.dir, 'all.csv'), LIST);
    // /dev/full: a character device whose every write fails with "no space left".
    const r = await runCli(['log.csv', '--merge', 'all.csv', '--clean', 'leads.csv', '--clean-out', '/dev/full', '-o', 's.csv', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'bounce-audit: error: cannot write the cleaned lead list to /dev/full: no space left on the device\n' + 'bounce-audit: already written: all.csv, s.csv\n',
    );
    expect(readFileSync(join(tmp.dir, 'all.csv'), 'utf8')).toMatch(/^ann@example\.com,/m);
  });
});

describe('an interrupt while outputs are staged', () => {
  it('SIGINT while --clean reads its lead list writes nothing, and says so truthfully', async () => {
    writeFileSync(join(tmp.dir, 'log.csv'), HEADER + ROWS);
    writeFileSync(join(tmp.dir, 'all.csv'), LIST);
    const leads = join(tmp.dir, 'leads.fifo');
    execFileSync('mkfifo', [leads]);
    const run = start(['log.csv', '--merge', 'all.csv', '--clean', leads, '--clean-out', 'clean.csv', '-q']);
    // The lead list is read after the merged list is staged: the run is now between the two.
    const w = await writerOf(leads);
    await w.write('email,name\nann@example.com,Ann\n');
    run.kill('SIGINT');
    const r = await run.done;
    await w.close();
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('\nbounce-audit: interrupted (SIGINT); no output was written\n');
    expect(readFileSync(join(tmp.dir, 'all.csv'), 'utf8')).toBe(LIST);
    expect(existsSync(join(tmp.dir, 'clean.csv'))).toBe(false);
    expect(leftovers(tmp.dir)).toEqual([]);
  });
});

describe('a list changed by another program while it is merged', () => {
  it('is merged again, so the other program\'s addresses are kept', async () => {
    writeFileSync(join(tmp.dir, 'log.csv'), HEADER + ROWS);
    writeFileSync(join(tmp.dir, 'all.csv'), LIST);
    const leads = join(tmp.dir, 'leads.fifo');
    execFileSync('mkfifo', [leads]);
    const run = start(['log.csv', '--merge', 'all.csv', '--clean', leads, '--clean-out', 'clean.csv', '--json']);
    // First attempt: the list has been read and staged; another program appends to it now.
    const w = await writerOf(leads);
    appendFileSync(join(tmp.dir, 'all.csv'), 'other@example.com\n');
    // The second attempt reads the lead list again: from a plain file by then (the run holds
    // the pipe it is reading now open; opening a pipe twice would race with that reader's close).
    rmSync(leads);
    writeFileSync(leads, LEADS);
    await w.write(LEADS);
    await w.close();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const emails = readFileSync(join(tmp.dir, 'all.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]);
    expect(emails).toEqual(['ann@example.com', 'old@example.com', 'other@example.com']);
    expect(JSON.parse(r.stdout).merge).toMatchObject({ before: 2, after: 3, added: 1 });
    expect(readFileSync(join(tmp.dir, 'clean.csv'), 'utf8')).toBe('email,name\ncarl@example.com,Carl\n');
  });
});
