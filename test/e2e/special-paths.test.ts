/**
 * Outputs that are not plain files, and files that are not plain outputs: named pipes and
 * `>(cmd)` are written in place (streaming), regular files are replaced atomically keeping their
 * mode and owner, symlinks are written through, read-only files are refused, hard links are
 * replaced with a notice, long names work, and stale temp files of killed runs are removed.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, createReadStream, linkSync, lstatSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, runCli, tempDir } from '../helpers/run-cli.js';

const LOG = 'email,status,diagnostic,campaign\nann@example.com,550,550 5.1.1 user unknown,Spring\nbob@example.com,250,250 OK,Spring\ncarl@example.com,550,550 5.1.1 no such user,Spring\n';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
  writeFileSync(join(tmp.dir, 'log.csv'), LOG);
});
afterEach(() => tmp.cleanup());

/** Everything a reader of `path` receives until the writer closes it. */
function readAll(path: string): Promise<string> {
  return new Promise((res, rej) => {
    let text = '';
    createReadStream(path, 'utf8')
      .on('data', (d) => (text += d as string))
      .on('end', () => res(text))
      .on('error', rej);
  });
}

/** The suppression CSV the same run writes to a regular file. */
async function expectedCsv(extra: string[] = []): Promise<string> {
  const r = await runCli(['log.csv', '-o', 'ref.csv', '-q', ...extra], { cwd: tmp.dir });
  expect(r.code).toBe(0);
  return readFileSync(join(tmp.dir, 'ref.csv'), 'utf8');
}

