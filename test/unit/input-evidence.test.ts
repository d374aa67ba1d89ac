/**
 * Unit tables for the input stage's evidence: the day/month order of a date column, messages from
 * event streams in any order, JSON records streamed across any chunk boundary, Excel's blank rows,
 * Exim's delivery-line forms, the permanent-failure context of a platform, and did-you-mean.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { inferDateOrder, normaliseDate, isUnreadNumericDate } from '../../src/input/date-order.js';
import { parseLogDate, parseNumericDate } from '../../src/suppression/dates.js';
import { MessageEvents, type MessageEvent, type EventOutcome } from '../../src/input/message-events.js';
import { jsonDocument, jsonLines, looksLikeJsonLines, type JsonRecord } from '../../src/input/json-records.js';
import { openCsv } from '../../src/input/csv-reader.js';
import { readMailLog } from '../../src/input/mail-log.js';
import { resolveRow } from '../../src/classify/platform-hint.js';
import { didYouMean, parseFailOn } from '../../src/cli/options.js';
import { applyGate, exitCodeFor, isFailing } from '../../src/count/verdict.js';
import { brevoEventKind, hubspotCategoryHint, sendgridBounceHint } from '../../src/input/platform-types.js';
import { jsonShapeOf } from '../../src/input/json-events.js';
import { sesRows } from '../../src/input/ses-notifications.js';
import { isSkip, type ReadItem, type SourceRow } from '../../src/input/row.js';
import type { CampaignSummary } from '../../src/count/campaigns.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
async function* chunked(text: string, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

describe('the day/month order of a date column', () => {
  it.each([
    [['02.09.2025', '03.09.2025'], 'day-first', 'dotted'],
    [['02/09/2025', '13/09/2025'], 'day-first', 'values'],
    [['09/02/2025', '09/13/2025 10:00 AM'], 'month-first', 'values'],
    [['02/09/2025', '03/09/2025'], null, 'ambiguous'],
    [['13/09/2025', '09/13/2025'], null, 'conflict'],
    [['02.09.2025', '09/13/2025'], null, 'conflict'],
    [['2025-09-02', 'Tue, 06 Oct 2026 09:14:02 UTC', '1791277200', ''], null, 'none'],
  ] as const)('%j → %s (%s)', (values, order, decidedBy) => {
    expect(inferDateOrder(values)).toEqual({ order, decidedBy });
  });

  it('reads a numeric date only in a given order, as UTC, and only days the month has', () => {
    expect(parseNumericDate('02.09.2025 14:30', 'day-first')).toBe(Date.UTC(2025, 8, 2, 14, 30));
    expect(parseNumericDate('02/09/2025', 'month-first')).toBe(Date.UTC(2025, 1, 9));
    expect(parseNumericDate('9/13/25 2:05:09 PM', 'month-first')).toBe(Date.UTC(2025, 8, 13, 14, 5, 9));
    expect(parseNumericDate('31/09/2025', 'day-first')).toBeNaN();
    expect(parseNumericDate('13/09/2025', 'month-first')).toBeNaN();
    // Without an order it is not read at all: Date.parse would read it month-first in local time.
    expect(parseLogDate('02/09/2025')).toBeNaN();
    expect(parseLogDate('02/09/2025', 'day-first')).toBe(Date.UTC(2025, 8, 2));
    expect(parseLogDate('2025-09-02 10:00:00')).toBe(Date.UTC(2025, 8, 2, 10));
  });

  it('normalises a numeric date to ISO when the order reads it, and leaves everything else as written', () => {
    expect(normaliseDate('02.09.2025', 'day-first')).toBe('2025-09-02T00:00:00.000Z');
    expect(normaliseDate('09/13/2025', 'day-first')).toBe('09/13/2025');
    expect(normaliseDate('02/09/2025', null)).toBe('02/09/2025');
    expect(normaliseDate('2025-09-02T10:00:00Z', 'day-first')).toBe('2025-09-02T10:00:00Z');
    expect(isUnreadNumericDate('02/09/2025')).toBe(true);
    expect(isUnreadNumericDate('2025-09-02')).toBe(false);
  });
});

describe('messages from a stream of events', () => {
  const row = (line: number, email = 'a@example.com'): SourceRow => ({ line, email, status: '', diagnostic: '', campaign: '', date: '', command: '', hint: null, source: '', raw: null });
  const ev = (outcome: EventOutcome, key: string, line: number): MessageEvent => ({ outcome, key, row: { ...row(line), hint: outcome === 'bounced' ? { kind: 'hard', reason: 'x' } : { kind: 'delivered', reason: 'x' } } });
  const run = (events: readonly MessageEvent[]): ReadItem[] => {
    const m = new MessageEvents();
    return [...events.flatMap((e) => m.add(e)), ...m.finish()];
  };
  /** message key → what it counted as ('skip' reasons aside). */
  const counted = (items: ReadItem[]): string[] =>
    items
      .filter((i): i is SourceRow => !isSkip(i))
      .map((i) => `${i.line}:${i.hint?.reason}`)
      .sort();

  it('one row per message from its outcome; every event accounted for exactly once', () => {
    const events = [ev('sent', 'm1', 1), ev('deferred', 'm1', 2), ev('delivered', 'm1', 3), ev('other', 'm1', 4), ev('sent', 'm2', 5), ev('bounced', 'm2', 6), ev('sent', 'm3', 7), ev('not-sent', 'm3', 8), ev('sent', 'm4', 9), ev('sent', 'm5', 10), ev('deferred', 'm5', 11)];
    const items = run(events);
    expect(items.map((i) => i.line).sort((a, b) => a - b)).toEqual(events.map((e) => e.row.line));
    expect(counted(items)).toEqual(['11:deferred-unresolved', '3:x', '6:x', '9:sent-no-outcome']);
    expect(items.filter((i) => isSkip(i) && i.skip === 'same-message')).toHaveLength(5);
  });

  it('counts the same messages whatever the order of the events (exports list the newest first)', () => {
    const events = [ev('sent', 'm1', 1), ev('deferred', 'm1', 2), ev('delivered', 'm1', 3), ev('sent', 'm2', 4), ev('bounced', 'm2', 5), ev('sent', 'm3', 6), ev('deferred', 'm3', 7), ev('sent', 'm4', 8), ev('not-sent', 'm4', 9), ev('other', 'm2', 10)];
    const outcomeOf = (items: ReadItem[]): Record<string, string> => {
      const byLine = new Map(events.map((e) => [e.row.line, e.key]));
      return Object.fromEntries(items.filter((i): i is SourceRow => !isSkip(i)).map((i) => [byLine.get(i.line)!, i.hint!.kind]));
    };
    const expected = outcomeOf(run(events));
    expect(expected).toEqual({ m1: 'delivered', m2: 'hard', m3: 'soft' });
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), (shuffled) => {
        const items = run(shuffled);
        expect(items).toHaveLength(events.length);
        expect(outcomeOf(items)).toEqual(expected);
      }),
    );
  });
});

