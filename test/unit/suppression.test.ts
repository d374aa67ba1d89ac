import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import { SuppressionList, suppressionRecord, type BounceEvidence } from '../../src/suppression/list.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import { isoOf, parseLogDate } from '../../src/suppression/dates.js';
import { csvRecord } from '../../src/output/csv-record.js';
import { profileHeader, profileLine } from '../../src/suppression/profiles.js';

describe('normaliseEmail', () => {
  it.each([
    ['User@Example.COM', 'user@example.com'],
    ['  a@b.co  ', 'a@b.co'],
    ['mailto:A@B.CO', 'a@b.co'],
    ['<a@b.co>', 'a@b.co'],
    ['"Ann Lee" <Ann.Lee@Example.org>', 'ann.lee@example.org'],
    ['a@b.co.', 'a@b.co'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
  ])('%j → %s', (raw, want) => {
    expect(normaliseEmail(raw)).toBe(want);
  });

  it.each(['', '   ', 'not an address', 'a@b', '@b.co', 'a@@b.co', 'a b@c.co', 'a@b..'])('rejects %j', (raw) => {
    expect(normaliseEmail(raw)).toBeNull();
  });
});

describe('parseLogDate', () => {
  it.each([
    ['2026-09-02T09:00:00Z', Date.UTC(2026, 8, 2, 9)],
    ['2026-09-02 09:00:00', Date.UTC(2026, 8, 2, 9)],
    ['2026-09-02', Date.UTC(2026, 8, 2)],
    ['1788339600', 1788339600_000],
    ['1788339600123', 1788339600123],
    ['Wed, 02 Sep 2026 09:00:00 +0000', Date.UTC(2026, 8, 2, 9)],
  ])('%s', (raw, ms) => {
    expect(parseLogDate(raw)).toBe(ms);
  });

  it('is NaN for text it does not know', () => {
    expect(parseLogDate('yesterday')).toBeNaN();
    expect(parseLogDate('')).toBeNaN();
  });
});

describe('isoOf', () => {
  it('writes what Date#toISOString writes, for any time in years 0-9999 and beyond', () => {
    const check = (ms: number): boolean => isoOf(ms) === new Date(ms).toISOString();
    // Edges: the range ends, the epoch, leap days, a century that is not a leap year.
    for (const t of ['0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '2000-02-29T12:00:00.000Z', '2100-03-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z']) expect(isoOf(Date.parse(t))).toBe(t);
    fc.assert(fc.property(fc.integer({ min: -62167219200000 - 1e12, max: 253402300799999 + 1e12 }), (ms) => check(ms)), { numRuns: 5000 });
    // Runs of times on one day, the way a log lists them, then a jump back (the day cache).
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { minLength: 1, maxLength: 50 }), (offsets) => offsets.every((o) => check(Date.UTC(2026, 8, 1) + o))));
    expect(check(1.5)).toBe(true);
  });
});

