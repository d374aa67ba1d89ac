/**
 * Signals and pipes, for real: spawn the built CLI, interrupt it while it streams its input
 * or while an output's temp file is being written, and check the exit code, the output file,
 * an existing output file, and leftover temp files. And `… -o - | head -1` must end quietly.
 *
 * Each signal is sent at a point the CLI is known to be held at, never after a delay: its input
 * (or the lead list --clean reads) comes through a pipe the test writes, and the CLI waits there
 * for more.
 */
import { describe, it, expect, beforeAll, afterAll, onTestFinished } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/run-cli.js';
import { hasMkfifo, namedPipe } from '../helpers/named-pipe.js';

const PREVIOUS = 'email\nkeep-me@example.com\n';
const HEADER = 'email,status,diagnostic,campaign\n';

/** `n` rows, each a distinct invalid address: the suppression CSV gets one line per row. */
function invalidRows(n: number, from = 0): string {
  const parts: string[] = [];
  for (let i = from; i < from + n; i++) {
    parts.push(`user${i}@example${i % 50}.com,550,"smtp; 550 5.1.1 <user${i}@example${i % 50}.com>: Recipient address rejected: User unknown",c${i % 7}\n`);
  }
  return parts.join('');
}

let dir: string;
let smallInput: string;
let pipeInput: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-signals-'));
  smallInput = join(dir, 'small.csv');
  writeFileSync(smallInput, HEADER + invalidRows(1_000));
  // ~3 MB of suppression CSV: far more than a pipe buffer holds.
  pipeInput = join(dir, 'pipe.csv');
  writeFileSync(pipeInput, HEADER + invalidRows(20_000));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spawnCli(args: string[], cwd: string): { child: ChildProcessWithoutNullStreams; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  // A test that fails before its signal leaves the CLI waiting on its input: end it with the test.
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.resume();
  child.stdin.on('error', () => undefined);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stderr })),
  );
  return { child, done };
}

function freshFolder(name: string): string {
  const made = mkdtempSync(join(dir, `${name}-`));
  writeFileSync(join(made, 'suppression.csv'), PREVIOUS);
  return made;
}

/** Resolves once the child's standard error has shown text matching `re`. */
function stderrShows(child: ChildProcessWithoutNullStreams, re: RegExp): Promise<void> {
  return new Promise((res, rej) => {
    let text = '';
    child.stderr.on('data', (d: string) => {
      text += d;
      if (re.test(text)) res();
    });
    child.on('close', () => rej(new Error(`the CLI exited without printing ${re}; stderr: ${text}`)));
  });
}

const tempFiles = (d: string): string[] => readdirSync(d).filter((f) => f.endsWith('.tmp'));

/** Resolves with the first temp file created in `folder`, as the file system reports it; rejects if `exited` settles first. */
/** The first temp file whose name matches `name` to appear in `folder`. */
function tempFileCreated(folder: string, exited: Promise<unknown>, name: RegExp): Promise<string> {
  return new Promise((res, rej) => {
    const watcher = watch(folder, () => {
      const tmp = tempFiles(folder).find((f) => name.test(f));
      if (tmp !== undefined) {
        watcher.close();
        res(tmp);
      }
    });
    void exited.then(() => {
      watcher.close();
      rej(new Error(`the CLI exited before any temp file appeared in ${folder}`));
    });
  });
}

function expectCleanInterrupt(
  r: { code: number | null; signal: NodeJS.Signals | null; stderr: string },
  signal: string,
  code: number,
  folder: string,
  others: Record<string, string> = {},
): void {
  expect(r.signal).toBeNull();
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(new RegExp(`interrupted \\(${signal}\\)`));
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  // The earlier outputs are untouched, and nothing else was left in the folder.
  expect(readFileSync(join(folder, 'suppression.csv'), 'utf8')).toBe(PREVIOUS);
  for (const [name, text] of Object.entries(others)) expect(readFileSync(join(folder, name), 'utf8')).toBe(text);
  expect(readdirSync(folder)).toEqual(['suppression.csv', ...Object.keys(others)].sort());
}