describe('JSON records, streamed', () => {
  const values = (records: JsonRecord[]): unknown[] => records.map((r) => ('value' in r ? r.value : r.error));
  const doc = (text: string, size: number): Promise<JsonRecord[]> => collect(jsonDocument(chunked(text, size), 'f.json'));

  it('reads an array, objects one after another, and an API page, with each record\'s line, across any chunk boundary', async () => {
    const array = '[\n  {"a": 1, "s": "x]}{\\"y"},\n  {"a": 2}\n]\n';
    const several = '{\n  "a": 1\n}\n{\n  "a": 2\n}\n';
    const page = '{"paging": {"next": "u"},\n "items": [\n  {"a": 1},\n  {"a": 2, "b": [1, {"c": 3}]}\n ], "total": 2}\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect((await doc(array, size)).map((r) => [r.line, 'value' in r ? r.value.a : null])).toEqual([[2, 1], [3, 2]]);
      expect((await doc(several, size)).map((r) => r.line)).toEqual([1, 4]);
      expect(values(await doc(page, size))).toEqual([{ a: 1 }, { a: 2, b: [1, { c: 3 }] }]);
    }
  });

  it('reports a record that does not parse or is not an object, and a record cut short at the end', async () => {
    expect(values(await doc('[{"a": 1}, 7, "x", {"a": tru}, {"a": 3}]', 4))).toEqual([{ a: 1 }, 'invalid-json', 'invalid-json', 'invalid-json', { a: 3 }]);
    expect(values(await doc('[{"a": 1}, {"a": ', 3))).toEqual([{ a: 1 }, 'invalid-json']);
  });

  it('refuses text that is not JSON with its line and column', async () => {
    await expect(doc('email,status\n', 5)).rejects.toThrow(/not a JSON array or object/);
    await expect(doc('{"a":1}\nemail,status\n', 5)).rejects.toMatchObject({ location: { line: 2, column: 1 } });
  });

  it('JSON Lines: a broken line is reported alone and the next line is read', async () => {
    const text = '{"a":1}\n{"a":\n{"a":3}\n';
    expect(looksLikeJsonLines(text)).toBe(true);
    expect(looksLikeJsonLines('{\n  "a": 1\n}\n')).toBe(false);
    const r = await collect(jsonLines(chunked(text, 2), 'f.jsonl'));
    expect(r.map((x) => [x.line, 'value' in x ? x.value.a : x.error])).toEqual([[1, 1], [2, 'invalid-json'], [3, 3]]);
  });
});