describe('SuppressionList', () => {
  const ev = (over: Partial<BounceEvidence>): BounceEvidence => ({
    reason: 'user-unknown',
    enhancedCode: '5.1.1',
    basicCode: '550',
    receiver: null,
    campaign: 'A',
    date: '',
    diagnostic: '550 5.1.1 user unknown',
    ...over,
  });

  it('keeps one entry per address with the count, campaigns and first/last dates', () => {
    const s = new SuppressionList();
    s.add('b@x.co', ev({ date: '2026-01-05', campaign: 'B' }));
    s.add('b@x.co', ev({ date: '2026-01-02', campaign: 'A', reason: 'host-unknown', enhancedCode: '5.1.2' }));
    s.add('a@x.co', ev({}));
    s.add('b@x.co', ev({ date: '2026-01-09', campaign: 'B' }));
    const entries = s.entries();
    expect(entries.map((e) => e.email)).toEqual(['a@x.co', 'b@x.co']);
    expect(entries[1]).toMatchObject({
      bounceCount: 3,
      campaigns: ['A', 'B'],
      firstBouncedAt: '2026-01-02T00:00:00.000Z',
      lastBouncedAt: '2026-01-09T00:00:00.000Z',
      // The earliest bounce decides the reason shown.
      reason: 'host-unknown',
      enhancedCode: '5.1.2',
    });
    expect(entries[0]).toMatchObject({ firstBouncedAt: null, lastBouncedAt: null, bounceCount: 1 });
  });

  it('keeps an unparseable date as written', () => {
    const s = new SuppressionList();
    s.add('a@x.co', ev({ date: 'last Tuesday' }));
    expect(s.entries()[0]!.firstBouncedAt).toBe('last Tuesday');
  });

  it('squeezes the diagnostic to one line', () => {
    const s = new SuppressionList();
    s.add('a@x.co', ev({ diagnostic: '550-5.1.1 no\n550 5.1.1   such user' }));
    expect(s.entries()[0]!.diagnostic).toBe('550-5.1.1 no 550 5.1.1 such user');
  });
});

describe('mergeSlots (lists built on two threads)', () => {
  const evidence = fc.record({
    email: fc.constantFrom('a@x.io', 'b@x.io', 'c@y.io', 'd@y.io'),
    reason: fc.constantFrom('user-unknown', 'host-unknown'),
    enhancedCode: fc.constantFrom('5.1.1', null),
    basicCode: fc.constantFrom('550', null),
    receiver: fc.constantFrom('google', null),
    campaign: fc.constantFrom('Spring', 'Summer  sale', 'Q3'),
    date: fc.constantFrom('', 'sometime', '2026-09-01T10:00:00Z', '2026-09-01T10:00:00Z', '2026-09-02 08:00:00', '1725148800'),
    diagnostic: fc.constantFrom('550 5.1.1 user unknown', '550-5.1.1 The email account\n550 5.1.1 does not exist', 'x'.repeat(400)),
  });
  it('the first part merged with the second equals one list of all rows, entry for entry', () => {
    fc.assert(
      fc.property(fc.array(evidence, { maxLength: 40 }), fc.nat(), (rows, cut) => {
        const k = rows.length ? cut % (rows.length + 1) : 0;
        const whole = new SuppressionList();
        const first = new SuppressionList();
        const second = new SuppressionList();
        rows.forEach(({ email, ...ev }, i) => {
          whole.add(email, ev);
          (i < k ? first : second).add(email, ev);
        });
        first.mergeSlots(second.exportSlots());
        expect(first.entries()).toEqual(whole.entries());
      }),
      { numRuns: 2000, seed: 59 },
    );
  });
});

