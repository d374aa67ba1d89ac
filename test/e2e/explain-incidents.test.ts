/** End-to-end: `bounce-audit explain`, and receiver incidents in the audit report, JSON and CSV. */
import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir, FIXTURES } from '../helpers/run-cli.js';

describe('bounce-audit explain', () => {
  it('reads Yahoo\'s "dd" reply as an invalid address despite its 554 code', async () => {
    const r = await runCli(['explain', "554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1001.mail.gq1.yahoo.com", '--email', 'x@yahoo.com']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Basic code\s+554/);
    expect(r.stdout).toMatch(/Receiver\s+yahoo/);
    expect(r.stdout).toMatch(/Bucket\s+invalid-address/);
    expect(r.stdout).toMatch(/Reason\s+user-unknown/);
    expect(r.stdout).toMatch(/Action\s+suppress/);
  });

  it('reads Microsoft\'s S3150 block-list reply as a blocked sender, not an invalid address', async () => {
    const r = await runCli([
      'explain',
      "550 5.7.1 Unfortunately, messages from [192.0.2.10] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150).",
      '--email',
      'a@outlook.com',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Enhanced code\s+5\.7\.1/);
    expect(r.stdout).toMatch(/Receiver\s+microsoft/);
    expect(r.stdout).toMatch(/Rule\s+\S+\s+.*S3150/);
    expect(r.stdout).toMatch(/Bucket\s+blocked/);
    expect(r.stdout).toMatch(/Action\s+fix the sender/);
  });

  it('prints JSON with the rule id and source, and honours a policy flag', async () => {
    const text = '550-5.2.1 The email account that you tried to reach is disabled. - gsmtp';
    const def = JSON.parse((await runCli(['explain', text, '--email', 'a@gmail.com', '--json'])).stdout) as Record<string, unknown>;
    expect(def).toMatchObject({ basic: '550', enhanced: '5.2.1', receiver: 'google', bucket: 'invalid-address', reason: 'mailbox-disabled', action: 'suppress' });
    expect(typeof def.ruleId).toBe('string');
    expect(typeof def.ruleSource).toBe('string');
    const soft = JSON.parse((await runCli(['explain', text, '--email', 'a@gmail.com', '--json', '--disabled-mailbox', 'soft'])).stdout) as Record<string, unknown>;
    expect(soft).toMatchObject({ bucket: 'soft', action: 'retry-later' });
  });

  it('joins several words and uses --status', async () => {
    const r = await runCli(['explain', 'user', 'unknown', '--status', '5.1.1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ enhanced: '5.1.1', bucket: 'invalid-address' });
  });

  it('needs a reply text', async () => {
    const r = await runCli(['explain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/explain needs the reply text to read/);
    expect(r.stderr).toContain('bounce-audit explain --help');
  });
});

describe('receiver incidents (icloud-incident.csv)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('flags Apple answering "user does not exist" 40× more often than the rest, and marks those addresses', async () => {
    const out = join(tmp.dir, 's.csv');
    const r = await runCli([join(FIXTURES, 'icloud-incident.csv'), '--json', '-o', out]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { incidents: Record<string, unknown>[]; campaigns: { invalidAddress: number }[] };
    expect(j.incidents).toEqual([
      { campaign: 'Spring webinar', receiver: 'apple', invalidAddress: 30, rows: 80, rate: 0.375, othersRate: 3 / 320, suppressedAddresses: 30 },
    ]);
    expect(j.campaigns[0]!.invalidAddress).toBe(33);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(33);
    expect(rows.filter((x) => x.incident === 'apple')).toHaveLength(30);
    expect(rows.filter((x) => x.incident === '').every((x) => !/@(icloud|me|mac)\.com$/.test(x.email!))).toBe(true);
  });

  it('says so in the human report', async () => {
    const r = await runCli([join(FIXTURES, 'icloud-incident.csv'), '--no-out']);
    expect(r.stdout).toMatch(/Receiver incident\? Spring webinar: apple answered "no such user" for 30 of 80 rows \(37\.50%, other receivers 0\.94%\)/);
    expect(r.stdout).toMatch(/review the addresses marked in the incident column/);
  });

  it('reports no incident when one receiver\'s rate is ordinary', async () => {
    const r = await runCli([join(FIXTURES, 'campaign-q3.csv'), '--json', '--no-out']);
    expect((JSON.parse(r.stdout) as { incidents: unknown[] }).incidents).toEqual([]);
  });
});

describe('--explain with --rows-out', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('adds the deciding rule\'s source, the guard and the action to every row', async () => {
    const rowsPath = join(tmp.dir, 'rows.csv');
    const r = await runCli([join(FIXTURES, 'campaign-q3.csv'), '--no-out', '--quiet', '--rows-out', rowsPath, '--explain']);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(rowsPath, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(371); // every data row, the rejected one included, each with its line
    expect(rows.find((x) => x.line === '380')).toMatchObject({ skipped: 'missing-email', action: '' });
    const yahoo = rows.find((x) => x.email === 'shelly.k@yahoo.com')!;
    expect(yahoo).toMatchObject({ bucket: 'invalid-address', rule_id: 'yahoo-no-account', action: 'suppress', suppressed: 'yes' });
    expect(yahoo.rule_source).toMatch(/dd This user doesn't have a yahoo\.com account/);
    const blocked = rows.find((x) => x.email === 'c.hughes@outlook.com')!;
    expect(blocked).toMatchObject({ bucket: 'blocked', action: 'fix-sender', suppressed: 'no' });
    expect(rows.find((x) => x.email === 'ana.l0@gmail.com')).toMatchObject({ action: 'none', bucket: '' });
  });

  it('is a usage error without --rows-out', async () => {
    const r = await runCli([join(FIXTURES, 'campaign-q3.csv'), '--explain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--explain adds columns to the rows CSV: give --rows-out/);
  });
});

describe('platform tokens and session refusals in an audit', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('suppresses a dead address written as a token, and not one refused with 521 under a protocol status', async () => {
    const log = join(tmp.dir, 'tokens.csv');
    writeFileSync(
      log,
      [
        'email,status,diagnostic',
        'ann@example.com,,InactiveMailbox',
        'bob@example.com,,bounce_inactive-mailbox',
        'cy@example.com,,MAILBOX_FULL',
        'dee@example.com,,521 5.5.1 Protocol error',
        'eve@example.com,,DoesNotExist',
      ].join('\n') + '\n',
    );
    const out = join(tmp.dir, 'suppression.csv');
    const r = await runCli([log, '--json', '-o', out, '--sent', '200']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { totals: Record<string, number> };
    expect(report.totals).toMatchObject({ invalidAddress: 2, softBounce: 1, unclassified: 2 });
    const rows = parse(readFileSync(out), { columns: true }) as Array<{ email: string }>;
    expect(rows.map((x) => x.email)).toEqual(['ann@example.com', 'bob@example.com']);
  });
});
