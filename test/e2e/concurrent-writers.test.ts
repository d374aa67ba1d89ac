/**
 * Concurrent writers: two audits writing the same output path at once leave one complete
 * file — exactly one writer's output, never an interleaving — and no temp files. The atomic
 * writer gives each writer a unique temp name in the target folder and renames it into place.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic, tempPathFor } from '../../src/output/atomic-write.js';
import { runCli } from '../helpers/run-cli.js';

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
