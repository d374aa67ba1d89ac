import { isUtf8 } from 'node:buffer';
/** Unit tables for the input and output helpers: decoding, hint precedence, readers, merge, GitHub output, breakdowns. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeStream, sniffEncoding, decodeSingleByte } from '../../src/input/decode.js';
import { resolveRow } from '../../src/classify/platform-hint.js';
import { sesRows } from '../../src/input/ses-notifications.js';
import { readMailLog } from '../../src/input/mail-log.js';
import { splitLines } from '../../src/input/lines.js';
import { rankCsvAdapters } from '../../src/input/csv-exports.js';
import { mergeEntry, type MergedEntry } from '../../src/suppression/merge.js';
import { githubAnnotations, githubOutputs, MAX_ANNOTATIONS } from '../../src/report/github.js';
import { BreakdownCounter, MAX_TRACKED, OTHER_KEY } from '../../src/count/breakdowns.js';
import type { PlatformHint, ReadItem } from '../../src/input/row.js';
import type { AuditResult } from '../../src/audit.js';
import type { Report } from '../../src/report/report.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
const decodeAll = async (buf: Buffer, size: number) => {
  const d = decodeStream(chunked(buf, size));
  const text = Buffer.concat(await collect(d.chunks)).toString('utf8');
  return { text, info: d.info };
};

describe('decodeStream', () => {
  const sample = 'email;name\r\njürgen.müller@gmx.de;Zoë “Ø” 20 €\r\n';
  it.each([1, 2, 3, 7, 4096])('UTF-8 split into %i-byte chunks passes through unchanged', async (size) => {
    const r = await decodeAll(Buffer.from(sample, 'utf8'), size);
    expect(r.text).toBe(sample);
    expect(r.info.encoding).toBe('utf-8');
  });
  it.each([1, 3, 5, 4096])('UTF-16LE with BOM in %i-byte chunks', async (size) => {
    const r = await decodeAll(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]), size);
    expect(r.text).toBe(sample);
    expect(r.info).toMatchObject({ encoding: 'utf-16le', detectedBy: 'bom' });
  });
  it('UTF-16BE with BOM, and UTF-16LE without a BOM from its NUL pattern', async () => {
    const be = Buffer.from(sample, 'utf16le').swap16();
    expect((await decodeAll(Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 5)).text).toBe(sample);
    const r = await decodeAll(Buffer.from(sample, 'utf16le'), 4096);
    expect(r.text).toBe(sample);
    expect(r.info.detectedBy).toBe('nul-pattern');
  });
  it('Windows-1252 (invalid UTF-8) falls back, mapping 0x80–0x9F through the Windows table', async () => {
    const bytes = Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x80, 0x20, 0x93, 0x71, 0x94]);
    const r = await decodeAll(bytes, 4096);
    expect(r.text).toBe('Müller € “q”');
    expect(r.info).toEqual({ encoding: 'windows-1252', detectedBy: 'invalid-utf8', invalidBytes: 4, multiByte: false });
  });
  it('reads an invalid byte after valid ASCII chunks as Windows-1252', async () => {
    const bytes = Buffer.concat([Buffer.from('a'.repeat(5000)), Buffer.from([0xe9])]);
    const r = await decodeAll(bytes, 1000);
    expect(r.text).toBe(`${'a'.repeat(5000)}é`);
  });
  it('keeps valid UTF-8 as UTF-8 around an invalid byte, whatever the chunk size', async () => {
    const text = 'müller@exämple.de,Rabatt 20 €\n'.repeat(40);
    const bytes = Buffer.concat([Buffer.from(text), Buffer.from('reply \xff here\n', 'latin1'), Buffer.from(text)]);
    const want = `${text}reply ÿ here\n${text}`;
    for (const size of [1, 2, 3, 5, 7, 64, 1000, 4096]) {
      const r = await decodeAll(bytes, size);
      expect(r.text).toBe(want);
      expect(r.info).toMatchObject({ encoding: 'utf-8', detectedBy: 'invalid-utf8', invalidBytes: 1, multiByte: true });
    }
  });
  it('property: decoding does not depend on where the input is cut into chunks', async () => {
    const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80));
    await fc.assert(
      fc.asyncProperty(fc.array(byte, { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), async (bytes, size) => {
        const buf = Buffer.from(bytes);
        const whole = await decodeAll(buf, 4096);
        const cut = await decodeAll(buf, size);
        expect(cut.text).toBe(whole.text);
        expect(cut.info).toEqual(whole.info);
        // Every valid UTF-8 input passes unchanged.
        if (isUtf8(buf)) expect(whole.text).toBe(buf.toString('utf8'));
      }),
      { numRuns: 400, seed: 13 },
    );
  });
  it('sniffEncoding sees BOMs', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61])).encoding).toBe('utf-8');
    expect(sniffEncoding(Buffer.from('plain'))).toMatchObject({ encoding: 'utf-8', detectedBy: 'valid-utf8' });
  });
  it('decodeSingleByte: latin1 and cp1252 differ only in 0x80–0x9F', () => {
    expect(decodeSingleByte(Buffer.from([0x80, 0xe9]), true)).toBe('€é');
    expect(decodeSingleByte(Buffer.from([0x80, 0xe9]), false)).toBe('\u0080é');
  });
});

describe('splitLines', () => {
  it('numbers LF, CRLF (even split across chunks) and CR lines', async () => {
    const text = 'a\r\nb\nc\rd\r\n\r\ne';
    for (const size of [1, 2, 3, 100]) {
      const lines = await collect(splitLines(chunked(Buffer.from(text), size), 'lines.txt'));
      expect(lines).toEqual([
        { line: 1, text: 'a' },
        { line: 2, text: 'b' },
        { line: 3, text: 'c' },
        { line: 4, text: 'd' },
        { line: 5, text: '' },
        { line: 6, text: 'e' },
      ]);
    }
  });
});

describe('resolveRow: reply text first, platform type second, blocked never invalid', () => {
  const h = (kind: PlatformHint['kind'], reason = `x-${kind}`): PlatformHint => ({ kind, reason });
  const cases: [string, string, string, PlatformHint | null, string | null][] = [
    ['text decides over a hard hint', '', '550 5.1.1 The email account that you tried to reach does not exist. - gsmtp', h('hard'), 'invalid-address'],
    ['text decides over a soft hint', '', '550 5.1.1 user unknown', h('soft'), 'invalid-address'],
    ['blocked hint caps invalid-looking text at blocked', '', '550 5.1.1 user unknown', h('blocked'), 'blocked'],
    ['no text: invalid-address hint decides', '', '', h('invalid-address'), 'invalid-address'],
    ['no text: hard hint is unclassified, not invalid', '', '', h('hard'), 'unclassified'],
    ['no text: bounced hint is unclassified', '', '', h('bounced'), 'unclassified'],
    ['no text: soft hint', '', '', h('soft'), 'soft'],
    ['no text: blocked hint', '', '', h('blocked'), 'blocked'],
    ['delivered hint', '', '', h('delivered'), null],
    ['generic 5.0.0 only: hint decides', '5.0.0', '', h('invalid-address'), 'invalid-address'],
    ['a 2xx reply under a bounce type: the type decides', '', '250 OK', h('soft'), 'soft'],
  ];
  it.each(cases)('%s', (_name, status, diagnostic, hint, bucket) => {
    const r = resolveRow({ status, diagnostic, hint }, 'someone@example.com');
    expect(r.bucket).toBe(bucket);
    if (hint && bucket !== null && r.ruleId.startsWith('hint')) expect(r.reason).toBe(hint.reason);
  });
  it('property: a blocked hint never yields invalid-address, whatever the text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (status, diagnostic) => {
        expect(resolveRow({ status, diagnostic, hint: h('blocked') }, 'a@b.com').bucket).not.toBe('invalid-address');
      }),
      { numRuns: 300 },
    );
  });
});

describe('header detection', () => {
  const top = (header: string[], sample: string[][] = []) => rankCsvAdapters(header, sample).map((r) => r.adapter.id);
  it.each([
    [['address', 'code', 'error', 'created_at'], 'mailgun'],
    [['email', 'created', 'reason', 'status'], 'sendgrid'],
    [['ID', 'Type', 'TypeCode', 'Description', 'Details', 'Email', 'BouncedAt', 'Tag'], 'postmark'],
    [['bouncedRecipients.emailAddress', 'bounceType', 'bounceSubType', 'status', 'diagnosticCode', 'timestamp'], 'ses'],
    [['Email Address', 'First Name', 'CLEAN_TIME', 'CLEAN_CAMPAIGN_TITLE', 'CLEAN_CAMPAIGN_ID'], 'mailchimp'],
    [['Email', 'Portal Bounce', 'Portal Unsubscribe', 'Global Bounce'], 'hubspot'],
    [['email', 'event', 'reason', 'date', 'campaignId'], 'brevo'],
  ])('%j → %s', (header, id) => {
    expect(top(header)[0]).toBe(id);
  });
  it('email + status is a lead export only when the status values are lead words', () => {
    expect(top(['email', 'status'], [['a@b.com', 'Bounced'], ['c@d.com', 'Active']])[0]).toBe('sequencer');
    expect(top(['email', 'status'], [['a@b.com', '550 5.1.1'], ['c@d.com', '250']])[0]).toBe('generic');
    expect(top(['email', 'status', 'diagnostic'], [['a@b.com', 'bounced', '550 5.1.1 no such user']])[0]).toBe('generic');
  });
});

describe('SES notifications', () => {
  it('one row per bounced recipient; delivery rows; other types skipped', () => {
    const bounce = { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', bouncedRecipients: [{ emailAddress: 'a@x.com' }, { emailAddress: 'b@x.com', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }], timestamp: 't' }, mail: { tags: { campaign: ['c1'] } } };
    const rows = sesRows(bounce, 7) as Exclude<ReadItem, { skip: unknown }>[];
    expect(rows.map((r) => [r.line, r.email, r.campaign, r.hint?.kind, r.status])).toEqual([
      [7, 'a@x.com', 'c1', 'invalid-address', ''],
      [7, 'b@x.com', 'c1', 'invalid-address', ''],
    ]);
    expect(sesRows({ Type: 'Notification', TopicArn: 'arn', Message: JSON.stringify({ notificationType: 'Delivery', delivery: { recipients: ['d@x.com'] } }) }, 1)).toEqual([
      expect.objectContaining({ email: 'd@x.com', hint: { kind: 'delivered', reason: 'ses-delivery' } }),
    ]);
    expect(sesRows({ eventType: 'Open' }, 2)).toEqual([{ line: 2, skip: 'not-a-bounce', raw: null }]);
    expect(sesRows([1, 2], 3)).toEqual([{ line: 3, skip: 'invalid-json', raw: null }]);
  });
});

describe('mail log reader', () => {
  const log = (lines: string[]) => collect(readMailLog(chunked(Buffer.from(lines.join('\n')), 64)));
  const P = (qid: string, rest: string) => `Oct 14 09:00:01 mx1 postfix/smtp[1]: ${qid}: ${rest}`;
  it('a deferral followed by a final status counts once, as the final status', async () => {
    const rows = (await log([
      P('AAA1', 'to=<a@x.com>, relay=r, delay=1, dsn=4.2.0, status=deferred (host said: 451 4.2.0 try later)'),
      P('AAA1', 'to=<a@x.com>, relay=r, delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)'),
    ])) as Exclude<ReadItem, { skip: unknown }>[];
    expect(rows.map((r) => [r.line, r.email, r.status])).toEqual([[2, 'a@x.com', '5.1.1']]);
  });
  it('a deferral never resolved counts once as a soft bounce, at the end or when the message is removed', async () => {
    const rows = (await log([
      P('BBB1', 'to=<b@x.com>, dsn=4.4.1, status=deferred (connect timed out)'),
      P('BBB1', 'to=<b@x.com>, dsn=4.4.1, status=deferred (connect timed out)'),
      'Oct 14 09:00:01 mx1 postfix/qmgr[1]: BBB1: removed',
      P('CCC1', 'to=<c@x.com>, dsn=4.4.1, status=deferred (connect timed out)'),
    ])) as Exclude<ReadItem, { skip: unknown }>[];
    expect(rows.map((r) => [r.line, r.email, r.hint?.kind])).toEqual([
      [2, 'b@x.com', 'soft'],
      [4, 'c@x.com', 'soft'],
    ]);
  });
});

describe('mergeEntry', () => {
  const e = (over: Partial<MergedEntry>): MergedEntry => ({
    email: 'a@x.com', reason: 'user-unknown', enhancedCode: '5.1.1', basicCode: '550', receiver: null, campaigns: [],
    firstBouncedAt: '2026-10-01T00:00:00.000Z', lastBouncedAt: '2026-10-01T00:00:00.000Z', bounceCount: 0, diagnostic: 'd', incident: null, campaignCounts: new Map([['a', 1]]), ...over,
  });
  it('takes the max per campaign, so merging the same run twice is a no-op', () => {
    const once = mergeEntry(e({ campaignCounts: new Map([['a', 2]]) }), e({ campaignCounts: new Map([['a', 2], ['b', 1]]) }));
    expect(once.campaignCounts).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(once.bounceCount).toBe(3);
    expect(mergeEntry(once, e({ campaignCounts: new Map([['a', 2], ['b', 1]]) }))).toEqual(once);
  });
  it('property: idempotent and keeps the earliest first date', () => {
    const dates = fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }).map((n) => new Date(n).toISOString());
    const entry = fc.record({ first: dates, counts: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 5 })) });
    fc.assert(
      fc.property(entry, entry, (x, y) => {
        const a = e({ firstBouncedAt: x.first, lastBouncedAt: x.first, campaignCounts: new Map(Object.entries(x.counts)) });
        const b = e({ firstBouncedAt: y.first, lastBouncedAt: y.first, campaignCounts: new Map(Object.entries(y.counts)), reason: 'other' });
        const m = mergeEntry(a, b);
        expect(mergeEntry(m, b)).toEqual(m);
        expect(m.firstBouncedAt).toBe(x.first <= y.first ? x.first : y.first);
      }),
    );
  });
});

describe('GitHub output', () => {
  const report = (statuses: string[], suppressed = 0): Report =>
    ({
      result: {
        campaigns: statuses.map((status, i) => ({ campaign: `c${i}`, status, gateMetric: 'invalid-address', invalidAddressRate: 0.1, bounceRate: 0.2, invalidAddress: 10, bounced: 20, sent: 100 })),
        totals: { invalidAddressRate: 0.0512, bounceRate: 0.1, sent: 1000 },
        warnings: [],
      } as unknown as AuditResult,
      outputs: { suppressionPath: null, suppressionAddresses: suppressed, profile: 'generic', merge: null, clean: null, rowsOut: null },
      version: '0',
      thresholds: { warnAbove: 0.02, failAbove: 0.05, minSent: 100 },
      failOn: ['fail'],
      exitCode: 1,
    });
  it(`at most ${MAX_ANNOTATIONS} annotations of a kind: the last one summarises the rest`, () => {
    const lines = githubAnnotations(report([...Array(12).fill('fail'), 'warn', 'ok']));
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(MAX_ANNOTATIONS);
    expect(errors[9]).toMatch(/3 more errors: c9, c10, c11/);
    expect(lines.filter((l) => l.startsWith('::warning'))).toHaveLength(1);
  });
  it('exactly ten failing campaigns get ten annotations and no summary', () => {
    expect(githubAnnotations(report(Array(10).fill('fail'))).every((l) => !/more errors/.test(l))).toBe(true);
  });
  it('outputs: rate in percent, worst status, suppressed count', () => {
    expect(githubOutputs(report(['ok', 'warn'], 7))).toBe('invalid_address_rate=5.12\nbounce_rate=10.00\nstatus=warn\nsuppressed=7\n');
    expect(githubOutputs(report(['low-volume']))).toBe('invalid_address_rate=5.12\nbounce_rate=10.00\nstatus=low-volume\nsuppressed=0\n');
  });
  it('status: a campaign that could not be judged is worse than an ok one', () => {
    expect(githubOutputs(report(['ok', 'unknown']))).toContain('status=unknown\n');
    expect(githubOutputs(report(['unknown', 'fail']))).toContain('status=fail\n');
  });
});

describe('BreakdownCounter', () => {
  it(`tracks at most ${MAX_TRACKED} keys and pools the rest`, () => {
    const b = new BreakdownCounter('domain');
    const cls = { outcome: 'bounced', bucket: 'invalid-address', reason: 'user-unknown', ruleId: 'x', receiver: null } as const;
    for (let i = 0; i < MAX_TRACKED + 50; i++) b.add(`d${i}.com`, cls, 'c');
    const s = b.summary({ warnAbove: 0.02, failAbove: 0.05, minSent: 1 }, { complete: new Set(['c']), statusOnly: new Set(), allComplete: true });
    expect(s.pooled).toBe(true);
    expect(s.distinct).toBe(MAX_TRACKED + 1);
    const rest = s.groups.at(-1)!;
    expect(rest.key).toMatch(/^\(rest: \d+\)$/);
    expect(s.groups.reduce((n, g) => n + g.rows, 0)).toBe(MAX_TRACKED + 50);
    expect(OTHER_KEY).toBe('(other)');
  });
});