describe("Excel's empty rows", () => {
  it('a row of delimiters only is a blank line; a row with an empty email among values is a row', async () => {
    const csv = await openCsv(chunked('email;status;name\r\na@example.com;550;Ann\r\n;;\r\n;550;Bo\r\n;;\r\n', 5), 'f.csv');
    const rows = await collect(csv.rows);
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [2, ['a@example.com', '550', 'Ann']],
      [4, ['', '550', 'Bo']],
    ]);
  });
});

describe("Exim's delivery lines", () => {
  const log = (lines: string[]): Promise<ReadItem[]> => collect(readMailLog(chunked(`${lines.join('\n')}\n`, 13)));
  const p = '2026-10-16 08:00:02 1t1XyZ-000Qa1-4B';
  it.each([
    [`${p} ** lena@gmial.con: Unrouteable address`, 'lena@gmial.con', 'Unrouteable address'],
    [`${p} ** <j@yaho.com>: Unrouteable address`, 'j@yaho.com', 'Unrouteable address'],
    [`${p} ** alias@fwd.example <sales@acme.example>: Unrouteable address`, 'sales@acme.example', 'Unrouteable address'],
    [`${p} ** g@gmx.net R=dnslookup T=remote_smtp H=mx [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<g@gmx.net>: 550 unavailable`, 'g@gmx.net', 'R=dnslookup T=remote_smtp H=mx [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<g@gmx.net>: 550 unavailable'],
    [`${p} => /var/mail/bob <bob@sender.example> R=localuser T=local_delivery`, 'bob@sender.example', '250 delivered'],
    [`${p} -> a@web.de R=dnslookup T=remote_smtp C="250 OK"`, 'a@web.de', '250 OK'],
  ])('%s → %s', async (line, email, diagnostic) => {
    const [row] = (await log([line])) as SourceRow[];
    expect(row).toMatchObject({ email, diagnostic });
  });

  it("Postfix's orig_to is the address counted when an alias rewrote to=", async () => {
    const [row] = (await log(['Oct  3 10:00:01 mx postfix/smtp[123]: 4Bc1: to=<box@internal.example>, orig_to=<sales@acme.example>, relay=none, delay=1, dsn=5.1.1, status=bounced (user unknown)'])) as SourceRow[];
    expect(row).toMatchObject({ email: 'sales@acme.example', status: '5.1.1' });
  });
});

describe('a platform that records the failure as permanent', () => {
  const text = 'Host or domain name not found. Name service error for name=gmial.con type=A: Host not found';
  it.each([
    [{ kind: 'hard', reason: 'mailgun-bounce' }, 'invalid-address', 'host-unknown'],
    // "Host not found" without "try again" is a resolver's final answer whatever the code, and a
    // platform type that says blocked still caps it (never an invalid address).
    [null, 'invalid-address', 'host-unknown'],
    [{ kind: 'blocked', reason: 'x-blocked' }, 'blocked', 'x-blocked'],
  ] as const)('Mailgun 498 "Host not found" with hint %j → %s', (hint, bucket, reason) => {
    const r = resolveRow({ status: '498', diagnostic: text, hint }, 'lena@gmial.con');
    expect([r.bucket, r.reason]).toEqual([bucket, reason]);
  });

  it('a 4xx with no other text in a permanent context is an unclassified bounce, not a soft one', () => {
    expect(resolveRow({ status: '451', diagnostic: '', hint: { kind: 'hard', reason: 'mailgun-bounce' } }, 'a@example.com')).toMatchObject({ bucket: 'unclassified', reason: 'mailgun-bounce' });
  });

  it('a reply whose text says it is temporary stays soft', () => {
    const r = resolveRow({ status: '498', diagnostic: 'Host not found, try again', hint: { kind: 'hard', reason: 'mailgun-bounce' } }, 'a@example.com');
    expect(r.bucket).toBe('soft');
  });
});

describe("the platforms' own words", () => {
  it.each([
    ['UNKNOWN_USER', 'invalid-address'],
    ['Unknown user', 'invalid-address'],
    ['DNS_FAILURE', 'soft'],
    ['MAILBOX_FULL', 'soft'],
    ['THROTTLED', 'soft'],
    ['SPAM', 'blocked'],
    ['SENDING_DOMAIN_MISCONFIGURATION', 'blocked'],
    ['MAILBOX_MISCONFIGURATION', 'hard'],
    ['UNCATEGORIZED', 'bounced'],
  ])('HubSpot %s → %s', (word, kind) => {
    expect(hubspotCategoryHint(word)?.kind).toBe(kind);
  });
  it.each([
    ['hard_bounce', 'hard'],
    ['Hard bounced', 'hard'],
    ['Message delivered', 'delivered'],
    ['Email opened', 'other'],
    ['Requests', 'sent'],
    ['Invalid email', 'invalid-address'],
    ['Error', 'not-sent'],
    ['something else', 'other'],
  ])('Brevo event %j → %s', (word, kind) => {
    expect(brevoEventKind(word)).toBe(kind);
  });
  it('a HubSpot reply text is not a category word', () => {
    expect(hubspotCategoryHint('550 5.1.1 user unknown')).toBeNull();
  });
  it.each([
    ['bounce', 'Invalid Address', 'invalid-address'],
    ['blocked', '', 'blocked'],
    ['bounce', 'Reputation', 'blocked'],
    ['bounce', 'Technical', 'soft'],
    ['bounce', '', 'hard'],
  ])('SendGrid type %s, classification %j → %s', (type, cls, kind) => {
    expect(sendgridBounceHint(type, cls).kind).toBe(kind);
  });
});