describe('named pipes and >(cmd) are written in place', () => {
  it('-o naming a named pipe streams the CSV to its reader and leaves the pipe a pipe', async () => {
    const fifo = join(tmp.dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const [r, got] = await Promise.all([runCli(['log.csv', '-o', fifo, '-q'], { cwd: tmp.dir }), readAll(fifo)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(got).toBe(await expectedCsv());
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(tmp.files().filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--rows-out naming a named pipe streams every row while the input is read', async () => {
    const fifo = join(tmp.dir, 'rows.fifo');
    execFileSync('mkfifo', [fifo]);
    const [r, got] = await Promise.all([runCli(['log.csv', '--rows-out', fifo, '--no-out', '-q'], { cwd: tmp.dir }), readAll(fifo)]);
    expect(r.code).toBe(0);
    expect(got.split('\n').filter(Boolean)).toHaveLength(4);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('-o >(cmd) hands the CSV to the command', async () => {
    const out = await new Promise<{ code: number | null; stderr: string }>((res) => {
      const sh = spawn('bash', ['-c', `"$0" "$1" log.csv -o >(cat > from-cmd.csv) -q; code=$?; wait; exit $code`, process.execPath, BIN], {
        cwd: tmp.dir,
        env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
        // Standard input not a socket: bash would read ~/.bashrc, taking it for a remote shell.
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      sh.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      sh.on('close', (code) => res({ code, stderr }));
    });
    expect(out).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(join(tmp.dir, 'from-cmd.csv'), 'utf8')).toBe(await expectedCsv());
  });

  it('a --merge list that is a named pipe is refused: it is read, then replaced', async () => {
    const fifo = join(tmp.dir, 'list.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['log.csv', '--merge', fifo, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/list\.fifo: the --merge list must be a regular file/);
  });
});

describe('rewriting a file keeps what it is', () => {
  it('keeps a 0600 merge list 0600 and its owner', async () => {
    const list = join(tmp.dir, 'all.csv');
    writeFileSync(list, 'email\nold@example.com\n');
    chmodSync(list, 0o600);
    // Owned by another user, where this process may give files away (as root).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(list, 4242, 4243);
    const r = await runCli(['log.csv', '--merge', list, '--no-out', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const st = statSync(list);
    expect(st.mode & 0o777).toBe(0o600);
    if (asRoot) expect([st.uid, st.gid]).toEqual([4242, 4243]);
    expect(readFileSync(list, 'utf8')).toMatch(/^old@example\.com,/m);
  });

  it('refuses a read-only (0444) list and leaves it as it was', async () => {
    const list = join(tmp.dir, 'all.csv');
    writeFileSync(list, 'email\nold@example.com\n');
    chmodSync(list, 0o444);
    const r = await runCli(['log.csv', '--merge', list, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the merged suppression list to .*all\.csv: it is read-only \(mode 0444\)/);
    expect(readFileSync(list, 'utf8')).toBe('email\nold@example.com\n');
  });

  it('writes through a symlink to its target: the link stays a link and the target gets the update', async () => {
    writeFileSync(join(tmp.dir, 'real-list.csv'), 'email\nold@example.com\n');
    symlinkSync('real-list.csv', join(tmp.dir, 'all.csv'));
    const r = await runCli(['log.csv', '--merge', 'all.csv', '--no-out', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(lstatSync(join(tmp.dir, 'all.csv')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(tmp.dir, 'all.csv'))).toBe('real-list.csv');
    expect(readFileSync(join(tmp.dir, 'real-list.csv'), 'utf8')).toMatch(/^ann@example\.com,.*\ncarl@example\.com,.*\nold@example\.com,/m);
  });

  it('creates the target of a dangling symlink', async () => {
    symlinkSync('made.csv', join(tmp.dir, 'link.csv'));
    const r = await runCli(['log.csv', '-o', 'link.csv', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(lstatSync(join(tmp.dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(tmp.dir, 'made.csv'), 'utf8')).toBe(await expectedCsv());
  });

  it('replaces a hard-linked list atomically and says that its other names keep the previous version', async () => {
    const list = join(tmp.dir, 'all.csv');
    writeFileSync(list, 'email\nold@example.com\n');
    linkSync(list, join(tmp.dir, 'backup.csv'));
    const r = await runCli(['log.csv', '--merge', list, '--no-out', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^bounce-audit: .*all\.csv has 2 hard links: it is replaced by a new file, so its other names keep the previous version/);
    expect(readFileSync(join(tmp.dir, 'backup.csv'), 'utf8')).toBe('email\nold@example.com\n');
    expect(readFileSync(list, 'utf8')).toMatch(/^ann@example\.com,/m);
  });
});

describe('names and leftovers', () => {
  it('writes outputs with 244-byte and 255-byte names', async () => {
    for (const n of [244, 255]) {
      const name = `${'s'.repeat(n - 4)}.csv`;
      const r = await runCli(['log.csv', '-o', name, '--rows-out', `${'r'.repeat(n - 4)}.csv`, '--merge', `${'m'.repeat(n - 4)}.csv`, '-q'], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(tmp.dir, name), 'utf8')).toMatch(/^email,/);
    }
    expect(tmp.files().filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });

  it('removes its own temp files left by killed runs (dead pid, not written for an hour), and nothing else', async () => {
    // A pid that is certainly not running: a child that has exited.
    const dead = await new Promise<number>((res) => {
      const c = spawn(process.execPath, ['-e', '']);
      c.on('exit', () => res(c.pid!));
    });
    const old = Date.now() / 1000 - 2 * 3600;
    const names = {
      stale: `.all.csv.${dead}.0badc0de.bounce-audit.tmp`,
      fresh: `.all.csv.${dead}.0badc0df.bounce-audit.tmp`,
      alive: `.all.csv.${process.pid}.0badc0e0.bounce-audit.tmp`,
      other: `.all.csv.${dead}.0badc0e1.other-tool.tmp`,
    };
    for (const [k, n] of Object.entries(names)) {
      writeFileSync(join(tmp.dir, n), 'x');
      if (k !== 'fresh') utimesSync(join(tmp.dir, n), old, old);
    }
    const r = await runCli(['log.csv', '--merge', 'all.csv', '--no-out', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(existsSync(join(tmp.dir, names.stale))).toBe(false);
    for (const k of ['fresh', 'alive', 'other'] as const) expect(existsSync(join(tmp.dir, names[k]))).toBe(true);
  });
});
