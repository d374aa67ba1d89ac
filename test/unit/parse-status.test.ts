import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatus } from '../../src/classify/parse-status.js';
import { lookupEnhanced } from '../../src/classify/enhanced-status-codes.js';

type Case = [name: string, status: string, diagnostic: string, basic: string | null, enhanced: string | null];

const SHAPES: Case[] = [
  ['basic + enhanced', '', '550 5.1.1 <a@example.com>: Recipient address rejected: User unknown', '550', '5.1.1'],
  ['continuation lines flattened', '', '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser - gsmtp', '550', '5.1.1'],
  ['#code', '', '550 #5.1.0 Address rejected', '550', '5.1.0'],
  ['(#code) qmail', '', 'Sorry, no mailbox here by that name. (#5.1.1)', null, '5.1.1'],
  ['dsn=', '', 'to=<a@example.com>, relay=mx.example.com, dsn=5.1.1, status=bounced (host said: 550 user unknown)', '550', '5.1.1'],
  ['smtp; status column', 'smtp; 550 5.7.1 rejected', '', '550', '5.7.1'],
  ['smtp; basic only', 'smtp; 550 Requested action not taken: mailbox unavailable', '', '550', null],
  ['bare enhanced status', '5.1.1', '', null, '5.1.1'],
  ['bare basic status', '550', '', '550', null],
  ['Status: header', 'Status: 5.1.1', '', null, '5.1.1'],
  ['generic status, specific text', '5.0.0', '550 5.1.1 <a@example.com>... User unknown', '550', '5.1.1'],
  ['X.S.0 status refined by text', '5.1.0', "5.1.0 - Unknown address error '5.1.1 <a@example.com>: User unknown' (delivery attempts: 0)", null, '5.1.1'],
  ['specific status beats text', '5.7.1', "5.1.0 - Unknown address error '5.7.1 <a@example.com>... Access denied'", null, '5.7.1'],
  ['status basic kept, enhanced from text', '550', 'host said: 550 5.1.10 RESOLVER.ADR.RecipientNotFound', '550', '5.1.10'],
  ['Microsoft multi-digit detail', '', '550 5.7.606 Access denied, banned sending IP [198.51.100.2]', '550', '5.7.606'],
  ['Exchange 5.1.351', '', "Remote Server returned '550 5.1.351 Remote server returned unknown recipient'", '550', '5.1.351'],
  ['ERROR_CODE : form', '', 'Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <a@example.jp>... User Unknown', '550', '5.1.1'],
  ['basic agreeing with the enhanced class', '5.1.6', '450 busy - please try later 551 not our user 503 need RCPT command', '551', '5.1.6'],
  ['failure beats earlier success', '', '250 2.1.0 sender ok 550 5.1.1 user unknown', '550', '5.1.1'],
  ['success reply', '', '250 2.0.0 OK queued as 12345', '250', '2.0.0'],
  ['Yandex 5.7.1', '', '550 5.7.1 No such user!', '550', '5.7.1'],
  ['GMX without enhanced code', '', '550 Requested action not taken: mailbox unavailable', '550', null],
  ['status word', 'delivered', '', null, null],
  ['upper-case and extra spaces', '  SMTP;   554   5.7.9  Message not accepted ', '', '554', '5.7.9'],
];

const NEGATIVES: Case[] = [
  ['IPv4 addresses', '', 'Connection to 192.0.2.55 and 203.0.113.250 failed', null, null],
  ['IPv4 with port', '', 'connect to mx.example.com[192.0.2.1]:465: Connection timed out', null, null],
  ['dotted date', '', 'queued on 2024.05.01 at 10:42:05', null, null],
  ['slash date and time', '', 'on 3/09/2016 7:58:27 PM 450', '450', null],
  ['v-version', '', 'Postfix v2.3.4 running', null, null],
  ['version word', '', 'Exim version 4.94.2 here', null, null],
  ['bare version with subject > 7', '', 'agent 4.94.2 done', null, null],
  ['Yahoo tracking id', '', 'deferred - 4.16.55.1; see https://senders.yahooinc.com', null, null],
  ['port word', '', 'listening on port 465 and port 587', null, null],
  ['byte counts', '', 'message of 552 bytes', null, null],
  ['URL path', '', 'see http://example.com/550/5.1.1/help', null, null],
  ['digits glued to letters', '', 'MXIN506 IB607 S3150 OFR_416', null, null],
  ['empty', '', '', null, null],
];

describe('parseStatus', () => {
  it.each(SHAPES)('%s', (_name, status, diagnostic, basic, enhanced) => {
    const p = parseStatus(status, diagnostic);
    expect({ basic: p.basic, enhanced: p.enhanced }).toEqual({ basic, enhanced });
  });

  it.each(NEGATIVES)('does not mistake: %s', (_name, status, diagnostic, basic, enhanced) => {
    const p = parseStatus(status, diagnostic);
    expect({ basic: p.basic, enhanced: p.enhanced }).toEqual({ basic, enhanced });
  });

  it('joins, squeezes and lower-cases the text', () => {
    expect(parseStatus('5.1.1', '  550  User\n\tUNKNOWN ').text).toBe('5.1.1 550 user unknown');
    expect(parseStatus('', 'X').text).toBe('x');
  });

  it('tolerates non-string input at run time', () => {
    expect(() => parseStatus(undefined as unknown as string, null as unknown as string)).not.toThrow();
    expect(parseStatus(undefined as unknown as string, null as unknown as string)).toEqual({ basic: null, enhanced: null, text: '' });
  });

  it('never throws and is deterministic on arbitrary strings (incl. unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary', maxLength: 300 }), (a, b) => {
        const x = parseStatus(a, b);
        const y = parseStatus(a, b);
        expect(x).toEqual(y);
        if (x.basic !== null) expect(x.basic).toMatch(/^[245]\d\d$/);
        if (x.enhanced !== null) expect(x.enhanced).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds codes embedded anywhere in noise', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('5.1.1', '4.2.2', '5.7.26'), (noise, code) => {
        const p = parseStatus('', `${noise.replace(/[\d.]/g, ' ')} 550 ${code} ${noise.replace(/[\d.]/g, ' ')}`);
        expect(p.enhanced).toBe(code);
      }),
    );
  });
});

describe('enhanced status registry', () => {
  it('looks up registered codes of any class and rejects unregistered ones', () => {
    expect(lookupEnhanced('5.1.1')?.summary).toBe('Bad destination mailbox address');
    expect(lookupEnhanced('4.2.2')?.code).toBe('X.2.2');
    expect(lookupEnhanced('5.7.26')?.reference).toMatch(/7372/);
    expect(lookupEnhanced('5.1.10')?.summary).toMatch(/null MX/i);
    expect(lookupEnhanced('5.1.351')).toBeNull();
    expect(lookupEnhanced('not a code')).toBeNull();
    expect(lookupEnhanced(null)).toBeNull();
  });
});
