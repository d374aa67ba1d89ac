/**
 * End-to-end: the real CLI on the shipped fixtures. Each test checks exit code, stdout,
 * stderr and the files written.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, FIXTURES } from '../helpers/run-cli.js';

const fx = (name: string) => join(FIXTURES, name);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function readCsv(text: string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}

interface JsonCampaign {
  campaign: string | null;
  sent: number | null;
  sentSource: string;
  delivered: number;
  bounced: number;
  invalidAddress: number;
  softBounce: number;
  blocked: number;
  unclassified: number;
  invalidAddressRate: number | null;
  byReason: Record<string, number>;
  status: string;
}
interface JsonReport {
  schemaVersion: number;
  thresholds: { warnAbove: number; failAbove: number; minSent: number };
  inputs: { file: string; rows: number; delimiter: string; columns: Record<string, string | null> }[];
  campaigns: JsonCampaign[];
  totals: JsonCampaign;
  rows: { read: number; rejected: number; rejectedSamples: { file: string; line: number; reason: string }[] };
  suppression: { path: string | null; addresses: number };
  exitCode: number;
}

const Q3_SUPPRESSED = [
  'info@globex-defunct.com',
  'jan.novak@web.de',
  'old.sales@acme-robotics.com',
  'r.ortiz@contoso.com',
  'shelly.k@yahoo.com',
  'tom.baker@gmail.com',
];
/** Recipients whose bounce refused the sender, not the address: must never be suppressed. */
const Q3_BLOCKED = ['c.hughes@outlook.com', 'd.moreau@gmail.com', 'legal@acme-robotics.com', 'k.tanaka@contoso.com'];

