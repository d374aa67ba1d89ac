/**
 * Progress on a real terminal: a spinner with a live row count on stderr, only when stderr is a
 * terminal with a width, and never with NO_COLOR or --json. `script` (util-linux) gives the CLI a
 * pseudo-terminal; `stty cols` sets its width (a fresh one reports 0 columns).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/run-cli.js';
import { generate } from '../../bench/generate.mjs';

const hasScript = spawnSync('script', ['--version']).status === 0;
let dir = '';
let input = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-tty-'));
  input = join(dir, 'log.csv');
  // Large enough that reading spans several spinner frames, so a live count is drawn.
  await generate(input, { rows: 120_000 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the CLI on a pseudo-terminal; returns everything the terminal received and the exit code. */
function onTerminal(args: string, { cols, env = {} }: { cols: number; env?: Record<string, string> }): { screen: string; code: number | null } {
  const log = join(dir, `tty-${cols}-${Object.keys(env).join('')}.log`);
  const cmd = `stty cols ${cols} rows 40; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}`;
  const r = spawnSync('script', ['-qec', cmd, log], {
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...env },
    timeout: 60_000,
    encoding: 'utf8',
  });
  return { screen: readFileSync(log, 'utf8'), code: r.status };
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('shows a spinner with a live row count on stderr, then the coloured report', () => {
    const { screen, code } = onTerminal(`${JSON.stringify(input)} --no-out`, { cols: 100 });
    expect(code).toBe(1);
    // Which counts get drawn depends on timing (the spinner redraws on its own clock): any live count will do.
    expect(screen).toMatch(/Reading bounce log… [1-9]\d{0,2}(,\d{3})* rows/);
    expect(screen).toMatch(/\u001b\[31m\u001b\[1mFAIL|\u001b\[1m\u001b\[31mFAIL/);
    expect(screen).toContain('Total');
  });

  it('shows no spinner and no colour with NO_COLOR', () => {
    const { screen, code } = onTerminal(`${JSON.stringify(input)} --no-out`, { cols: 100, env: { NO_COLOR: '1' } });
    expect(code).toBe(1);
    expect(screen).not.toContain('Reading bounce log');
    expect(screen).not.toMatch(/\u001b\[3[0-9]m/);
    expect(screen).toContain('Total');
  });

  it('shows no spinner with --json, and the JSON is clean', () => {
    const { screen } = onTerminal(`${JSON.stringify(input)} --no-out --json`, { cols: 100 });
    expect(screen).not.toContain('Reading bounce log');
    expect(screen).toContain('"schemaVersion": 1');
  });

  it('shows no spinner on a terminal that reports no width, and still finishes', () => {
    const { screen, code } = onTerminal(`${JSON.stringify(input)} --no-out`, { cols: 0 });
    expect(code).toBe(1);
    expect(screen).not.toContain('Reading bounce log');
    expect(screen.length).toBeLessThan(50_000);
    expect(screen).toContain('Total');
  });
});