describe('signals', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the input is streaming exits ${code}, writes nothing and keeps the existing output`, async () => {
      const folder = freshFolder(`stream-${signal}`);
      const { child, done } = spawnCli(['-', '-o', 'suppression.csv'], folder);
      // Once 2 MB have gone into a 64 KB pipe, the CLI is certainly inside its read loop.
      await new Promise<void>((res, rej) => child.stdin.write(HEADER + invalidRows(20_000), (err) => (err ? rej(err) : res())));
      child.kill(signal);
      const r = await done;
      expectCleanInterrupt(r, signal, code, folder);
    });
  }

  it('SIGINT while --rows-out streams into its temp file removes that temp file too', async () => {
    const folder = freshFolder('rows-out');
    const { child, done } = spawnCli(['-', '-o', 'suppression.csv', '--rows-out', 'rows.csv'], folder);
    await new Promise<void>((res, rej) => child.stdin.write(HEADER + invalidRows(20_000), (err) => (err ? rej(err) : res())));
    // The rows file is being written while the input streams: its temp file exists now.
    expect(tempFiles(folder)).toHaveLength(1);
    child.kill('SIGINT');
    const r = await done;
    expectCleanInterrupt(r, 'SIGINT', 130, folder);
  });

  it.skipIf(!hasMkfifo)('SIGTERM while the cleaned lead list is being written removes its temp file and keeps the existing outputs', async () => {
    // --clean writes its output through the same atomic writer as the suppression CSV, while it
    // reads the lead list: a lead list on a pipe holds that write open for as long as the test likes.
    const folder = freshFolder('writing');
    const PREVIOUS_LEADS = 'email,name\nkeep@example.com,Kept\n';
    writeFileSync(join(folder, 'leads.clean.csv'), PREVIOUS_LEADS);
    const leads = namedPipe(join(dir, 'leads-pipe.csv'));
    onTestFinished(() => leads.dispose());
    const { child, done } = spawnCli([smallInput, '-o', 'suppression.csv', '--clean', leads.path, '--clean-out', 'leads.clean.csv', '-q'], folder);
    // Every output is staged: the suppression CSV's temp file comes first, then the cleaned list's.
    const created = tempFileCreated(folder, done, /^\.leads\.clean\.csv\./);
    // More than the 64 KB the lead list's reader looks at before it starts writing; then it waits for the rest.
    const lines = Array.from({ length: 20_000 }, (_, i) => `lead${i}@example.com,Lead ${i}\n`);
    const [tmp] = await Promise.all([created, leads.write(`email,name\n${lines.join('')}`)]);
    expect(tmp).toMatch(/^\.leads\.clean\.csv\..*\.tmp$/);
    child.kill('SIGTERM');
    // The CLI cleans up and calls process.exit at once, but the exit then waits for a read of the
    // pipe still pending in a worker thread: close the pipe once the CLI has said it was interrupted
    // (no callback of the CLI runs after that, so the EOF cannot finish the write).
    await stderrShows(child, /interrupted \(SIGTERM\)/);
    await leads.end();
    const r = await done;
    expectCleanInterrupt(r, 'SIGTERM', 143, folder, { 'leads.clean.csv': PREVIOUS_LEADS });
  });
});

describe('signals while a named pipe is idle', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the input is a named pipe whose writer sends nothing exits ${code} at once`, async () => {
      const folder = freshFolder(`idle-${signal}`);
      const fifo = join(folder, 'in.fifo');
      execFileSync('mkfifo', [fifo]);
      const { child, done } = spawnCli([fifo, '-o', 'suppression.csv'], folder);
      // Our open resolves once the CLI has opened the pipe; then it waits for data that never comes.
      const writer = await open(fifo, 'w');
      await writer.write(HEADER);
      child.kill(signal);
      // No second signal and no more data: the run must end on its own (the test's timeout bounds it).
      const r = await done;
      await writer.close();
      rmSync(fifo);
      expectCleanInterrupt(r, signal, code, folder);
    });
  }
});

describe('pipes', () => {
  it('`bounce-audit big.csv -o - | head -1` ends quietly: first line printed, no message, no stack', async () => {
    const script = `"$0" "$1" "$2" -o - 2>"$3" | head -1; echo "status=\${PIPESTATUS[0]}"`;
    const errFile = join(dir, 'pipe-stderr.txt');
    const out = await new Promise<string>((res, rej) => {
      const sh = spawn('bash', ['-c', script, process.execPath, BIN, pipeInput, errFile], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
      let text = '';
      sh.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      sh.on('error', rej);
      sh.on('close', () => res(text));
    });
    const [first, status] = out.trim().split('\n');
    expect(first).toMatch(/^email,reason,/);
    // Exit status is the audit's verdict (0 or 1), never 2 and never a signal death.
    expect(status).toMatch(/^status=[01]$/);
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('`bounce-audit fail.csv -o - -q | head -1` exits 1, as the same run to a file does', async () => {
    const fail = join(dir, 'fail.csv');
    // Every row delivered but a tenth bounced "user unknown": far above the 5 % fail threshold,
    // and ~2 MB of suppression CSV, more than a pipe holds, so the write meets the closed pipe.
    const rows: string[] = [];
    for (let i = 0; i < 10_000; i++) rows.push(i % 10 === 0 ? invalidRows(1, i) : `ok${i}@example.com,250,250 OK,c${i % 7}\n`);
    writeFileSync(fail, HEADER + rows.join('') + invalidRows(10_000, 20_000));
    const toFile = await new Promise<number | null>((res) => spawn(process.execPath, [BIN, fail, '-o', join(dir, 'fail-out.csv'), '-q']).on('close', (c) => res(c)));
    expect(toFile).toBe(1);
    const script = `"$0" "$1" "$2" -o - -q 2>"$3" | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`;
    const errFile = join(dir, 'fail-stderr.txt');
    const out = await new Promise<string>((res, rej) => {
      const sh = spawn('bash', ['-c', script, process.execPath, BIN, fail, errFile], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      sh.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
      sh.on('error', rej);
      sh.on('close', () => res(text));
    });
    expect(out.trim()).toBe('status=1');
    expect(readFileSync(errFile, 'utf8')).toBe('');
  });

  it('a reader that closes the pipe early after the JSON report starts also ends quietly', async () => {
    const folder = freshFolder('json-pipe');
    const child = spawn(process.execPath, [BIN, pipeInput, '--json', '-o', 'out.csv'], { cwd: folder, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect([0, 1]).toContain(code);
    expect(stderr).toBe('');
  });
});
