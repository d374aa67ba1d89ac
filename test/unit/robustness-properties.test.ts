/**
 * Properties over generated input (fast-check, fixed seeds so a failure reproduces):
 * the classifier never throws and is deterministic, and any suppression CSV the tool writes
 * reads back to exactly the set of addresses that bounced as invalid.
 * (parseStatus's own never-throw/determinism properties live in parse-status.test.ts.)
 */
import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as referenceParse } from 'csv-parse/sync';
import { classify } from '../../src/classify/engine.js';
import { classifyRow, clearClassifyCache } from '../../src/classify/cache.js';
import { parseStatus } from '../../src/classify/parse-status.js';
import { stableReply } from '../../src/classify/stable-reply.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import { main } from '../../src/cli/main.js';
import { fakeIo } from '../helpers/fake-io.js';
import { csvRecord, fromTextCell, textCell } from '../../src/output/csv-record.js';

const replyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  // Code-like noise, where the parser's and classifier's guards are busiest.
  fc.array(fc.constantFrom('550', '5.1.1', '4.2.2', '5.7.1', '250', ' ', '-', 'user unknown', 'mailbox full', 'spamhaus', 'gsmtp', '\n', '#', '(', ')', '[', ']', '1.2.3.4', ':25'), { maxLength: 25 }).map((a) => a.join('')),
);

describe('property: the classifier', () => {
  it('never throws on any status, reply text or address, and always returns a known shape', () => {
    fc.assert(
      fc.property(replyText, replyText, fc.string({ maxLength: 60 }), (status, diagnostic, email) => {
        const r = classifyRow(status, diagnostic, email);
        expect(['delivered', 'bounced']).toContain(r.outcome);
        expect([null, 'invalid-address', 'soft', 'blocked', 'unclassified']).toContain(r.bucket);
        expect(typeof r.reason).toBe('string');
        expect(() => classify(parseStatus(status, diagnostic), { email })).not.toThrow();
      }),
      { numRuns: 1500, seed: 55 },
    );
  });

  it('is deterministic: same input, same verdict, before and after its cache is cleared', () => {
    fc.assert(
      fc.property(replyText, replyText, fc.string({ maxLength: 60 }), (status, diagnostic, email) => {
        const first = { ...classifyRow(status, diagnostic, email) };
        clearClassifyCache();
        expect({ ...classifyRow(status, diagnostic, email) }).toEqual(first);
        expect({ ...classifyRow(status, diagnostic, email) }).toEqual(first);
        // Not asserted: equality with classify(parseStatus(raw)). classifyRow classifies the reply
        // with per-message tokens masked (stableReply), and the two differ on tokens such as
        // "spamhaus550" or "blocked by spamhaus2" (reported to the classifier's owner).
      }),
      { numRuns: 800, seed: 56 },
    );
  });
});

describe('property: the shortcut for accepted replies', () => {
  // classifyRow skips parsing and masking for a bare 2xx status, no 4xx/5xx code in the text and a
  // recipient at a known provider; the verdict must be the one the full path gives.
  const okStatus = fc.constantFrom('250', ' 250 ', '2.0.0', '251', '250 2.0.0', '550', '');
  const okText = fc.oneof(
    replyText,
    fc.array(fc.constantFrom('250 2.0.0 OK', ' ', '1725148800', 'tkns01.9hvnrai.55433-20020a05', '- gsmtp', '<a@b.co>', 'queued as 4F1C', '550', '4.2.2', '5.1.1', 'v5.1.2', '192.0.2.55', ':465', '450-12'), { maxLength: 12 }).map((a) => a.join(' ')),
  );
  it('gives the verdict classify() gives on the masked reply', () => {
    fc.assert(
      fc.property(okStatus, okText, fc.constantFrom('x@gmail.com', 'x@outlook.com', 'x@example.org'), (status, text, email) => {
        clearClassifyCache();
        const full = classify(parseStatus(status, stableReply(text)), { email });
        const { outcome, bucket, reason, ruleId, receiver } = classifyRow(status, text, email);
        expect({ outcome, bucket, reason, ruleId, receiver }).toEqual({ outcome: full.outcome, bucket: full.bucket, reason: full.reason, ruleId: full.ruleId, receiver: full.receiver });
      }),
      { numRuns: 3000, seed: 57 },
    );
  });
});

// --- suppression round trip ---------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'bounce-audit-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const localChar = fc.constantFrom(...'abcxyz019._%+-=\'!#$&*/?^`{|}~'.split(''), 'é', 'ü', 'ñ', 'A', 'Z');
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const address = fc
  .record({
    local: fc.array(localChar, { minLength: 1, maxLength: 16 }).map((a) => a.join('')),
    labels: fc.array(label, { minLength: 1, maxLength: 3 }),
    tld: fc.stringMatching(/^[a-z]{2,6}$/),
    // How the export spelled it: case, angle brackets, mailto:, spaces.
    dress: fc.constantFrom('plain', 'upper', 'angle', 'mailto', 'spaces'),
  })
  .map(({ local, labels, tld, dress }) => {
    const a = `${local}@${[...labels, tld].join('.')}`;
    switch (dress) {
      case 'upper':
        return a.toUpperCase();
      case 'angle':
        return `Some One <${a}>`;
      case 'mailto':
        return `mailto:${a}`;
      case 'spaces':
        return `  ${a} `;
      default:
        return a;
    }
  });

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