describe('the verdicts that exit 1', () => {
  it('--fail-on takes a list; fail always exits 1', () => {
    expect(parseFailOn(undefined)).toEqual(['fail']);
    expect(parseFailOn('unknown')).toEqual(['fail', 'unknown']);
    expect(parseFailOn('unknown,warn')).toEqual(['fail', 'warn', 'unknown']);
    expect(isFailing('unknown', ['fail'])).toBe(false);
    expect(isFailing('unknown', ['fail', 'unknown'])).toBe(true);
    expect(isFailing('warn', ['fail', 'unknown'])).toBe(false);
    expect(isFailing('low-volume', ['fail', 'warn', 'unknown'])).toBe(false);
    expect(exitCodeFor(['ok', 'unknown'], ['fail', 'unknown'])).toBe(1);
  });

  it('the totals never take a denominator of their own', () => {
    const t = { warnAbove: 0.02, failAbove: 0.05, minSent: 1 };
    const c = (campaign: string | null, rows: number, bounced: number, sent: number | null): CampaignSummary => ({
      campaign, rows, sent, sentSource: sent === null ? 'unknown' : 'rows', delivered: rows - bounced, bounced, invalidAddress: 0,
      softBounce: 0, blocked: 0, unclassified: bounced, invalidAddressRate: null, byReason: {}, status: 'unknown',
    });
    const leads = c('leads', 20, 3, null);
    const bounces = c('bounces', 7, 7, null);
    const totals = c(null, 27, 10, null);
    const g = applyGate([leads, bounces], totals, new Set(['leads']), t);
    expect(g.campaigns.map((x) => x.sent)).toEqual([20, null]);
    expect(g.totals).toMatchObject({ sent: null, bounceRate: null, invalidAddressRate: null, status: 'unknown' });
  });
});

describe('did you mean', () => {
  it.each([
    ['hubspto', ['generic', 'hubspot', 'klaviyo'], '; did you mean "hubspot"?'],
    ['unknwon', ['fail', 'warn', 'unknown'], '; did you mean "unknown"?'],
    ['sof', ['invalid-address', 'soft'], '; did you mean "soft"?'],
    ['zzz', ['fail', 'warn', 'unknown'], ''],
    ['', ['fail'], ''],
  ])('%s among %j → %j', (typed, allowed, suggestion) => {
    expect(didYouMean(typed, allowed)).toBe(suggestion);
  });
});

describe('whose events a JSON record is', () => {
  const bounce = { notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'x@example.com', status: '5.1.1' }] }, mail: { messageId: 'm' } };
  it.each([
    [bounce, 'ses-jsonl'],
    [{ Type: 'Notification', TopicArn: 'arn:aws:sns:x', Message: JSON.stringify(bounce) }, 'ses-jsonl'],
    [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(bounce) } }, 'ses-jsonl'],
    [{ signature: {}, 'event-data': { event: 'failed', recipient: 'x@example.com' } }, 'mailgun-events'],
    [{ event: 'delivered', recipient: 'x@example.com', 'delivery-status': { code: 250 } }, 'mailgun-events'],
    [{ email: 'x@example.com', event: 'processed', sg_message_id: 'a.filter1' }, 'sendgrid-events'],
    [{ RecordType: 'Delivery', Recipient: 'x@example.com' }, 'postmark-webhooks'],
    [{ Type: 'HardBounce', TypeCode: 1, Email: 'x@example.com' }, 'postmark-webhooks'],
    [{ contact: 'x@example.com', opened: true }, null],
  ])('%j → %s', (record, shape) => {
    expect(jsonShapeOf(record)).toBe(shape);
  });
  it('an SNS record handed to Lambda (Records[].Sns) reads as the notification inside it', () => {
    const rows = sesRows({ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(bounce) } }, 3);
    expect(rows).toEqual([expect.objectContaining({ line: 3, email: 'x@example.com', status: '5.1.1' })]);
  });
});
