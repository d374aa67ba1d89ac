/**
 * Concurrent writers: two audits writing the same output path at once leave one complete
 * file — exactly one writer's output, never an interleaving — and no temp files. The atomic
 * writer gives each writer a unique temp name in the target folder and renames it into place.
 * Runs merging into one --merge list take its lock in turn, so no run's addresses are lost.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { writeAtomic, tempPathFor } from '../../src/output/atomic-write.js';
import { BIN, runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-concurrent-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const leftovers = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('writeAtomic with concurrent writers', () => {
  it('gives every writer its own temp name', () => {
    const names = new Set(Array.from({ length: 1000 }, () => tempPathFor(join(dir, 'same.csv'))));
    expect(names.size).toBe(1000);
  });

  it('two writers whose writes overlap leave exactly one of the two complete outputs', async () => {
    const target = join(dir, 'shared.csv');
    // ~200 KB each: past writeAtomic's 64 KB batches, so both have written to their temp files by halfway.
    const body = (tag: string): string[] => Array.from({ length: 400 }, (_, i) => `${tag}-${i},${'x'.repeat(500)}\n`);
    const a = body('a');
    const b = body('b');
    // Each writer stops halfway until the other is halfway too, so both temp files are open and
    // half-written at the same moment, whatever the scheduling.
    let arrived = 0;
    let meet!: () => void;
    const bothHalfway = new Promise<void>((r) => (meet = r));
    let openAtHalfway: string[] = [];
    async function* meeting(lines: string[]): AsyncGenerator<string> {
      for (let i = 0; i < lines.length; i++) {
        if (i === lines.length / 2) {
          if (++arrived === 2) {
            openAtHalfway = leftovers();
            meet();
          }
          await bothHalfway;
        }
        yield lines[i]!;
      }
    }
    await Promise.all([writeAtomic(target, meeting(a), 'test'), writeAtomic(target, meeting(b), 'test')]);
    expect(openAtHalfway).toHaveLength(2);
    expect([a.join(''), b.join('')]).toContain(readFileSync(target, 'utf8'));
    expect(leftovers()).toEqual([]);
  });
});

describe('two CLI processes writing the same suppression path', () => {
  it('leave one complete suppression CSV, from one of the two runs', async () => {
    const make = (tag: string, n: number): string => {
      const parts = ['email,status,diagnostic\n'];
      for (let i = 0; i < n; i++) parts.push(`${tag}${i}@example.com,550,550 5.1.1 user unknown\n`);
      return parts.join('');
    };
    writeFileSync(join(dir, 'a.csv'), make('alpha', 30_000));
    writeFileSync(join(dir, 'b.csv'), make('beta', 25_000));
    const out = join(dir, 'suppression.csv');
    for (let round = 0; round < 3; round++) {
      const [ra, rb] = await Promise.all([
        runCli([join(dir, 'a.csv'), '-o', out, '-q']),
        runCli([join(dir, 'b.csv'), '-o', out, '-q']),
      ]);
      // A log of bounces only has no known volume: the verdict is unknown and the exit 0.
      expect([ra.code, rb.code]).toEqual([0, 0]);
      expect(ra.stderr + rb.stderr).toBe('');
      const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
      const body = lines.slice(1);
      const fromA = body.filter((l) => l.startsWith('alpha')).length;
      const fromB = body.filter((l) => l.startsWith('beta')).length;
      // All of one run, none of the other.
      expect([`${fromA}/${fromB}`]).toContainEqual(expect.stringMatching(/^(30000\/0|0\/25000)$/));
      expect(lines[0]).toMatch(/^email,/);
      expect(leftovers()).toEqual([]);
    }
  });
});

describe('several CLI processes merging into one list at once', () => {
  /** A log of `n` invalid-address bounces in one campaign, addresses tagged by the run. */
  const log = (tag: string, n: number, campaign: string): string => {
    const rows = ['email,status,diagnostic,campaign'];
    for (let i = 0; i < n; i++) rows.push(`${tag}${i}@example.com,550,550 5.1.1 user unknown,${campaign}`);
    // One address every run bounces, in its own campaign: its counts come from every run.
    rows.push(`shared@example.com,550,550 5.1.1 user unknown,${campaign}`);
    return `${rows.join('\n')}\n`;
  };

  it('loses no update: every address of every run is on the list, with the counts of every run', async () => {
    const folder = mkdtempSync(join(dir, 'merge-'));
    const list = join(folder, 'all.csv');
    writeFileSync(list, 'email\nold@example.com\n');
    const runs = ['a', 'b', 'c', 'd'];
    for (const t of runs) writeFileSync(join(folder, `${t}.csv`), log(t, 50, `camp-${t}`));
    const results = await Promise.all(runs.map((t) => runCli([join(folder, `${t}.csv`), '--merge', list, '--no-out', '--json'], { cwd: folder })));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).merge.added).toBeGreaterThanOrEqual(50);
    }
    const rows = parse(readFileSync(list, 'utf8'), { columns: true }) as Record<string, string>[];
    const emails = rows.map((r) => r.email);
    expect(emails).toHaveLength(1 + 1 + 50 * runs.length);
    for (const t of runs) for (let i = 0; i < 50; i++) expect(emails).toContain(`${t}${i}@example.com`);
    const shared = rows.find((r) => r.email === 'shared@example.com')!;
    expect(JSON.parse(shared.campaign_counts!)).toEqual({ 'camp-a': 1, 'camp-b': 1, 'camp-c': 1, 'camp-d': 1 });
    expect(shared.bounce_count).toBe('4');
    expect(readdirSync(folder).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  });

  it('waits for a held lock with one line on stderr, and goes on when it is released', async () => {
    const folder = mkdtempSync(join(dir, 'wait-'));
    const list = join(folder, 'all.csv');
    writeFileSync(join(folder, 'a.csv'), log('a', 3, 'camp-a'));
    // A live holder on this host: this test process.
    const lock = join(folder, '.all.csv.bounce-audit.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), token: 'test' }));
    const child = spawn(process.execPath, [BIN, join(folder, 'a.csv'), '--merge', list, '--no-out', '-q', '--lock-wait', '600'], { cwd: folder, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    let stderr = '';
    const waiting = new Promise<void>((res) =>
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('waiting')) res();
      }),
    );
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    await waiting;
    expect(existsSync(list)).toBe(false);
    rmSync(lock);
    expect(await exited).toBe(0);
    expect(stderr).toMatch(new RegExp(`^bounce-audit: waiting for bounce-audit pid ${process.pid} on .* to finish merging into .*all\\.csv \\(up to 600 s, --lock-wait\\)\\n$`));
    expect(readFileSync(list, 'utf8')).toMatch(/^a0@example\.com,/m);
  });

  it('fails clearly with --lock-wait 0 while another run holds the lock, and changes nothing', async () => {
    const folder = mkdtempSync(join(dir, 'nowait-'));
    const list = join(folder, 'all.csv');
    writeFileSync(list, 'email\nold@example.com\n');
    writeFileSync(join(folder, 'a.csv'), log('a', 3, 'camp-a'));
    const lock = join(folder, '.all.csv.bounce-audit.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', token: 'test' }));
    const r = await runCli([join(folder, 'a.csv'), '--merge', list, '--no-out', '--lock-wait', '0'], { cwd: folder });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is locked by bounce-audit pid \d+ on .*, since 2026-01-01T00:00:00\.000Z, which did not finish within 0 s \(--lock-wait\)\. If no other run is merging into it, remove the lock file .*\.all\.csv\.bounce-audit\.lock/);
    expect(readFileSync(list, 'utf8')).toBe('email\nold@example.com\n');
    expect(existsSync(lock)).toBe(true);
  });

  it('takes over the lock of a run that was killed (its pid is not running)', async () => {
    const folder = mkdtempSync(join(dir, 'stale-'));
    const list = join(folder, 'all.csv');
    writeFileSync(join(folder, 'a.csv'), log('a', 3, 'camp-a'));
    const dead = await new Promise<number>((res) => {
      const c = spawn(process.execPath, ['-e', '']);
      c.on('exit', () => res(c.pid!));
    });
    writeFileSync(join(folder, '.all.csv.bounce-audit.lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString(), token: 'killed' }));
    const r = await runCli([join(folder, 'a.csv'), '--merge', list, '--no-out', '-q', '--lock-wait', '0'], { cwd: folder });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(list, 'utf8')).toMatch(/^a2@example\.com,/m);
    expect(readdirSync(folder).sort()).toEqual(['a.csv', 'all.csv']);
  });
});