describe('property: the suppression CSV', () => {
  it('reads back to exactly the set of normalised addresses that bounced as invalid', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(address, fc.boolean()), { minLength: 1, maxLength: 40 }), async (rows) => {
        const input = join(dir, `in-${n}.csv`);
        const out = join(dir, `out-${n++}.csv`);
        const expected = new Set<string>();
        let text = 'email,status,diagnostic,campaign\n';
        for (const [raw, invalid] of rows) {
          const diag = invalid
            ? 'smtp; 550 5.1.1 Recipient address rejected: User unknown in local recipient table'
            : '250 2.0.0 OK';
          text += [raw, invalid ? '550' : '250', diag, 'spring, "sale"'].map(csvField).join(',') + '\n';
          const e = normaliseEmail(raw);
          if (invalid && e !== null) expected.add(e);
        }
        writeFileSync(input, text);
        const io = fakeIo([input, '-o', out, '-q']);
        const code = await main(io);
        if (rows.every(([raw]) => normaliseEmail(raw) === null)) {
          // No row could be counted: the run answers nothing and writes nothing.
          expect(code).toBe(2);
          expect(io.stderrText()).toMatch(/none of its \d+ rows could be counted/);
          expect(readdirSync(dir)).not.toContain(`out-${n - 1}.csv`);
          return;
        }
        expect(io.stderrText()).toBe('');
        expect([0, 1]).toContain(code);
        const back = referenceParse(readFileSync(out), { columns: true, bom: true }) as Record<string, string>[];
        expect(new Set(back.map((r) => r.email))).toEqual(expected);
        expect(back.length).toBe(expected.size);
        for (const r of back) expect(r.campaigns).toBe('spring, "sale"');
      }),
      { numRuns: 60, seed: 57 },
    );
    // Nothing but inputs and outputs left behind: no temp files.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('csvRecord, the one CSV record writer', () => {
  const field = fc.oneof(fc.string(), fc.constantFrom('', ' x ', '"', 'a,b', 'a;b', 'a\tb', 'a\r\nb', '\r', '\n', 'Müller…', '=1+2', '-5'));
  it.each([',', ';', '\t'] as const)('writes records csv-parse reads back field for field (delimiter %j)', (delimiter) => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        // A record of one empty field is an empty line, which CSV readers skip: not a record to round-trip.
        const kept = records.filter((r) => !(r.length === 1 && r[0] === ''));
        const text = kept.map((r) => csvRecord(r, { delimiter })).join('');
        // Every cell is written as free text: made safe (textCell), then quoted as needed.
        expect(referenceParse(text, { delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true })).toEqual(kept.map((r) => r.map(textCell)));
      }),
      { numRuns: 500, seed: 7 },
    );
  });
  it('never writes a CR or LF inside a cell, not even in the address cell, so no reader splits the record', () => {
    expect(csvRecord(['a\rb', 'c\r\nd', 'e\nf'], { address: 0 })).toBe('a b,c  d,e f\n');
  });
  it('neutralises formula cells after replacing controls, so a leading TAB or CR cannot be trimmed off in front of =', () => {
    expect(csvRecord(['=1+2', '\t=cmd|\' /C calc\'!A0', '\r@SUM(1+1)', '+x', '-y', ' =z', '\uff1dA1', 'ok'])).toBe(
      "'=1+2,' =cmd|' /C calc'!A0,' @SUM(1+1),'+x,'-y,' =z,'\uff1dA1,ok\n",
    );
  });
  it('replaces other controls and bidirectional overrides with U+FFFD and keeps directional marks', () => {
    expect(csvRecord(['a\u001b[2Jb\u0007', 'x\u202ey\u2066z', '\u0085q', 'ש\u200fם'])).toBe('a\ufffd[2Jb\ufffd,x\ufffdy\ufffdz,\ufffdq,ש\u200fם\n');
  });
  it('writes a formula-like address as it is only when it is inert', () => {
    expect(csvRecord(['-john@example.com', '=x'], { address: 0 })).toBe("-john@example.com,'=x\n");
    expect(csvRecord(["=cmd|'/Ccalc'!A0@example.com"], { address: 0 })).toBe("'=cmd|'/Ccalc'!A0@example.com\n");
  });
  it('textCell is idempotent and fromTextCell undoes its apostrophe', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = textCell(s);
        expect(textCell(once)).toBe(once);
        expect(textCell(fromTextCell(once))).toBe(once);
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});

describe('property: address normalising', () => {
  // The shortcut for addresses already in normal form must agree with the full path, which a
  // surrounding space forces (trimming is its first step).
  const part = fc.string({ unit: fc.constantFrom(...'abcXYZ019._%+-@<>: '.split('')), maxLength: 14 });
  it('gives the same result with and without the shortcut', () => {
    fc.assert(
      fc.property(part, part, part, (a, b, c) => {
        for (const s of [`${a}@${b}.${c}`, `${a}${b}`, `${a}@${b}`]) expect(normaliseEmail(s)).toBe(normaliseEmail(` ${s} `));
      }),
      { numRuns: 3000, seed: 58 },
    );
  });
});
