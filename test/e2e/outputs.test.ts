/**
 * End-to-end: the optional outputs through the real CLI — profiles, idempotent --merge,
 * --clean, --rows-out, breakdowns, Markdown, --fail-on and GitHub Actions.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, FIXTURES } from '../helpers/run-cli.js';

const fx = (name: string) => join(FIXTURES, name);
const pf = (name: string) => join(FIXTURES, 'platforms', name);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());
const csv = (path: string) => parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];

describe('--profile shapes the suppression CSV for the tool it is imported into', () => {
  const cases: [string, string][] = [
    ['hubspot', 'Email\nj.okafor@yahoo.com\nlena.voss@gmail.com\nm.ferreira@outlook.com\nsales@acme-robotics.com\n'],
    ['klaviyo', 'Email\nj.okafor@yahoo.com\nlena.voss@gmail.com\nm.ferreira@outlook.com\nsales@acme-robotics.com\n'],
    ['instantly', 'email\nj.okafor@yahoo.com\nlena.voss@gmail.com\nm.ferreira@outlook.com\nsales@acme-robotics.com\n'],
    ['smartlead', 'email\nj.okafor@yahoo.com\nlena.voss@gmail.com\nm.ferreira@outlook.com\nsales@acme-robotics.com\n'],
    ['plain', 'j.okafor@yahoo.com\nlena.voss@gmail.com\nm.ferreira@outlook.com\nsales@acme-robotics.com\n'],
  ];
  for (const [profile, expected] of cases) {
    it(`${profile}: exactly the expected file`, async () => {
      const out = join(tmp.dir, 'x.csv');
      const r = await runCli([pf('mailgun-bounces.csv'), '--profile', profile, '-o', out, '-q'], { cwd: tmp.dir });
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(expected);
    });
  }

  it('mailgun: address,code,error,created_at with RFC 2822 dates', async () => {
    const out = join(tmp.dir, 'x.csv');
    await runCli([pf('sendgrid-bounces.csv'), '--profile', 'mailgun', '-o', out, '-q'], { cwd: tmp.dir });
    const rows = csv(out);
    expect(Object.keys(rows[0]!)).toEqual(['address', 'code', 'error', 'created_at']);
    const priya = rows.find((r) => r.address === 'priya.nair@gmail.com')!;
    expect(priya.code).toBe('550');
    expect(priya.created_at).toBe(new Date(1791277200 * 1000).toUTCString().replace('GMT', '+0000'));
    expect(priya.error).toMatch(/does not exist/);
  });

  it('rejects an unknown profile with exit 2 and writes nothing', async () => {
    const r = await runCli([pf('mailgun-bounces.csv'), '--profile', 'salesforce'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile "salesforce" is not one of generic, hubspot, klaviyo, mailgun, instantly, smartlead, plain/);
    expect(tmp.files()).toEqual([]);
  });
});

describe('--merge: the account-wide list', () => {
  it('creates the list, then running the same merge again changes nothing (byte for byte)', async () => {
    const list = join(tmp.dir, 'all.csv');
    const r1 = await runCli([fx('campaign-q3.csv'), '--merge', list, '--no-out'], { cwd: tmp.dir });
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/Merged {2}.*all\.csv \(new\): 0 → 6 addresses, 6 added, 0 updated/);
    const first = readFileSync(list, 'utf8');
    const tom = csv(list).find((r) => r.email === 'tom.baker@gmail.com')!;
    expect(tom.bounce_count).toBe('2');
    expect(JSON.parse(tom.campaign_counts!)).toEqual({ 'Q3 launch': 1, 'Q3 nurture': 1 });
    const r2 = await runCli([fx('campaign-q3.csv'), '--merge', list, '--no-out'], { cwd: tmp.dir });
    expect(r2.stdout).toMatch(/6 → 6 addresses, 0 added, 0 updated/);
    expect(readFileSync(list, 'utf8')).toBe(first);
  });

  it('unions two platforms, adds counts across campaigns, keeps the earliest first-seen date', async () => {
    const list = join(tmp.dir, 'all.csv');
    await runCli([pf('mailgun-bounces.csv'), '--merge', list, '--no-out', '--campaign', 'oct-a'], { cwd: tmp.dir });
    // The same address bounces again in a later campaign from another platform.
    const later = join(tmp.dir, 'later.csv');
    writeFileSync(later, 'email,status,diagnostic,date,campaign\nlena.voss@gmail.com,550,550 5.1.1 user unknown,2026-11-02T10:00:00Z,nov-b\nnew.one@gmail.com,550,550 5.1.1 user unknown,2026-11-02T10:01:00Z,nov-b\n');
    const r = await runCli([later, '--merge', list, '-o', join(tmp.dir, 'hub.csv'), '--profile', 'hubspot'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/4 → 5 addresses, 1 added, 1 updated/);
    const lena = csv(list).find((x) => x.email === 'lena.voss@gmail.com')!;
    expect(JSON.parse(lena.campaign_counts!)).toEqual({ 'oct-a': 2, 'nov-b': 1 });
    expect(lena.bounce_count).toBe('3');
    expect(lena.first_bounced_at).toBe('2026-10-06T09:14:02.000Z');
    expect(lena.last_bounced_at).toBe('2026-11-02T10:00:00.000Z');
    // -o gets the whole merged list, in the chosen profile.
    expect(readFileSync(join(tmp.dir, 'hub.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('accepts a plain one-address-per-line list as a starting point', async () => {
    const list = join(tmp.dir, 'old.txt');
    writeFileSync(list, 'someone@old-list.com\nLENA.VOSS@gmail.com\n');
    const r = await runCli([pf('mailgun-bounces.csv'), '--merge', list, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(csv(list).map((x) => x.email)).toEqual(['j.okafor@yahoo.com', 'lena.voss@gmail.com', 'm.ferreira@outlook.com', 'sales@acme-robotics.com', 'someone@old-list.com']);
  });

  it('exits 2 naming the line when campaign_counts is corrupt, and leaves the list untouched', async () => {
    const list = join(tmp.dir, 'all.csv');
    const text = 'email,campaign_counts\na@b.com,"{""x"":1}"\nc@d.com,{broken\n';
    writeFileSync(list, text);
    const r = await runCli([pf('mailgun-bounces.csv'), '--merge', list, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bounce-audit: error: .*all\.csv:3:2: campaign_counts is not valid JSON/);
    expect(readFileSync(list, 'utf8')).toBe(text);
    expect(tmp.files()).toEqual(['all.csv']);
  });

  it('refuses -o naming the merge list itself', async () => {
    const list = join(tmp.dir, 'all.csv');
    const r = await runCli([pf('mailgun-bounces.csv'), '--merge', list, '-o', list], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/-o and --merge name the same file/);
  });
});

describe('--clean: the next lead list without suppressed addresses', () => {
  it('removes this run\'s and the merged list\'s addresses, keeps order, columns, quoting and CRLF', async () => {
    const leads = join(tmp.dir, 'next-leads.csv');
    copyFileSync(pf('next-leads.csv'), leads);
    const list = join(tmp.dir, 'all.csv');
    writeFileSync(list, 'email\ntess.ward@copperkettle.com\n');
    const r = await runCli([pf('mailgun-bounces.csv'), '--merge', list, '--clean', leads, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Cleaned {2}.*next-leads\.clean\.csv: 4 of 6 leads removed, 2 kept/);
    const out = readFileSync(join(tmp.dir, 'next-leads.clean.csv'), 'utf8');
    expect(out).toBe(
      '"Email","First Name","Company","Notes"\r\n' +
        '"carl.diaz@northwind.io","Carl","Northwind","intro via ""Ben"", follow up in Q1"\r\n' +
        '"press@northwind.io","Press","Northwind","blocked last time, but a real inbox"\r\n',
    );
  });

  it('copies every kept row byte for byte in any spreadsheet dialect: BOM, semicolons, CRLF, blank lines, quoted line breaks, stray quotes', async () => {
    const leads = join(tmp.dir, 'leads.csv');
    const rows = [
      '\uFEFFE-Mail;Name;Notiz\r\n',
      'Carl.Diaz@northwind.io;Carl;"zwei\r\nZeilen; mit Semikolon"\r\n',
      '\r\n',
      'lena.voss@GMAIL.com;Lena;weg\r\n',
      'press@northwind.io;Press;sagt "hallo" ohne Anführung\r\n',
      'kein-lead;;\r\n',
      '"j.okafor@yahoo.com";"Jo";""\r\n',
      'ann@example.org;Ann;letzte Zeile ohne Umbruch',
    ];
    writeFileSync(leads, rows.join(''));
    const r = await runCli([pf('mailgun-bounces.csv'), '--clean', leads, '--no-out', '--json'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).clean).toMatchObject({ rows: 6, removed: 2, kept: 4, emailColumn: 'E-Mail' });
    // Only the two suppressed rows are gone (lena.voss and j.okafor); every other byte is the input's.
    const kept = rows.filter((_, i) => i !== 3 && i !== 6).join('');
    expect(readFileSync(join(tmp.dir, 'leads.clean.csv'), 'utf8')).toBe(kept);
  });

  it('exits 2 naming the line where a multi-line row with an unclosed quote starts', async () => {
    const leads = join(tmp.dir, 'leads.csv');
    writeFileSync(leads, 'email,name\r\n\r\na@b.com,x\r\nc@d.com,"y\r\n\r\nz\r\n');
    const r = await runCli([pf('mailgun-bounces.csv'), '--clean', leads, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads\.csv:4:2: unterminated quoted field/);
    expect(tmp.files()).toEqual(['leads.csv']);
  });

  it('JSON reports the cleaning; --clean-out names the target', async () => {
    const out = join(tmp.dir, 'clean.csv');
    const r = await runCli([pf('mailgun-bounces.csv'), '--clean', pf('next-leads.csv'), '--clean-out', out, '--no-out', '--json'], { cwd: tmp.dir });
    const j = JSON.parse(r.stdout) as { clean: { rows: number; removed: number; kept: number; emailColumn: string } };
    expect(j.clean).toMatchObject({ rows: 6, removed: 3, kept: 3, emailColumn: 'Email' });
    expect(existsSync(out)).toBe(true);
  });

  it('exits 2 without a partial file when the lead list is malformed', async () => {
    const leads = join(tmp.dir, 'leads.csv');
    writeFileSync(leads, 'email,name\na@b.com,"unterminated\n');
    const r = await runCli([pf('mailgun-bounces.csv'), '--clean', leads, '--no-out'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/leads\.csv:2:2: unterminated quoted field/);
    expect(tmp.files()).toEqual(['leads.csv']);
  });
});

describe('--rows-out', () => {
  it('writes every input row, skipped ones too, with codes, bucket and reason', async () => {
    const out = join(tmp.dir, 'rows.csv');
    const r = await runCli([pf('postmark-bounces.csv'), '--rows-out', out, '--no-out', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    const rows = csv(out);
    expect(rows.map((x) => x.line)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(rows[0]).toMatchObject({ email: 'ana.ruiz@gmail.com', enhanced_code: '5.1.1', basic_code: '550', bucket: 'invalid-address', suppressed: 'yes', platform_hint: 'postmark-hard-bounce' });
    expect(rows[2]).toMatchObject({ email: 'c.lind@contoso.com', bucket: 'blocked', suppressed: 'no' });
    expect(rows[6]).toMatchObject({ line: '8', skipped: 'not-a-bounce', bucket: '' });
  });
});

describe('--by domain and --by source', () => {
  it('breaks the invalid-address rate down per lead source (auto-detected column)', async () => {
    const leads = join(tmp.dir, 'log.csv');
    const lines = ['email,status,diagnostic,lead_source'];
    for (let i = 0; i < 40; i++) lines.push(`ok${i}@example.org,250,250 OK,conference`);
    for (let i = 0; i < 36; i++) lines.push(`s${i}@example.net,250,250 OK,scraped`);
    for (let i = 0; i < 4; i++) lines.push(`gone${i}@example.net,550,550 5.1.1 user unknown,scraped`);
    writeFileSync(leads, `${lines.join('\n')}\n`);
    const r = await runCli([leads, '--by', 'source', '--json', '--no-out', '--min-sent', '10'], { cwd: tmp.dir });
    const j = JSON.parse(r.stdout) as { breakdowns: { by: string; groups: { key: string; rows: number; invalidAddress: number; invalidAddressRate: number; status: string }[] }[] };
    expect(j.breakdowns).toHaveLength(1);
    expect(j.breakdowns[0]!.groups).toEqual([
      expect.objectContaining({ key: 'conference', rows: 40, invalidAddress: 0, status: 'ok' }),
      expect.objectContaining({ key: 'scraped', rows: 40, invalidAddress: 4, invalidAddressRate: 0.1, status: 'fail' }),
    ]);
  });

  it('--source-column names the column; --by domain groups receivers', async () => {
    const r = await runCli([pf('instantly-leads.csv'), '--source-column', 'Lead Source', '--by', 'domain', '--no-out', '--min-sent', '5'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/By receiver/);
    expect(r.stdout).toMatch(/By list source\n.*\nConference list +13 /);
    expect(r.stdout).toMatch(/Scraped directory +7 /);
  });

  it('exits 2 when --source-column is not a column', async () => {
    const r = await runCli([pf('instantly-leads.csv'), '--source-column', 'Vendor'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--source-column "Vendor" is not a column/);
  });
});

describe('--format md and --fail-on', () => {
  it('prints a Markdown report with a campaign table and verdicts', async () => {
    const r = await runCli([fx('campaign-q3.csv'), '--format', 'md', '--no-out', '--by', 'domain'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## bounce-audit: ⚠️ WARN\n/);
    expect(r.stdout).toContain('| Campaign | Sent | Bounced | Invalid | Rate | Soft | Blocked | Unclassified | Verdict |');
    expect(r.stdout).toMatch(/\| Q3 launch \| 250 \| .* \| 2\.40% \| .* \| ⚠️ WARN \|/);
    expect(r.stdout).toContain('### By receiver');
  });

  it('--fail-on warn turns a warning into exit 1; default stays 0', async () => {
    expect((await runCli([fx('campaign-q3.csv'), '--no-out', '-q'], { cwd: tmp.dir })).code).toBe(0);
    expect((await runCli([fx('campaign-q3.csv'), '--no-out', '-q', '--fail-on', 'warn'], { cwd: tmp.dir })).code).toBe(1);
  });
});

describe('GitHub Actions (GITHUB_ACTIONS=true)', () => {
  it('appends the Markdown report to the step summary, writes outputs, annotates once per campaign', async () => {
    const summary = join(tmp.dir, 'summary.md');
    const output = join(tmp.dir, 'output.txt');
    writeFileSync(summary, '# earlier step\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output };
    const r = await runCli([fx('campaign-q3.csv'), fx('cold-list-fail.csv'), '--json', '-o', join(tmp.dir, 's.csv')], { cwd: tmp.dir, env });
    expect(r.code).toBe(1);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    const s = readFileSync(summary, 'utf8');
    expect(s.startsWith('# earlier step\n## bounce-audit: ❌ FAIL\n')).toBe(true);
    expect(s).toMatch(/\| Scraped SaaS founders \| 140 \| .* \| ❌ FAIL \|/);
    expect(readFileSync(output, 'utf8')).toBe('invalid_address_rate=3.33\nbounce_rate=5.29\nstatus=fail\nsuppressed=16\n');
    const annotations = r.stderr.trim().split('\n');
    expect(annotations).toEqual([
      expect.stringMatching(/^::error title=bounce-audit%3A Scraped SaaS founders::Scraped SaaS founders: invalid-address rate 7\.14%25 is above 5%25 \(10 invalid, 10 bounced of 140 sent\)$/),
      expect.stringMatching(/^::warning title=bounce-audit%3A Q3 launch::Q3 launch: invalid-address rate 2\.40%25 is above 2%25 \(6 invalid, 15 bounced of 250 sent\)$/),
    ]);
  });

  it('does nothing GitHub-specific outside Actions', async () => {
    const summary = join(tmp.dir, 'summary.md');
    const r = await runCli([fx('cold-list-fail.csv'), '--no-out', '-q'], { cwd: tmp.dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(existsSync(summary)).toBe(false);
  });
});

describe('the suppression CSV never holds a line break inside a cell', () => {
  it('a campaign name holding a carriage return is written with a space instead, and reads back as one row', async () => {
    const input = join(tmp.dir, 'cr.csv');
    writeFileSync(input, 'email,status,diagnostic,campaign\nann@example.com,550,5.1.1 user unknown,"Spring\rsale"\n');
    const out = join(tmp.dir, 'out.csv');
    const r = await runCli([input, '-o', out, '-q'], { cwd: tmp.dir });
    expect([0, 1]).toContain(r.code);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('\r');
    expect(text).toContain(',Spring sale,');
    // Read back with this tool's own reader (CR ends a line outside quotes): one row, the name whole.
    const again = await runCli([out, '--json', '--no-out', '--email-column', 'email', '--campaign-column', 'campaigns'], { cwd: tmp.dir });
    expect(JSON.parse(again.stdout).rows.read).toBe(1);
    expect(JSON.parse(again.stdout).campaigns[0].campaign).toBe('Spring sale');
  });
});
