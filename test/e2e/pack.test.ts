/**
 * The package installs and runs from its tarball: `npm pack`, then `npm install -g` into a
 * clean prefix (dependencies from the npm cache when it has them, else the registry).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, FIXTURES } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'bounce-audit-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack → npm install -g ./bounce-audit-*.tgz', () => {
  it('installs into a clean prefix and audits a fixture', { timeout: 180_000 }, () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    // --ignore-scripts: dist/ is already built by `npm test`; prepare would rebuild it needlessly.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env, stdio: 'pipe' });
    const tgz = readdirSync(work).find((f) => /^bounce-audit-.*\.tgz$/.test(f))!;
    expect(tgz).toBeDefined();
    const prefix = join(work, 'prefix');
    execFileSync(npm, ['install', '-g', '--prefer-offline', '--prefix', prefix, join(work, tgz)], { cwd: work, env, stdio: 'pipe' });
    const bin = join(prefix, 'bin', 'bounce-audit');
    const clean = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    const version = execFileSync(bin, ['--version'], { cwd: work, env: clean, encoding: 'utf8' }).trim();
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    let code = 0;
    let stdout = '';
    try {
      stdout = execFileSync(bin, [join(FIXTURES, 'platforms', 'postmark-bounces.csv'), '--json', '--no-out'], { cwd: work, env: clean, encoding: 'utf8' });
    } catch (err) {
      const e = err as { status: number; stdout: string };
      code = e.status;
      stdout = e.stdout;
    }
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { inputs: { format: string }[]; totals: { invalidAddress: number } };
    expect(report.inputs[0]!.format).toBe('postmark');
    expect(report.totals.invalidAddress).toBe(2);
  });
});
