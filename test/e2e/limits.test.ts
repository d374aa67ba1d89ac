/**
 * Limits: inputs at the edge of what a bounce log looks like are handled in seconds, with
 * bounded memory, and a complete result — never a hang or an out-of-memory crash.
 * (The 64 MB row guard for a quote never closed is tested on the reader in csv-reader-parser.test.ts.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as referenceParse } from 'csv-parse/sync';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bounce-audit-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  inputs: { rows: number }[];
  campaigns: { campaign: string; rows: number }[];
  rows: { read: number; rejected: number };
}

async function audit(name: string, content: string): Promise<{ report: Report; suppression: Record<string, string>[]; stderr: string }> {
  const input = join(dir, `${name}.csv`);
  const out = join(dir, `${name}-suppression.csv`);
  writeFileSync(input, content);
  const r = await runCli([input, '--json', '-o', out]);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  return {
    report: JSON.parse(r.stdout) as Report,
    suppression: referenceParse(readFileSync(out), { columns: true }) as Record<string, string>[],
    stderr: r.stderr,
  };
}

describe('limits', () => {
  it('a 1 MB quoted diagnostic with newlines and quotes is read, and trimmed to one line in the suppression CSV', async () => {
    const diag = `550 5.1.1 <big@example.com>: Recipient address rejected: User unknown ${'lorem, "ipsum"\r\n dolor '.repeat(45_000)}`;
    expect(diag.length).toBeGreaterThan(1_000_000);
    const { report, suppression } = await audit(
      'big-field',
      `email,status,diagnostic\nbig@example.com,550,"${diag.replaceAll('"', '""')}"\nok@example.com,250,250 2.0.0 OK\n`,
    );
    expect(report.rows.read).toBe(2);
    expect(suppression.map((s) => s.email)).toEqual(['big@example.com']);
    const diagnostic = suppression[0]!.diagnostic!;
    expect(diagnostic.length).toBeLessThanOrEqual(300);
    expect(diagnostic).not.toMatch(/[\r\n]/);
  });

  // Ten times the 2,000 keys past which --by breakdowns pool the rest: a campaign table capped or
  // pooled the same way would show here. More campaigns add only time.
  it('a file with 20,000 campaigns is audited campaign by campaign', async () => {
    const parts = ['email,status,diagnostic,campaign\n'];
    for (let i = 0; i < 20_000; i++) {
      parts.push(i % 10 === 0 ? `u${i}@example.com,550,550 5.1.1 user unknown,c${i}\n` : `u${i}@example.com,250,250 OK,c${i}\n`);
    }
    const { report, suppression } = await audit('campaigns', parts.join(''));
    expect(report.campaigns).toHaveLength(20_000);
    expect(report.rows.read).toBe(20_000);
    expect(suppression).toHaveLength(2_000);
  });

  it('a file with 10,000 columns finds its three roles and reads every row', async () => {
    const extra = Array.from({ length: 9_997 }, (_, i) => `x${i}`);
    const lines = [['email', 'status', 'diagnostic', ...extra].join(',')];
    const filler = extra.map((_, i) => String(i)).join(',');
    for (let r = 0; r < 200; r++) lines.push(`r${r}@example.com,550,550 5.1.1 user unknown,${filler}`);
    const { report, suppression } = await audit('columns', lines.join('\n') + '\n');
    expect(report.rows.read).toBe(200);
    expect(report.rows.rejected).toBe(0);
    expect(suppression).toHaveLength(200);
  });
});
