/**
 * End-to-end: the run answers right or refuses. Files that do not prove their rows are bounces,
 * workbooks, compressed files, inputs nothing of which can be counted; totals and CI outputs that
 * never use an unknown denominator; --fail-on unknown; the words a person reads.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCli, tempDir, FIXTURES } from '../helpers/run-cli.js';

const fx = (name: string): string => join(FIXTURES, name);
const pf = (name: string): string => join(FIXTURES, 'platforms', name);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

interface Totals {
  sent: number | null;
  invalidAddress: number;
  invalidAddressRate: number | null;
  bounceRate: number | null;
  status: string;
}
interface Json {
  inputs: { format: string; rows: number; counted: number; compression: string | null }[];
  campaigns: { campaign: string; sent: number | null; status: string; gateMetric: string; bounceRate: number | null; invalidAddressRate: number | null }[];
  totals: Totals;
  rows: { read: number; rejected: number };
  warnings: { code: string }[];
  exitCode: number;
}

describe('a file that does not say which rows bounced is refused, unless the user vouches for it', () => {
  it('a lead list (email, name, notes) is refused with exit 2, the columns it would need, and nothing written', async () => {
    const r = await runCli([pf('next-leads.csv')], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bounce-audit: error: .*next-leads\.csv:1: no column says which rows bounced: expected a status or reply-text column .*the header has: "Email", "First Name", "Company", "Notes".*--all-rows-bounced\n$/);
    expect(tmp.files()).toEqual([]);
  });

  it('--all-rows-bounced reads every row as a bounce of unknown cause: not suppressed, number sent unknown', async () => {
    const r = await runCli([pf('next-leads.csv'), '--all-rows-bounced', '--json'], { cwd: tmp.dir });
    const j = JSON.parse(r.stdout) as Json & { totals: { bounced: number; unclassified: number } };
    expect(r.code).toBe(0);
    expect(j.totals).toMatchObject({ sent: null, bounced: 6, unclassified: 6, invalidAddress: 0, status: 'unknown' });
  });

  it('a header that fits two platforms equally is refused with both names, not guessed', async () => {
    const file = join(tmp.dir, 'merged.csv');
    // Mailgun's and SendGrid's bounce columns side by side: both layouts fit.
    writeFileSync(file, 'address,code,error,created_at,email,created,reason,status\na@example.com,550,5.1.1 user unknown,x,a@example.com,1,5.1.1 user unknown,550\n');
    const r = await runCli([file], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the header fits the Mailgun bounces export \(mailgun\) and the SendGrid bounces export \(sendgrid\) equally: say which with --input-format mailgun or --input-format sendgrid/);
  });
});

describe('an input none of whose rows can be counted is an error that writes nothing', () => {
  it('exits 2 and leaves an existing suppression list as it was', async () => {
    const list = join(tmp.dir, 'suppression.csv');
    const before = 'email,reason\nkeep.me@example.com,user-unknown\n';
    writeFileSync(list, before);
    const file = join(tmp.dir, 'bad.csv');
    writeFileSync(file, 'email,status,diagnostic\nnot an address,550,5.1.1 user unknown\n,550,5.1.1 user unknown\nalso-not-one,550,x\n');
    const r = await runCli([file], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv: none of its 3 rows could be counted \(invalid-email 2, missing-email 1\); read as CSV bounce log\. Nothing was written/);
    expect(readFileSync(list, 'utf8')).toBe(before);
    expect(tmp.files()).toEqual(['bad.csv', 'suppression.csv']);
  });

  it('a Postmark export of unsubscribes only is not a bounce log: exit 2, saying what it lists instead', async () => {
    const file = join(tmp.dir, 'postmark.csv');
    writeFileSync(file, 'ID,Type,TypeCode,Email,BouncedAt,Details\n1,Unsubscribe,16,a@example.com,2026-10-01T10:00:00Z,\n2,SpamComplaint,512,b@example.com,2026-10-01T10:00:00Z,\n');
    const r = await runCli([file], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none of its 2 rows is a delivery or a bounce \(not-a-bounce 2\): it lists other events/);
  });

  it('a large share of rejected rows is the first thing the report says, and a GitHub warning', async () => {
    const file = join(tmp.dir, 'holes.csv');
    const rows = ['email,status,diagnostic'];
    for (let i = 0; i < 7; i++) rows.push(`u${i}@example.com,250,ok`);
    rows.push(',550,5.1.1 user unknown', ',550,5.1.1 user unknown', 'x@example.com,550,5.1.1 user unknown');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const r = await runCli([file, '--no-out', '--min-sent', '1'], { cwd: tmp.dir, env: { GITHUB_ACTIONS: 'true' } });
    const lines = r.stdout.split('\n');
    expect(lines[2]).toMatch(/^Warning {2}20\.00% of the rows of .*holes\.csv \(2 of 10\) could not be counted \(no address 2\): check the file's format and columns/);
    expect(r.stderr).toMatch(/^::warning title=bounce-audit%3A input::20\.00%25 of the rows of .*holes\.csv/m);
  });
});

describe('a lead export in which no lead bounced is questioned, not taken as 0 %', () => {
  it('says so first in the report', async () => {
    const file = join(tmp.dir, 'leads.csv');
    writeFileSync(file, 'email,status,name\na@example.com,active,Ann\nb@example.com,paused,Bo\n');
    const r = await runCli([file, '--no-out', '--min-sent', '1'], { cwd: tmp.dir });
    expect(r.stdout.split('\n')[2]).toMatch(/^Warning {2}none of the 2 leads in .*leads\.csv is marked bounced: unless the list is that clean, the export lacks the column that says so/);
  });
});

describe('totals and CI outputs never use an unknown denominator', () => {
  it('a lead export with a bounces-only export: the total is unknown, and so are the GitHub outputs', async () => {
    const output = join(tmp.dir, 'output.txt');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output };
    const r = await runCli([pf('instantly-leads.csv'), pf('mailgun-bounces.csv'), '--json', '--no-out', '--min-sent', '1'], { cwd: tmp.dir, env });
    const j = JSON.parse(r.stdout) as Json;
    expect(j.campaigns.map((c) => [c.campaign, c.sent])).toEqual([
      ['Founders Q4', 20],
      ['mailgun-bounces', null],
    ]);
    expect(j.totals).toMatchObject({ sent: null, invalidAddressRate: null, bounceRate: null, status: 'unknown' });
    expect(readFileSync(output, 'utf8')).toMatch(/^invalid_address_rate=\nbounce_rate=\nstatus=fail\n/);
    // One warning annotation per campaign whose number sent is unknown.
    expect(r.stderr).toMatch(/^::warning title=bounce-audit%3A mailgun-bounces::mailgun-bounces: the number of messages sent is unknown .*--sent "mailgun-bounces=N", or make this fail CI with --fail-on unknown\.$/m);
    const human = await runCli([pf('instantly-leads.csv'), pf('mailgun-bounces.csv'), '--no-out', '--min-sent', '1'], { cwd: tmp.dir });
    expect(human.stdout).toMatch(/\nTotal +\? +10 +5 +— /);
  });

  it('--fail-on unknown makes a forgotten --sent fail the run; the default stays 0', async () => {
    const plain = await runCli([pf('mailgun-bounces.csv'), '--no-out', '-q'], { cwd: tmp.dir });
    expect(plain.code).toBe(0);
    const strict = await runCli([pf('mailgun-bounces.csv'), '--no-out', '-q', '--fail-on', 'unknown'], { cwd: tmp.dir, env: { GITHUB_ACTIONS: 'true' } });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^::error title=bounce-audit%3A mailgun-bounces::mailgun-bounces: the number of messages sent is unknown/m);
    const given = await runCli([pf('mailgun-bounces.csv'), '--no-out', '-q', '--fail-on', 'unknown', '--sent', '10000'], { cwd: tmp.dir });
    expect(given.code).toBe(0);
    const both = await runCli([fx('campaign-q3.csv'), pf('mailgun-bounces.csv'), '--no-out', '-q', '--fail-on', 'warn,unknown'], { cwd: tmp.dir });
    expect(both.code).toBe(1);
  });
});

describe('compressed files and spreadsheets', () => {
  it('reads export.csv.gz as the CSV inside it, with the same numbers', async () => {
    const gz = join(tmp.dir, 'campaign-q3.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(fx('campaign-q3.csv'))));
    const plain = JSON.parse((await runCli([fx('campaign-q3.csv'), '--json', '--no-out'], { cwd: tmp.dir })).stdout) as Json;
    const r = await runCli([gz, '--json', '--no-out'], { cwd: tmp.dir });
    const j = JSON.parse(r.stdout) as Json;
    expect(j.inputs[0]).toMatchObject({ compression: 'gzip', rows: 371 });
    expect(j.campaigns).toEqual(plain.campaigns);
  });

  it('reads a rotated, gzipped mail log, and gzip on standard input', async () => {
    const gz = join(tmp.dir, 'mail.log.1.gz');
    const bytes = gzipSync(readFileSync(pf('postfix-mail.log')));
    writeFileSync(gz, bytes);
    const r = await runCli([gz, '--json', '--no-out'], { cwd: tmp.dir });
    expect(JSON.parse(r.stdout) as Json).toMatchObject({ inputs: [{ format: 'postfix', compression: 'gzip', rows: 6 }] });
    const s = await runCli(['-', '--json', '--no-out'], { cwd: tmp.dir, input: bytes });
    expect(JSON.parse(s.stdout) as Json).toMatchObject({ inputs: [{ format: 'postfix', compression: 'gzip', rows: 6 }] });
  });

  it('a gzip file cut short is one clear error, exit 2', async () => {
    const gz = join(tmp.dir, 'cut.csv.gz');
    const bytes = gzipSync(readFileSync(fx('campaign-q3.csv')));
    writeFileSync(gz, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await runCli([gz], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bounce-audit: error: .*cut\.csv\.gz: the gzip data is damaged or cut short/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(tmp.dir, 'suppression.csv'))).toBe(false);
  });

  it('an .xlsx workbook is refused with "save it as CSV (UTF-8)"', async () => {
    const xlsx = join(tmp.dir, 'export.xlsx');
    // A workbook is a zip archive: "PK\x03\x04" and the name of its first part.
    writeFileSync(xlsx, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from('[Content_Types].xml')]));
    const r = await runCli([xlsx], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/export\.xlsx: this is a spreadsheet workbook .*save it as CSV \(UTF-8\)/);
  });
});

describe('messages that quote the input are short', () => {
  it('a wrong --encoding does not print the file as "the header has"', async () => {
    const r = await runCli([fx('campaign-q3.csv'), '--encoding', 'utf-16le'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no email column found; the header has: ".{40}…"/u);
    expect(r.stderr.length).toBeLessThan(400);
  });
});

describe('words for the people reading the report', () => {
  it('a lead export shows the bounce rate it judged, and the advice names that metric', async () => {
    const r = await runCli([pf('instantly-leads.csv'), '--no-out', '--min-sent', '10'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/Founders Q4 +20 +3 +0 +15\.00% bounced +0 +0 +3 +FAIL/);
    expect(r.stdout).toMatch(/Founders Q4: above 5% bounced\./);
    expect(r.stdout).not.toMatch(/Unclass\.|invalid addresses\. Pause/);
    expect(r.stdout).toContain('campaigns with fewer than 10 sent are not judged (--min-sent)');
  });

  it('a Mailchimp cleaned export without reasons is judged on its bounce rate, never "0.00% OK"', async () => {
    const r = await runCli([pf('mailchimp-cleaned.csv'), '--no-out', '--sent', 'September newsletter=2000', '--sent', 'September product update=100', '--json'], { cwd: tmp.dir });
    const j = JSON.parse(r.stdout) as Json;
    expect(j.campaigns.map((c) => [c.campaign, c.gateMetric, c.status])).toEqual([
      ['September newsletter', 'bounced', 'ok'],
      ['September product update', 'bounced', 'ok'],
    ]);
    const human = await runCli([pf('mailchimp-cleaned.csv'), '--no-out', '--sent', 'September newsletter=2000', '--sent', 'September product update=100'], { cwd: tmp.dir });
    expect(human.stdout).toMatch(/September newsletter +2,000 +2 +0 +0\.10% bounced/);
    expect(human.stdout).toMatch(/no reply text says why these bounces happened/);
    expect(human.stdout).not.toMatch(/0\.00%/);
  });

  it('shows readable reasons and plurals: no kebab-case ids, no "1 bounces"', async () => {
    const r = await runCli([pf('postmark-bounces.csv'), '--no-out', '--sent', '100'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/Top reasons {2}.*Postmark: hard bounce 1/);
    expect(r.stdout).not.toMatch(/\b1 bounces\b|postmark-hard-bounce/);
  });
});

describe('the command line helps with what was meant', () => {
  it.each([
    [['--profile', 'hubspto'], /--profile "hubspto" is not one of .*; did you mean "hubspot"\?/],
    [['--input-format', 'sendgird'], /--input-format "sendgird" is not known; .*did you mean "sendgrid"\?/],
    [['--encoding', 'utf-16el'], /--encoding "utf-16el" is not supported; .*did you mean "utf-16le"\?/],
    [['--fail-on', 'unknwon'], /--fail-on "unknwon" is not one of fail, warn, unknown; did you mean "unknown"\?/],
  ])('%j names the value meant, exit 2', async (args, message) => {
    const r = await runCli([fx('campaign-q3.csv'), ...args], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('"bounce-audit help" prints the help (not "no such file"), "help explain" the command\'s', async () => {
    const r = await runCli(['help'], { cwd: tmp.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bounce-audit \[options\] \[command\] <file\.\.\.>/);
    const e = await runCli(['help', 'explain'], { cwd: tmp.dir });
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^Usage: bounce-audit explain \[options\] \[reply\.\.\.\]/);
  });
});
