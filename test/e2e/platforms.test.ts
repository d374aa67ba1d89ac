/**
 * End-to-end: every platform export in fixtures/platforms/ read by the real CLI without format
 * flags. Each case checks the format detected, the counts, the suppressed addresses, stderr
 * and the exit code.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, FIXTURES } from '../helpers/run-cli.js';

const fx = (name: string) => join(FIXTURES, 'platforms', name);
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

interface Report {
  inputs: { format: string; detectedBy: string; encoding: string; statusOnly: boolean; rows: number }[];
  campaigns: { campaign: string; sent: number | null; bounced: number; invalidAddress: number; softBounce: number; blocked: number; unclassified: number; status: string; gateMetric: string; bounceRate: number | null }[];
  totals: { sent: number | null; bounced: number; invalidAddress: number; softBounce: number; blocked: number; unclassified: number };
  rows: { read: number; rejected: number; rejectedByReason: Record<string, number>; rejectedSamples: { line: number; reason: string }[] };
  unverified: { bounces: number; suppressed: boolean };
  exitCode: number;
}

async function audit(file: string, extra: string[] = []): Promise<{ report: Report; suppressed: string[]; code: number | null; stderr: string }> {
  const out = join(tmp.dir, 'suppression.csv');
  const r = await runCli([fx(file), '--json', '-o', out, '--min-sent', '1', ...extra], { cwd: tmp.dir });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as Report;
  const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as { email: string }[];
  return { report, suppressed: rows.map((x) => x.email), code: r.code, stderr: r.stderr };
}

interface Case {
  file: string;
  format: string;
  extra?: string[];
  rows: number;
  rejected?: Record<string, number>;
  bounced: number;
  invalid: number;
  soft: number;
  blocked: number;
  unclassified: number;
  sent: number | null;
  suppressed: string[];
  code: number;
}

const CASES: Case[] = [
  {
    file: 'mailgun-bounces.csv', format: 'mailgun', rows: 7, bounced: 7, invalid: 5, soft: 1, blocked: 1, unclassified: 0, sent: null, code: 0,
    suppressed: ['j.okafor@yahoo.com', 'lena.voss@gmail.com', 'm.ferreira@outlook.com', 'sales@acme-robotics.com'],
  },
  {
    file: 'sendgrid-bounces.csv', format: 'sendgrid', rows: 5, bounced: 5, invalid: 3, soft: 1, blocked: 1, unclassified: 0, sent: null, code: 0,
    suppressed: ['accounts@fabrikam.net', 'priya.nair@gmail.com', 'tom.hale@hotmail.com'],
  },
  {
    // HardBounce with Gmail's reply → invalid; HardBounce without details → unclassified (not suppressed);
    // Blocked whose reply *looks* like 5.1.1 stays blocked; AutoResponder and Unsubscribe are not bounces.
    file: 'postmark-bounces.csv', format: 'postmark', rows: 9, rejected: { 'not-a-bounce': 2 }, bounced: 7, invalid: 2, soft: 2, blocked: 2, unclassified: 1, sent: null, code: 0,
    suppressed: ['ana.ruiz@gmail.com', 'i.novak@globex-old.com'],
  },
  {
    file: 'ses-bounces.csv', format: 'ses', rows: 7, bounced: 7, invalid: 3, soft: 1, blocked: 1, unclassified: 2, sent: null, code: 0,
    suppressed: ['oscar.lind@gmail.com', 'p.quinn@northwind.io', 'r.shah@contoso.com'],
  },
  {
    // 2 recipients of one bounce + 3 of one (SNS-wrapped) delivery + 1 soft + 1 NoEmail; a complaint and a cut line skipped.
    file: 'ses-notifications.jsonl', format: 'ses-jsonl', rows: 9, rejected: { 'not-a-bounce': 1, 'invalid-json': 1 }, bounced: 4, invalid: 3, soft: 1, blocked: 0, unclassified: 0, sent: 7, code: 1,
    suppressed: ['b.cole@acme-robotics.com', 'w.garcia@gmail.com', 'x.meyer@outlook.com'],
  },
  {
    file: 'mailchimp-cleaned.csv', format: 'mailchimp', rows: 3, bounced: 3, invalid: 0, soft: 0, blocked: 0, unclassified: 3, sent: null, code: 0, suppressed: [],
  },
  {
    file: 'hubspot-unsubscribes-bounces.csv', format: 'hubspot', rows: 6, rejected: { 'not-a-bounce': 2 }, bounced: 4, invalid: 2, soft: 0, blocked: 1, unclassified: 1, sent: null, code: 0,
    suppressed: ['f.ng@gmail.com', 'g.haas@contoso.com'],
  },
  {
    // invalid_email → invalid; "blocked" with a 5.1.1-looking reply stays blocked; delivered counts; opened skipped.
    file: 'brevo-events.csv', format: 'brevo', rows: 8, rejected: { 'not-a-bounce': 1 }, bounced: 6, invalid: 2, soft: 1, blocked: 2, unclassified: 1, sent: 7, code: 1,
    suppressed: ['l.moreno@gmail.com', 'p.young@fabrikam.net'],
  },
  {
    // deferred → sent counts once; a deferral still queued at the end counts once; the bounce notice to the sender is skipped.
    file: 'postfix-mail.log', format: 'postfix', rows: 6, bounced: 3, invalid: 1, soft: 0, blocked: 2, unclassified: 0, sent: 6, code: 1,
    suppressed: ['ghost.user@gmail.com'],
  },
  {
    file: 'exim-mainlog', format: 'postfix', rows: 3, bounced: 1, invalid: 1, soft: 0, blocked: 0, unclassified: 0, sent: 3, code: 1,
    suppressed: ['g.klein@gmx.net'],
  },
  {
    file: 'excel-unicode-text.txt', format: 'generic', rows: 4, bounced: 2, invalid: 2, soft: 0, blocked: 0, unclassified: 0, sent: 4, code: 1,
    suppressed: ['jürgen.müller@gmx.de', 'zoë.lefèvre@orange.fr'],
  },
  {
    file: 'windows-1252.csv', format: 'generic', rows: 3, bounced: 2, invalid: 1, soft: 1, blocked: 0, unclassified: 0, sent: 3, code: 1,
    suppressed: ['f.schröder@web.de'],
  },
  {
    // 54 events, newest first: 20 processed, 1 dropped (not sent), 2 deferrals later delivered, a message still deferred
    // at the end (soft), 2 user-unknown bounces and a `blocked` one; opens, clicks, an unsubscribe and a spam report.
    file: 'sendgrid-email-activity.csv', format: 'sendgrid-activity', rows: 54, rejected: { 'not-a-bounce': 12, 'same-message': 23 },
    bounced: 4, invalid: 2, soft: 1, blocked: 1, unclassified: 0, sent: 19, code: 1,
    suppressed: ['jade.kim@gmail.com', 'sam.cole@globex.co'],
  },
  {
    // The Event Webhook as posted: 16 events of 6 messages, one of them dropped.
    file: 'sendgrid-events.json', format: 'sendgrid-events', rows: 16, rejected: { 'not-a-bounce': 4, 'same-message': 7 },
    bounced: 2, invalid: 1, soft: 0, blocked: 1, unclassified: 0, sent: 5, code: 1,
    suppressed: ['jade.kim@gmail.com'],
  },
  {
    // Webhook posts one per line: a temporary failure later delivered, a 5.1.1, Mailgun's 498 for a domain that does not
    // resolve (permanent: invalid), a suppressed send (not sent), an open, and a line cut short.
    file: 'mailgun-events.jsonl', format: 'mailgun-events', rows: 13, rejected: { 'not-a-bounce': 2, 'same-message': 6, 'invalid-json': 1 },
    bounced: 2, invalid: 2, soft: 0, blocked: 0, unclassified: 0, sent: 4, code: 1,
    suppressed: ['jade.kim@gmail.com', 'lena.voss@gmial.con'],
  },
  {
    // An events API page: the records are under `items`, `paging` is skipped.
    file: 'mailgun-events-page.json', format: 'mailgun-events', rows: 4, rejected: { 'same-message': 2 },
    bounced: 1, invalid: 1, soft: 0, blocked: 0, unclassified: 0, sent: 2, code: 1,
    suppressed: ['g.haas@contoso.com'],
  },
  {
    file: 'postmark-webhooks.json', format: 'postmark-webhooks', rows: 7, rejected: { 'not-a-bounce': 2 },
    bounced: 3, invalid: 1, soft: 1, blocked: 1, unclassified: 0, sent: 5, code: 1,
    suppressed: ['jade.kim@gmail.com'],
  },
  {
    // Pretty-printed notifications in a JSON array (a bounce, a delivery to two, a complaint).
    file: 'ses-notifications.json', format: 'ses-jsonl', rows: 4, rejected: { 'not-a-bounce': 1 },
    bounced: 1, invalid: 1, soft: 0, blocked: 0, unclassified: 0, sent: 3, code: 1,
    suppressed: ['jade.kim@gmail.com'],
  },
  {
    // Mailgun's bounces list is permanent failures only: its 498 "Host not found" is a domain that does not exist.
    file: 'mailgun-bounces-dns.csv', format: 'mailgun', rows: 5, bounced: 5, invalid: 4, soft: 1, blocked: 0, unclassified: 0, sent: null, code: 0,
    suppressed: ['j.okafor@yaho.com', 'lena.voss@gmial.con', 'm.ferreira@outlok.com', 'sales@acme-robotics.com'],
  },
  {
    // The older Sendinblue logs export: 20 events of 8 messages (4 delivered, hard, soft, blocked, invalid email).
    file: 'brevo-logs.csv', format: 'brevo', rows: 20, rejected: { 'not-a-bounce': 3, 'same-message': 9 },
    bounced: 4, invalid: 1, soft: 1, blocked: 1, unclassified: 1, sent: 8, code: 1,
    suppressed: ['gus.moreau@orange.fr'],
  },
  {
    // Unsubscribes, a spam complaint and a manual suppression are on Klaviyo's list, but are not bounces.
    file: 'klaviyo-suppressed.csv', format: 'klaviyo', rows: 6, rejected: { 'not-a-bounce': 3 },
    bounced: 3, invalid: 1, soft: 0, blocked: 0, unclassified: 2, sent: null, code: 0,
    suppressed: ['eli.brandt@web-de.invalid'],
  },
  {
    // UNKNOWN_USER and "Unknown user" are the same category; DNS_FAILURE and MAILBOX_FULL soft; SPAM and POLICY blocked.
    file: 'hubspot-bounce-categories.csv', format: 'hubspot', rows: 8, rejected: { 'not-a-bounce': 1 },
    bounced: 7, invalid: 2, soft: 2, blocked: 2, unclassified: 1, sent: null, code: 0,
    suppressed: ['a.ruiz@gmail.com', 'b.klein@gmx.net'],
  },
  {
    // One row per recipient; a recipient not sent to (previously bounced) is not a message.
    file: 'hubspot-email-recipients.csv', format: 'hubspot', rows: 10, rejected: { 'not-a-bounce': 1 },
    bounced: 2, invalid: 1, soft: 1, blocked: 0, unclassified: 0, sent: 9, code: 1,
    suppressed: ['jade.kim@gmail.com'],
  },
  {
    // lemlist keeps the lead's state (emailsBounced) beside the address's verification status.
    file: 'lemlist-leads.csv', format: 'sequencer', rows: 12, bounced: 5, invalid: 0, soft: 0, blocked: 0, unclassified: 5, sent: 12, code: 1, suppressed: [],
  },
  {
    // Exim's line forms: `addr: Unrouteable address`, `<addr>:`, `alias <original>:`, a pipe/file delivery, `->`.
    file: 'exim-mainlog-forms', format: 'postfix', rows: 8, bounced: 5, invalid: 4, soft: 1, blocked: 0, unclassified: 0, sent: 8, code: 1,
    suppressed: ['g.klein@gmx.net', 'j.okafor@yaho.com', 'lena.voss@gmial.con', 'sales@acme-robotics.com'],
  },
  {
    // German Excel: ';', CRLF, dotted dates in a "Sent At" column, and Excel's empty ';;;;' rows (blank lines, not rejections).
    file: 'excel-day-first.csv', format: 'generic', rows: 5, bounced: 3, invalid: 2, soft: 1, blocked: 0, unclassified: 0, sent: 5, code: 1,
    suppressed: ['bernd.keller@gmx.de', 'dieter.braun@gmx.de'],
  },
];

describe('platform exports are recognised from their header or content, without flags', () => {
  for (const c of CASES) {
    it(`${c.file}: read as ${c.format}, ${c.invalid} invalid of ${c.bounced} bounces, ${c.suppressed.length} suppressed, exit ${c.code}`, async () => {
      const { report, suppressed, code } = await audit(c.file, c.extra);
      expect(report.inputs[0]!.format).toBe(c.format);
      expect(report.rows.read).toBe(c.rows);
      expect(report.rows.rejectedByReason).toEqual(c.rejected ?? {});
      const t = report.totals;
      expect({ bounced: t.bounced, invalid: t.invalidAddress, soft: t.softBounce, blocked: t.blocked, unclassified: t.unclassified, sent: t.sent }).toEqual({
        bounced: c.bounced, invalid: c.invalid, soft: c.soft, blocked: c.blocked, unclassified: c.unclassified, sent: c.sent,
      });
      expect(suppressed).toEqual(c.suppressed);
      expect(code).toBe(c.code);
      expect(report.exitCode).toBe(c.code);
    });
  }

  it('names the line of a JSON Lines record that is not valid JSON, and goes on', async () => {
    const { report } = await audit('ses-notifications.jsonl');
    expect(report.rows.rejectedSamples).toEqual([
      expect.objectContaining({ line: 4, reason: 'not-a-bounce' }),
      expect.objectContaining({ line: 5, reason: 'invalid-json' }),
    ]);
  });

  it('reads Mailgun RFC 2822 and SendGrid unix-second dates into ISO dates', async () => {
    const out = join(tmp.dir, 's.csv');
    await runCli([fx('mailgun-bounces.csv'), '-o', out, '-q'], { cwd: tmp.dir });
    const lena = (parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]).find((r) => r.email === 'lena.voss@gmail.com')!;
    expect(lena.first_bounced_at).toBe('2026-10-06T09:14:02.000Z');
    expect(lena.last_bounced_at).toBe('2026-10-07T10:02:00.000Z');
    expect(lena.bounce_count).toBe('2');
    await runCli([fx('sendgrid-bounces.csv'), '-o', out, '-q'], { cwd: tmp.dir });
    const priya = (parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]).find((r) => r.email === 'priya.nair@gmail.com')!;
    expect(priya.first_bounced_at).toBe(new Date(1791277200 * 1000).toISOString());
  });

  it('reports the encoding it decoded (UTF-16LE with BOM, Windows-1252) and keeps accented campaign names', async () => {
    const u = await audit('excel-unicode-text.txt');
    expect(u.report.inputs[0]).toMatchObject({ encoding: 'utf-16le' });
    expect(u.report.campaigns.map((c) => c.campaign)).toEqual(['Herbstaktion']);
    const w = await audit('windows-1252.csv');
    expect(w.report.inputs[0]).toMatchObject({ encoding: 'windows-1252' });
    expect(w.report.campaigns.map((c) => c.campaign)).toEqual(['Rabatt 20 €']);
  });

  it('--encoding latin1 forces a decoding (the euro sign of Windows-1252 then reads as a C1 control)', async () => {
    const r = await audit('windows-1252.csv', ['--encoding', 'latin1']);
    expect(r.report.inputs[0]).toMatchObject({ encoding: 'latin1' });
    expect(r.report.campaigns[0]!.campaign).toBe('Rabatt 20 \u0080');
  });

  it('--input-format forces a reader: a Mailgun export read as a plain CSV loses nothing but says generic', async () => {
    const r = await audit('mailgun-bounces.csv', ['--input-format', 'csv']);
    expect(r.report.inputs[0]).toMatchObject({ format: 'generic', detectedBy: 'flag' });
    expect(r.report.totals.invalidAddress).toBe(5);
  });

  it('exits 2 with one line for an unknown --input-format, writing nothing', async () => {
    const r = await runCli([fx('mailgun-bounces.csv'), '--input-format', 'mailchump'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bounce-audit: error: --input-format "mailchump" is not known/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(tmp.dir, 'suppression.csv'))).toBe(false);
  });
});

describe('sequencer lead exports (status only)', () => {
  it('Instantly: every lead counts as sent, -1 is a bounce, the gate is the bounce rate and the report says so', async () => {
    const { report, suppressed, code } = await audit('instantly-leads.csv', ['--min-sent', '10']);
    expect(report.inputs[0]).toMatchObject({ format: 'sequencer', statusOnly: true });
    const c = report.campaigns[0]!;
    expect(c).toMatchObject({ campaign: 'Founders Q4', sent: 20, bounced: 3, invalidAddress: 0, unclassified: 3, gateMetric: 'bounced', status: 'fail' });
    expect(c.bounceRate).toBeCloseTo(0.15);
    expect(suppressed).toEqual([]);
    expect(report.unverified).toEqual({ bounces: 3, suppressed: false });
    expect(code).toBe(1);
  });

  it('Instantly, human report: says the verdict judges the bounce rate and that bounced leads are not suppressed', async () => {
    const r = await runCli([fx('instantly-leads.csv'), '--no-out', '--min-sent', '10'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/read as sequencer lead export \(status only\)/);
    expect(r.stdout).toMatch(/Founders Q4 15\.00% bounced: .*judge the bounce rate/);
    expect(r.stdout).toMatch(/3 bounces without reply text are not suppressed/);
  });

  it('--suppress-unverified puts bounced leads on the list, with a reason that says they are unverified', async () => {
    const out = join(tmp.dir, 's.csv');
    const r = await runCli([fx('instantly-leads.csv'), '-o', out, '--suppress-unverified', '--min-sent', '10', '-q'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.email, x.reason])).toEqual([
      ['dana.lee@quantafy.com', 'lead-bounced'],
      ['gil.ross@oldcorp-archive.com', 'lead-bounced'],
      ['lia.brun@montblanc-saas.fr', 'lead-bounced'],
    ]);
  });

  it('Smartlead (BOUNCED) and Apollo (Email Status) are read the same way', async () => {
    const s = await audit('smartlead-leads.csv');
    expect(s.report.inputs[0]!.format).toBe('sequencer');
    expect(s.report.campaigns[0]).toMatchObject({ sent: 10, bounced: 1, gateMetric: 'bounced' });
    const a = await audit('apollo-contacts.csv');
    expect(a.report.campaigns[0]).toMatchObject({ campaign: 'Enterprise CTOs', sent: 4, bounced: 1, gateMetric: 'bounced' });
  });

  it('a log with SMTP reply codes in its status column is not mistaken for a lead export', async () => {
    const r = await runCli([join(FIXTURES, 'campaign-q3.csv'), '--json', '--no-out'], { cwd: tmp.dir });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.inputs[0]!.format).toBe('generic');
    expect(report.campaigns.every((c) => c.gateMetric === 'invalid-address')).toBe(true);
  });
});

describe('exports with one row per event count messages, not events', () => {
  it('SendGrid Email Activity is recognised from its header (not as Brevo) and says how many events made how many messages', async () => {
    const r = await runCli([fx('sendgrid-email-activity.csv'), '--no-out', '--min-sent', '1'], { cwd: tmp.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/read as SendGrid Email Activity export .*\(by header\); 54 events make 19 messages/);
    expect(r.stdout).toMatch(/Autumn release\s+19\s+4\s+2\s+10\.53%\s+1\s+1\s+0\s+FAIL/);
    // Opens, clicks and the other events of counted messages are expected: summarised, not listed by line.
    expect(r.stdout).toMatch(/35 rows not counted, as the format says \(not a delivery outcome 12, another event of a counted message 23\)/);
    expect(r.stdout).not.toMatch(/rows? rejected/);
  });

  it('--input-format sendgrid on the activity export reads it as the activity export; naming another platform is refused', async () => {
    const s = await audit('sendgrid-email-activity.csv', ['--input-format', 'sendgrid']);
    expect(s.report.inputs[0]).toMatchObject({ format: 'sendgrid-activity', detectedBy: 'flag' });
    expect(s.report.totals).toMatchObject({ sent: 19, invalidAddress: 2 });
    const out = join(tmp.dir, 'not-written.csv');
    const b = await runCli([fx('sendgrid-email-activity.csv'), '--input-format', 'brevo', '-o', out], { cwd: tmp.dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--input-format brevo reads the Brevo .* but this header is the SendGrid Email Activity export .*--input-format sendgrid-activity/);
    expect(existsSync(out)).toBe(false);
  });

  it('a SendGrid Event Webhook array given --input-format sendgrid is read as the JSON events, not refused as malformed CSV', async () => {
    const s = await audit('sendgrid-events.json', ['--input-format', 'sendgrid']);
    expect(s.report.inputs[0]).toMatchObject({ format: 'sendgrid-events', detectedBy: 'flag' });
    expect(s.report.totals).toMatchObject({ sent: 5, invalidAddress: 1 });
  });

  it('JSON of a shape no reader knows is refused with the keys of its first record, exit 2', async () => {
    const file = join(tmp.dir, 'export.json');
    writeFileSync(file, JSON.stringify([{ contact: 'a@example.com', opened: true }, { contact: 'b@example.com', opened: false }]));
    const r = await runCli([file], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/JSON records of a shape bounce-audit does not know .*"contact", "opened".*SES .*Mailgun .*SendGrid .*Postmark/);
    expect(existsSync(join(tmp.dir, 'suppression.csv'))).toBe(false);
  });
});

describe('numeric dates: one order per column, decided from its values', () => {
  const firstBounce = (out: string): Record<string, string> =>
    Object.fromEntries((parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]).map((x) => [x.email, x.first_bounced_at]));

  it('German Excel dotted dates are day-first, and 02.09 and 13.09 in one column are both read', async () => {
    const out = join(tmp.dir, 's.csv');
    const r = await runCli([fx('excel-day-first.csv'), '-o', out, '--json', '--min-sent', '1'], { cwd: tmp.dir });
    const report = JSON.parse(r.stdout) as { inputs: { dates: unknown; columns: { date: string } }[]; warnings: unknown[] };
    expect(report.inputs[0]!.dates).toEqual({ order: 'day-first', decidedBy: 'values', column: 'Sent At', keptRaw: 0 });
    expect(report.warnings).toEqual([]);
    expect(firstBounce(out)).toEqual({ 'bernd.keller@gmx.de': '2025-09-02T10:16:00.000Z', 'dieter.braun@gmx.de': '2025-09-13T09:30:00.000Z' });
  });

  it("HubSpot's US dates (\"10/13/2026 9:09 AM\" in \"Sent At (Your time zone)\") are month-first", async () => {
    const out = join(tmp.dir, 's.csv');
    await runCli([fx('hubspot-email-recipients.csv'), '-o', out, '-q'], { cwd: tmp.dir });
    expect(firstBounce(out)).toEqual({ 'jade.kim@gmail.com': '2026-10-13T09:09:00.000Z' });
  });

  it('a column whose values could be read either way keeps them as written, says so, and --date-order decides them', async () => {
    const file = join(tmp.dir, 'bounces.csv');
    writeFileSync(file, 'email,status,diagnostic,date\na@example.com,550,5.1.1 user unknown,02/09/2025\nb@example.com,550,5.1.1 user unknown,03/09/2025\nc@example.com,250,ok,03/09/2025\n');
    const out = join(tmp.dir, 's.csv');
    const r = await runCli([file, '-o', out, '--min-sent', '1'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/Warning {2}3 dates in .*bounces\.csv \(column date\) kept as written: no value shows whether the day or the month comes first\. Give --date-order/);
    expect(firstBounce(out)).toEqual({ 'a@example.com': '02/09/2025', 'b@example.com': '03/09/2025' });
    await runCli([file, '-o', out, '-q', '--date-order', 'day-first'], { cwd: tmp.dir });
    expect(firstBounce(out)).toEqual({ 'a@example.com': '2025-09-02T00:00:00.000Z', 'b@example.com': '2025-09-03T00:00:00.000Z' });
    await runCli([file, '-o', out, '-q', '--date-order', 'month-first'], { cwd: tmp.dir });
    expect(firstBounce(out)).toEqual({ 'a@example.com': '2025-02-09T00:00:00.000Z', 'b@example.com': '2025-03-09T00:00:00.000Z' });
  });

  it('a column that proves both orders mixes them: every numeric date is kept as written, never half read', async () => {
    const file = join(tmp.dir, 'mixed.csv');
    writeFileSync(file, 'email,status,diagnostic,date\na@example.com,550,5.1.1 user unknown,13/09/2025\nb@example.com,550,5.1.1 user unknown,09/13/2025\n');
    const out = join(tmp.dir, 's.csv');
    const r = await runCli([file, '-o', out, '--json'], { cwd: tmp.dir });
    const report = JSON.parse(r.stdout) as { warnings: unknown[] };
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'dates-unread', keptRaw: 2, decidedBy: 'conflict' }));
    expect(firstBounce(out)).toEqual({ 'a@example.com': '13/09/2025', 'b@example.com': '09/13/2025' });
  });

  it('the order decided from the first rows is the one every thread reads the rest of the file with', async () => {
    const file = join(tmp.dir, 'big.csv');
    const lines = ['email,status,diagnostic,campaign,date', 'first@example.com,550,5.1.1 user unknown,C,13/09/2025 10:00'];
    for (let i = 0; i < 12_000; i++) {
      const day = String((i % 12) + 1).padStart(2, '0');
      const month = String(((i * 7) % 12) + 1).padStart(2, '0');
      lines.push(i % 9 === 0 ? `u${i}@example.com,550,5.1.1 user unknown,C,${day}/${month}/2025 10:00` : `u${i}@example.com,250,ok,C,${day}/${month}/2025`);
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { BOUNCE_AUDIT_PART_MIN_BYTES: '50000' };
    const one = join(tmp.dir, 'one.csv');
    const three = join(tmp.dir, 'three.csv');
    await runCli([file, '--threads', '1', '-o', one, '-q'], { cwd: tmp.dir, env });
    const r = await runCli([file, '--threads', '3', '-o', three, '--json'], { cwd: tmp.dir, env });
    expect(JSON.parse(r.stdout)).toMatchObject({ inputs: [{ parts: 3, dates: { order: 'day-first', decidedBy: 'values', keptRaw: 0 } }] });
    expect(readFileSync(three, 'utf8')).toBe(readFileSync(one, 'utf8'));
    // Row 63 is written 04/10/2025: 4 October, as the column's first rows proved.
    expect(firstBounce(one)['u63@example.com']).toBe('2025-10-04T10:00:00.000Z');
  });

  it('the older Sendinblue logs read their dashed day-first time stamps', async () => {
    const out = join(tmp.dir, 's.csv');
    await runCli([fx('brevo-logs.csv'), '-o', out, '-q'], { cwd: tmp.dir });
    expect(firstBounce(out)).toEqual({ 'gus.moreau@orange.fr': '2026-10-13T09:06:07.000Z' });
  });
});

describe('lead exports say which leads bounced, or are refused', () => {
  it('--input-format lemlist reads the lead state beside the verification status: 5 of 12 bounced', async () => {
    const { report, code } = await audit('lemlist-leads.csv', ['--input-format', 'lemlist']);
    expect(report.campaigns[0]).toMatchObject({ campaign: 'Founders Q4', sent: 12, bounced: 5, gateMetric: 'bounced', status: 'fail' });
    expect(code).toBe(1);
  });

  it('a lead export forced as a sequencer without any status or bounce column is refused, naming the columns it needs', async () => {
    const file = join(tmp.dir, 'leads.csv');
    writeFileSync(file, 'email,firstName,companyName\na@example.com,Ann,Acme\nb@example.com,Bo,Globex\n');
    const r = await runCli([file, '--input-format', 'lemlist'], { cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--input-format sequencer reads the sequencer lead export .*which needs a lead status column .* or a bounce column/);
    expect(existsSync(join(tmp.dir, 'suppression.csv'))).toBe(false);
  });

  it('--by source shows the bounce rate of each lead source', async () => {
    const r = await runCli([fx('lemlist-leads.csv'), '--by', 'source', '--no-out', '--min-sent', '1'], { cwd: tmp.dir });
    expect(r.stdout).toMatch(/By list source\nSource +Rows +Bounced +Invalid +Rate +Blocked +Verdict\nConference list +6 +2 +0 +33\.33% bounced +0 +FAIL\nScraped directory +6 +3 +0 +50\.00% bounced +0 +FAIL/);
  });
});
