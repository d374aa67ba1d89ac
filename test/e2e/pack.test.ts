/**
 * The package installs and runs from its tarball the way a user installs it: `npm pack`, then
 * `npm install -g` into a clean prefix for the command, and `npm install` into a project for the
 * library entry (dependencies from the npm cache when it has them, else the registry).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, FIXTURES } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'bounce-audit-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const clean = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
let tgz = '';

beforeAll(() => {
  // --ignore-scripts: dist/ is already built by `npm test`; prepare would rebuild it needlessly.
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, env, stdio: 'pipe' });
  tgz = join(work, readdirSync(work).find((f) => /^bounce-audit-.*\.tgz$/.test(f))!);
}, 120_000);

describe('npm pack → npm install -g ./bounce-audit-*.tgz', () => {
  it('installs into a clean prefix and audits a fixture', { timeout: 180_000 }, () => {
    const prefix = join(work, 'prefix');
    execFileSync(npm, ['install', '-g', '--prefer-offline', '--prefix', prefix, tgz], { cwd: work, env, stdio: 'pipe' });
    const bin = join(prefix, 'bin', 'bounce-audit');
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

describe("npm install ./bounce-audit-*.tgz → import { classifyReply, parseStatus } from 'bounce-audit'", () => {
  it('classifies one reply from a project that installed the tarball, with types', { timeout: 180_000 }, () => {
    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'webhook', private: true, type: 'module' }));
    execFileSync(npm, ['install', '--prefer-offline', tgz], { cwd: app, env, stdio: 'pipe' });
    writeFileSync(
      join(app, 'handler.ts'),
      [
        "import { classifyReply, parseStatus, type ReplyClassification } from 'bounce-audit';",
        "const yahoo: ReplyClassification = classifyReply({ diagnostic: \"554 delivery error: dd This user doesn't have a yahoo.com account\", email: 'x@yahoo.com' });",
        "const block = classifyReply({ status: '550', diagnostic: \"5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent (S3150)\", email: 'c@outlook.com' });",
        "const disabled = classifyReply({ status: '550 5.2.1', diagnostic: 'The email account that you tried to reach is disabled. - gsmtp', email: 'a@gmail.com' }, { disabledMailbox: 'soft' });",
        "const codes = parseStatus('', '550-5.1.1 The email account that you tried to reach does not exist');",
        'console.log(JSON.stringify({ yahoo, block, disabled, codes }));',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, outDir: 'out', types: [], skipLibCheck: false } }),
    );
    // The types resolve through package.json "exports": a mistake in them fails this compile.
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: app, env: clean, stdio: 'pipe' });
    const out = JSON.parse(execFileSync(process.execPath, [join(app, 'out', 'handler.js')], { cwd: app, env: clean, encoding: 'utf8' })) as Record<string, Record<string, unknown>>;
    expect(out.yahoo).toMatchObject({ outcome: 'bounced', bucket: 'invalid-address', reason: 'user-unknown', receiver: 'yahoo', basicCode: '554', action: 'suppress' });
    expect(out.block).toMatchObject({ bucket: 'blocked', reason: 'blocklisted', action: 'fix-sender' });
    expect(out.disabled).toMatchObject({ bucket: 'soft', reason: 'mailbox-disabled', enhancedCode: '5.2.1' });
    expect(out.codes).toMatchObject({ basic: '550', enhanced: '5.1.1' });
  });
});