describe('campaign-q3.csv: two campaigns with delivered rows and bounces', () => {
  it('prints a per-campaign table, writes suppression.csv in the current folder, exits 0', async () => {
    const r = await runCli([fx('campaign-q3.csv')], { cwd: tmp.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Q3 launch\s+250\s+15\s+6\s+2\.40%\s+5\s+4\s+0\s+WARN/);
    expect(r.stdout).toMatch(/Q3 nurture\s+120\s+2\s+1\s+0\.83%\s+1\s+0\s+0\s+OK/);
    expect(r.stdout).toMatch(/Total\s+370\s+17\s+7\s+1\.89%/);
    expect(r.stdout).toContain('1 row rejected, not counted in any campaign (no address 1)');
    expect(r.stdout).toContain('campaign-q3.csv:380  no address');
    expect(r.stdout).toContain('6 invalid addresses written to suppression.csv');
    expect(r.stdout).toMatch(/Never send to the 6 suppressed addresses/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // NO_COLOR=1 and not a TTY
    expect(tmp.files()).toEqual(['suppression.csv']);
  });

  it('suppresses each invalid address once, normalised and sorted, and never a blocked recipient', async () => {
    await runCli([fx('campaign-q3.csv')], { cwd: tmp.dir });
    const rows = readCsv(readFileSync(join(tmp.dir, 'suppression.csv'), 'utf8'));
    expect(rows.map((x) => x.email)).toEqual(Q3_SUPPRESSED);
    for (const blocked of Q3_BLOCKED) expect(rows.map((x) => x.email)).not.toContain(blocked);
    const tom = rows.find((x) => x.email === 'tom.baker@gmail.com')!;
    // Bounced in both campaigns (as "Tom.Baker@gmail.com" and "Tom.Baker@GMAIL.com ").
    expect(tom).toMatchObject({ bounce_count: '2', campaigns: 'Q3 launch; Q3 nurture', enhanced_code: '5.1.1', basic_code: '550', reason: 'user-unknown' });
    expect(Date.parse(tom.first_bounced_at!)).toBeLessThan(Date.parse(tom.last_bounced_at!));
    const jan = rows.find((x) => x.email === 'jan.novak@web.de')!;
    expect(jan.campaigns).toBe('Q3 launch');
    expect(Object.keys(rows[0]!)[0]).toBe('email');
  });

  it('reports exact bucket counts and rates in JSON (schemaVersion 1)', async () => {
    const r = await runCli([fx('campaign-q3.csv'), '--json', '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.schemaVersion).toBe(1);
    expect(j.thresholds).toEqual({ warnAbove: 0.02, failAbove: 0.05, minSent: 100 });
    const launch = j.campaigns.find((c) => c.campaign === 'Q3 launch')!;
    expect(launch).toMatchObject({ sent: 250, delivered: 235, bounced: 15, invalidAddress: 6, softBounce: 5, blocked: 4, unclassified: 0, status: 'warn' });
    expect(launch.invalidAddressRate).toBeCloseTo(0.024, 12);
    const nurture = j.campaigns.find((c) => c.campaign === 'Q3 nurture')!;
    expect(nurture).toMatchObject({ sent: 120, bounced: 2, invalidAddress: 1, softBounce: 1, status: 'ok' });
    expect(j.totals).toMatchObject({ campaign: null, sent: 370, invalidAddress: 7, blocked: 4 });
    expect(j.rows).toMatchObject({ read: 371, rejected: 1 });
    expect(j.rows.rejectedSamples).toEqual([{ file: fx('campaign-q3.csv'), line: 380, reason: 'missing-email' }]);
    expect(j.suppression).toEqual({ path: null, addresses: 6 });
    expect(j.inputs[0]!.columns).toEqual({ email: 'email', status: 'status', diagnostic: 'diagnostic', campaign: 'campaign', date: 'date', command: null });
    expect(tmp.files()).toEqual([]);
  });

  it('exits 1 when a campaign is above --fail-above, and 0 again when the threshold is raised', async () => {
    const strict = await runCli([fx('campaign-q3.csv'), '--fail-above', '2.2', '--no-out']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/Q3 launch.*FAIL/);
    const lax = await runCli([fx('campaign-q3.csv'), '--warn-above', '3', '--fail-above', '10', '--no-out']);
    expect(lax.code).toBe(0);
    expect(lax.stdout).toMatch(/Q3 launch.*OK/);
  });

  it('treats a campaign below --min-sent as low-volume, never failing the run', async () => {
    const r = await runCli([fx('campaign-q3.csv'), '--min-sent', '200', '--warn-above', '0.1', '--fail-above', '0.5', '--json', '--no-out']);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns.find((c) => c.campaign === 'Q3 nurture')!.status).toBe('low-volume');
    expect(j.campaigns.find((c) => c.campaign === 'Q3 launch')!.status).toBe('fail');
    expect(r.code).toBe(1);
    const only = await runCli([fx('campaign-q3.csv'), '--min-sent', '1000', '--warn-above', '0.1', '--fail-above', '0.5', '--no-out']);
    expect(only.code).toBe(0);
    expect(only.stdout).toContain('LOW VOLUME');
  });
});

describe('cold-list-fail.csv: a European Excel export (BOM, semicolons, CRLF)', () => {
  it('reads it without flags and fails the run at 7.14 % invalid addresses', async () => {
    const r = await runCli([fx('cold-list-fail.csv'), '--json', '-o', join(tmp.dir, 'out.csv')]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.inputs[0]).toMatchObject({ delimiter: ';', rows: 140 });
    expect(j.inputs[0]!.columns).toMatchObject({ email: 'E-Mail', status: 'Status Code', diagnostic: 'SMTP Response', campaign: 'Campaign Name', date: 'Created At' });
    expect(j.campaigns).toHaveLength(1);
    expect(j.campaigns[0]).toMatchObject({ campaign: 'Scraped SaaS founders', sent: 140, invalidAddress: 10, status: 'fail' });
    expect(j.campaigns[0]!.invalidAddressRate).toBeCloseTo(10 / 140, 12);
    expect(j.exitCode).toBe(1);
    expect(readCsv(readFileSync(join(tmp.dir, 'out.csv'), 'utf8'))).toHaveLength(10);
  });

  it('tells a person to audit the list source', async () => {
    const r = await runCli([fx('cold-list-fail.csv'), '--no-out']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Scraped SaaS founders.*FAIL/);
    expect(r.stdout).toMatch(/audit where the list came from/);
  });
});

describe('bounces-only.csv: a log with no delivered rows', () => {
  it('reports sent as unknown (rate null) without --sent: never guesses a denominator', async () => {
    const r = await runCli([fx('bounces-only.csv'), '--json', '--no-out']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns[0]).toMatchObject({ campaign: 'bounces-only', sent: null, invalidAddressRate: null, status: 'unknown', sentSource: 'unknown' });
    expect(j.campaigns[0]).toMatchObject({ bounced: 11, invalidAddress: 7, softBounce: 2, blocked: 2 });
    expect(j.rows.rejectedSamples).toEqual([{ file: fx('bounces-only.csv'), line: 13, reason: 'invalid-email' }]);
    expect(j.suppression.addresses).toBe(6);
  });

  it('uses a bare --sent N for its single campaign, and --campaign to name it', async () => {
    const r = await runCli([fx('bounces-only.csv'), '--sent', '400', '--campaign', 'October', '--json', '--no-out']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns[0]).toMatchObject({ campaign: 'October', sent: 400, sentSource: 'flag', status: 'ok' });
    expect(j.campaigns[0]!.invalidAddressRate).toBeCloseTo(7 / 400, 12);
    const named = await runCli([fx('bounces-only.csv'), '--sent', 'October=300', '--campaign', 'October', '--json', '--no-out']);
    expect(named.code).toBe(0);
    expect((JSON.parse(named.stdout) as JsonReport).campaigns[0]).toMatchObject({ sent: 300, status: 'warn' });
  });

  it('is a usage error when --sent names a campaign that is not in the input', async () => {
    const r = await runCli([fx('bounces-only.csv'), '--sent', 'Nope=400', '--no-out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sent names campaign "Nope", which is not in the input/);
    expect(r.stdout).toBe('');
  });
});

describe('several inputs and standard input', () => {
  it('merges campaigns by name across files', async () => {
    const r = await runCli([fx('campaign-q3.csv'), fx('campaign-q3.csv'), '--json', '--no-out']);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns.map((c) => c.campaign)).toEqual(['Q3 launch', 'Q3 nurture']);
    expect(j.campaigns[0]).toMatchObject({ sent: 500, invalidAddress: 12 });
    expect(j.rows.read).toBe(742);
    expect(j.suppression.addresses).toBe(6);
  });

  it('reads - from stdin; with -o - stdout is pure suppression CSV and the report goes to stderr', async () => {
    const input = readFileSync(fx('campaign-q3.csv'));
    const r = await runCli(['-', '-o', '-'], { input, cwd: tmp.dir });
    expect(r.code).toBe(0);
    const rows = readCsv(r.stdout);
    expect(rows.map((x) => x.email)).toEqual(Q3_SUPPRESSED);
    expect(r.stdout.split('\n')[0]).toBe('email,reason,enhanced_code,basic_code,receiver,campaigns,first_bounced_at,last_bounced_at,bounce_count,diagnostic,incident');
    expect(r.stderr).toMatch(/Q3 launch.*WARN/);
    expect(r.stderr).toContain('stdin:380  no address');
    expect(tmp.files()).toEqual([]);
  });

  it('names the campaign "stdin" for piped input without a campaign column', async () => {
    const r = await runCli(['-', '--json', '--no-out'], { input: 'email,status\na@example.com,250\nb@example.com,550 5.1.1\n' });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns[0]).toMatchObject({ campaign: 'stdin', sent: 2, invalidAddress: 1, status: 'low-volume' });
  });
});

describe('flags, help and version', () => {
  it('--help lists the options, examples and exit codes on stdout; exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--out', '--no-out', '--json', '--warn-above', '--fail-above', '--min-sent', '--sent', '--campaign', '--email-column', '--status-column', '--diagnostic-column', '--campaign-column', '--date-column', '--quiet', '--no-color', '--debug', '--version']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes:');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--json with -o - is a usage error (both want stdout): exit 2, nothing on stdout', async () => {
    const r = await runCli([fx('campaign-q3.csv'), '--json', '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--json and -o - both want standard output/);
  });

  it.each([
    [['--warn-above', 'abc'], /--warn-above takes a percentage/],
    [['--fail-above', '101'], /--fail-above takes a percentage/],
    [['--warn-above', '6'], /--warn-above \(6\) must not be above --fail-above \(5\)/],
    [['--min-sent', '-3'], /--min-sent takes a whole number/],
    [['--sent', 'x=abc'], /--sent x= takes a whole number/],
    [['--bogus'], /unknown option '--bogus'/],
  ])('rejects %j with exit 2 and a one-line message', async (args, message) => {
    const r = await runCli([fx('campaign-q3.csv'), ...args], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(tmp.files()).toEqual([]);
  });

  it('needs at least one input file', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
  });

  it('--quiet prints no report but still writes the suppression file and sets the exit code', async () => {
    const r = await runCli([fx('cold-list-fail.csv'), '--quiet'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(tmp.files()).toEqual(['suppression.csv']);
  });

  it('colours the verdict only when asked (FORCE_COLOR) and never with NO_COLOR or --no-color', async () => {
    const forced = await runCli([fx('campaign-q3.csv'), '--no-out'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stdout).toMatch(/\u001b\[33mWARN/);
    const off = await runCli([fx('campaign-q3.csv'), '--no-out', '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(off.stdout).not.toMatch(/\u001b\[/);
  });

  it('policy flags move the ambiguous replies between buckets', async () => {
    const csv = [
      'email,status,diagnostic,smtp_command',
      'a@gmail.com,550,"550-5.2.1 The email account that you tried to reach is disabled. - gsmtp",RCPT',
      'b@example.com,552,"552 5.2.2 Mailbox full",RCPT',
      'c@example.com,550,"550 User unknown",DATA',
      'd@contoso.com,550,"550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DM6NAM11FT001.eop-nam11.prod.protection.outlook.com]",RCPT',
      'e@icloud.com,550,"550 5.1.1 <e@icloud.com>: inactive email address",RCPT',
    ].join('\n');
    const byDefault = JSON.parse((await runCli(['-', '--json', '--no-out'], { input: csv })).stdout) as JsonReport;
    expect(byDefault.totals).toMatchObject({ invalidAddress: 3, softBounce: 1, unclassified: 1 });
    expect(byDefault.inputs[0]!.columns.command).toBe('smtp_command');
    const flipped = await runCli(
      ['-', '--json', '--no-out', '--disabled-mailbox', 'soft', '--full-mailbox-5xx', 'invalid-address', '--unknown-after-data', 'invalid-address', '--recipient-access-denied', 'unclassified', '--icloud-inactive', 'soft'],
      { input: csv },
    );
    expect(flipped.code).toBe(0);
    expect((JSON.parse(flipped.stdout) as JsonReport).totals).toMatchObject({ invalidAddress: 2, softBounce: 2, unclassified: 1 });
    const bad = await runCli(['-', '--disabled-mailbox', 'maybe'], { input: csv });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--disabled-mailbox takes one of invalid-address, soft; got "maybe"/);
  });

  it('column overrides pick the named columns', async () => {
    const csv = 'Recipient Address,Reply,Text,Batch,When\n a@x.com ,550,5.1.1 no such user,B1,2026-01-01\nb@x.com,250,ok,B1,2026-01-01\n';
    const r = await runCli(
      ['-', '--email-column', 'Recipient Address', '--status-column', 'Reply', '--diagnostic-column', 'Text', '--campaign-column', 'Batch', '--date-column', 'When', '--json', '-o', join(tmp.dir, 's.csv')],
      { input: csv },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonReport;
    expect(j.campaigns[0]).toMatchObject({ campaign: 'B1', sent: 2, invalidAddress: 1 });
    const s = readCsv(readFileSync(join(tmp.dir, 's.csv'), 'utf8'));
    expect(s).toEqual([expect.objectContaining({ email: 'a@x.com', first_bounced_at: '2026-01-01T00:00:00.000Z' })]);
  });
});