describe('deferSlots and csvChunks (the CSV written without merging a worker part first)', () => {
  const evidence = fc.record({
    email: fc.constantFrom('a@x.io', 'b@x.io', 'c@y.io', 'd@y.io', 'é@z.io', 'z@x.io'),
    reason: fc.constantFrom('user-unknown', 'host-unknown'),
    enhancedCode: fc.constantFrom('5.1.1', null),
    basicCode: fc.constantFrom('550', null),
    receiver: fc.constantFrom('google', null),
    campaign: fc.constantFrom('Spring', 'Summer, "sale"', 'Q3'),
    date: fc.constantFrom('', 'sometime', '2026-09-01T10:00:00Z', '2026-09-02 08:00:00', '1725148800'),
    diagnostic: fc.constantFrom('550 5.1.1 user unknown', '550-5.1.1 The email account\n550 5.1.1 does not exist', 'x'.repeat(400)),
  });
  const render = profileLine('generic');
  const header = profileHeader('generic');
  /** The chunks' text, each copied as it comes (its buffer is reused two chunks later). */
  const text = (chunks: Iterable<Uint8Array>): string => {
    const copies: Buffer[] = [];
    for (const c of chunks) copies.push(Buffer.from(c));
    return Buffer.concat(copies).toString('utf8');
  };

  it('writes what one list of all rows writes, counts the same addresses, and merges them later unchanged', () => {
    fc.assert(
      fc.property(
        fc.array(evidence, { maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        fc.constantFrom<'none' | 'google' | 'other'>('none', 'google', 'other'),
        (rows, c1, c2, renderSecond, incident) => {
          const cuts = [c1 % (rows.length + 1), c2 % (rows.length + 1)].sort((a, b) => a - b);
          const whole = new SuppressionList();
          const parts = [new SuppressionList(), new SuppressionList(), new SuppressionList()];
          rows.forEach(({ email, ...ev }, i) => {
            whole.add(email, ev);
            parts[i < cuts[0]! ? 0 : i < cuts[1]! ? 1 : 2]!.add(email, ev);
          });
          const [first, second, third] = parts as [SuppressionList, SuppressionList, SuppressionList];
          // A part exported without a renderer is merged at once (unsorted columns).
          first.deferSlots(second.exportSlots(renderSecond ? render : undefined));
          first.deferSlots(third.exportSlots(render));
          const incidents = incident === 'none' ? [] : [{ campaign: 'Spring', receiver: incident }];
          whole.markIncidents(incidents);
          first.markIncidents(incidents);
          expect(first.size).toBe(whole.size);
          expect(text(first.csvChunks(render, header))).toBe(header + whole.entries().map(render).join(''));
          // Writing changed nothing: merging now gives the one-list entries, not doubled counts.
          expect(first.entries()).toEqual(whole.entries());
          expect(first.size).toBe(whole.size);
        },
      ),
      { numRuns: 1500, seed: 61 },
    );
  });

  it('copies a deferred part line by line across output chunks of any size', () => {
    const list = new SuppressionList();
    const other = new SuppressionList();
    for (let i = 0; i < 12_000; i++) (i % 3 ? other : list).add(`u${String(i).padStart(5, '0')}@x.io`, { reason: 'user-unknown', enhancedCode: '5.1.1', basicCode: '550', receiver: null, campaign: `C${i % 7}`, date: '', diagnostic: `550 5.1.1 no ${'y'.repeat(i % 300)}` });
    const whole = header + [...list.entries(), ...other.entries()].sort((a, b) => (a.email < b.email ? -1 : 1)).map(render).join('');
    list.deferSlots(other.exportSlots(render));
    let chunks = 0;
    const counted = function* (all: Iterable<Uint8Array>): Generator<Uint8Array> {
      for (const c of all) {
        chunks++;
        yield c;
      }
    };
    expect(text(counted(list.csvChunks(render, header)))).toBe(whole);
    expect(chunks).toBeGreaterThan(2); // enough for buffers to be reused
  });
});

describe('the suppression CSV fast paths', () => {
  it('write the default profile line exactly as the generic record through csvRecord', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', ';', 'é'), maxLength: 8 });
    const entry = fc.record({
      email: fc.constantFrom('a@x.io', 'b,"c"@x.io'),
      reason: fc.constantFrom('user-unknown', 'host-unknown'),
      enhancedCode: fc.option(text, { nil: null }),
      basicCode: fc.option(text, { nil: null }),
      receiver: fc.option(text, { nil: null }),
      campaigns: fc.array(text, { maxLength: 3 }),
      firstBouncedAt: fc.option(text, { nil: null }),
      lastBouncedAt: fc.option(text, { nil: null }),
      bounceCount: fc.nat(),
      diagnostic: text,
      incident: fc.option(text, { nil: null }),
    });
    const line = profileLine('generic');
    fc.assert(
      fc.property(entry, (e) => {
        expect(line(e)).toBe(csvRecord(suppressionRecord(e)));
        expect(line(e)).toBe(csvRecord(suppressionRecord(e))); // again: the kept quoted reply
      }),
      { numRuns: 3000, seed: 74 },
    );
  });
});
