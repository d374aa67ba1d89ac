/**
 * Progress on a real terminal: a spinner with a live row count on stderr, only when stderr is a
 * terminal with a width, and never with NO_COLOR or --json. `script` (util-linux) gives the CLI a
 * pseudo-terminal; `stty cols` sets its width (a fresh one reports 0 columns).
 *
 * Nothing here waits on the spinner's clock: the live count is read off the terminal while the
 * CLI is held mid-input on a named pipe, and a spinner, when there is one, draws its first frame
 * as it starts, before any input is read, so a finished run without that frame had none.
 */
import { describe, it, expect, beforeAll, afterAll, onTestFinished } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/run-cli.js';
import { hasMkfifo, namedPipe } from '../helpers/named-pipe.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
const SPINNER_COUNT = /Reading bounce log… [1-9]\d{0,2}(,\d{3})* rows/;

/** Rows `from`…`from + n - 1` of a two-campaign log, one row in ten an invalid address: FAIL at the default 5 %. */
function rows(from: number, n: number): string {
  const parts: string[] = [];
  for (let i = from; i < from + n; i++) {
    parts.push(
      i % 10 === 0
        ? `user${i}@example${i % 50}.com,550,"smtp; 550 5.1.1 <user${i}@example${i % 50}.com>: Recipient address rejected: User unknown",c${i % 2}\n`
        : `user${i}@example${i % 50}.com,250,250 2.0.0 OK,c${i % 2}\n`,
    );
  }
  return parts.join('');
}
const HEADER = 'email,status,diagnostic,campaign\n';

let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-tty-'));
  input = join(dir, 'log.csv');
  writeFileSync(input, HEADER + rows(0, 2_000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Terminal {
  /** Everything the terminal has received so far. */
  screen(): string;
  /** Resolves when the terminal has shown text matching `re`; rejects if the CLI exits first. */
  shows(re: RegExp): Promise<void>;
  /** The CLI's exit code, once it and the terminal have closed. */
  exit: Promise<number | null>;
}

/** Run the CLI on a pseudo-terminal of `cols` columns; its output is read as it is drawn. */
function onTerminal(args: string[], { cols, env = {} }: { cols: number; env?: Record<string, string> }): Terminal {
  const cmd = `stty cols ${cols} rows 40; exec ${[process.execPath, BIN, ...args].map((a) => JSON.stringify(a)).join(' ')}`;
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...env } });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  child.stdin.end();
  child.stderr.resume();
  let screen = '';
  const waiting = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    screen += d;
    for (const check of waiting) check();
  });
  const exit = new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', (code) => {
      for (const check of waiting) check();
      res(code);
    });
  });
  return {
    screen: () => screen,
    exit,
    shows: (re) =>
      new Promise<void>((res, rej) => {
        const check = (): void => {
          if (re.test(screen)) {
            waiting.delete(check);
            res();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            waiting.delete(check);
            rej(new Error(`the CLI ended (exit ${child.exitCode}) before the terminal showed ${re}; it showed:\n${screen}`));
          }
        };
        waiting.add(check);
        check();
      }),
  };
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it.skipIf(!hasMkfifo)('shows a spinner with a live row count on stderr, then the coloured report', async () => {
    const pipe = namedPipe(join(dir, 'live.csv'));
    onTestFinished(() => pipe.dispose());
    const term = onTerminal([pipe.path, '--no-out'], { cols: 100 });
    // Well past the 10,000 rows after which the count is first updated; the CLI then waits for more.
    // Without a live count it would wait there until the test's timeout.
    await Promise.all([pipe.write(HEADER + rows(0, 30_000)), term.shows(SPINNER_COUNT)]);
    await pipe.write(rows(30_000, 1_000));
    await pipe.end();
    expect(await term.exit).toBe(1);
    expect(term.screen()).toMatch(/\u001b\[31m\u001b\[1mFAIL|\u001b\[1m\u001b\[31mFAIL/);
    expect(term.screen()).toContain('Total');
  });

  it('shows no spinner and no colour with NO_COLOR', async () => {
    const term = onTerminal([input, '--no-out'], { cols: 100, env: { NO_COLOR: '1' } });
    expect(await term.exit).toBe(1);
    expect(term.screen()).not.toContain('Reading bounce log');
    expect(term.screen()).not.toMatch(/\u001b\[3[0-9]m/);
    expect(term.screen()).toContain('Total');
  });

  it('shows no spinner with --json, and the JSON is clean', async () => {
    const term = onTerminal([input, '--no-out', '--json'], { cols: 100 });
    expect(await term.exit).toBe(1);
    expect(term.screen()).not.toContain('Reading bounce log');
    expect(term.screen()).toContain('"schemaVersion": 1');
  });

  it('shows no spinner on a terminal that reports no width, and still finishes', async () => {
    const term = onTerminal([input, '--no-out'], { cols: 0 });
    expect(await term.exit).toBe(1);
    expect(term.screen()).not.toContain('Reading bounce log');
    expect(term.screen().length).toBeLessThan(50_000);
    expect(term.screen()).toContain('Total');
  });
});
