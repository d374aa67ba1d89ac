/**
 * The programs only the SQL runs are held to the CLI's own code, in JavaScript: the reply masking to
 * stableReply, the address normalisation to normaliseEmail (with the differences docs/warehouse.md lists),
 * the date reading to parseLogDate and isoOf, the receiver of a domain to receiverOfDomain; and the whole
 * row program to classifyRow. (tests sql-duckdb and sql-postgres run the same programs as SQL.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProgram } from '../../src/classify/program-runner.js';
import { ProgramBuilder } from '../../src/classify/program.js';
import { maskAll, stableReply } from '../../src/classify/stable-reply.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import { isoOf, parseLogDate } from '../../src/suppression/dates.js';
import { domainOfExpr, receiverOfDomain, receiverOfDomainExpr } from '../../src/classify/receivers.js';
import { UPPER_CASE_EXTRAS } from '../../src/classify/engine.js';
import { STABLE_REPLY_PROGRAM } from '../../src/sql/stable-reply-program.js';
import { ADDRESS_PROGRAM } from '../../src/sql/address-program.js';
import { DATE_PROGRAM, ISO_PROGRAM } from '../../src/sql/date-program.js';
import { ROW_PROGRAM, policyConstants, POLICY_INPUTS } from '../../src/sql/row-program.js';
import { lowerTable } from '../../src/sql/compile.js';
import { benchShapeCases, cliVerdict, corpusCases, fixtureCases, fixtureFiles, mixedCases } from '../helpers/sql-cases.js';

describe('the reply masking program', () => {
  const mask = compileProgram(STABLE_REPLY_PROGRAM);
  const run = (t: string): string => mask.run([t])[0] as string;

  it('equals maskAll on generated texts', () => {
    const unit = fc.constantFrom('a', 'Z', '9', '0', '1', ' ', '\t', '\n', '\r', '.', '-', '_', '+', '@', ':', '<', '>', '[', ']', 'é', '\u00a0', 'x', 'k', 'q', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 80 }), (t) => {
        expect(run(t)).toBe(maskAll(t));
      }),
      { numRuns: 20_000, seed: 91 },
    );
    const piece = fc.constantFrom('12:30', '1:23:45', '10:00', 'ann@x.com', 'a1b2c3d4e5', '1725148800', '192.0.2.1', '2024-05-01', 'tkns01.9hvnrai.55433-20020a05', 'abcdef12345', 'x', '-', '.', ':', '@', ' ', 'mx4.hotmail.com', 'spamhaus550', 'a-12345678');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), (t) => {
        expect(run(t)).toBe(maskAll(t));
      }),
      { numRuns: 20_000, seed: 92 },
    );
  });

  it('equals stableReply on every corpus, fixture and generated reply', async () => {
    const cases = [...corpusCases(), ...(await fixtureCases()), ...(await benchShapeCases(300)), ...mixedCases(2000)];
    const differ = cases.filter((c) => run(c.diagnostic) !== stableReply(c.diagnostic)).map((c) => c.from);
    expect(differ).toEqual([]);
  });
});

describe('the address program', () => {
  const addr = compileProgram(ADDRESS_PROGRAM);
  const run = (e: string): string | null => addr.run([e])[0] as string | null;

  it('equals normaliseEmail on every fixture address', async () => {
    const emails = (await fixtureFiles()).flatMap((f) => f.rows.map((r) => r.email));
    expect(emails.length).toBeGreaterThan(1000);
    expect(emails.filter((e) => run(e) !== normaliseEmail(e))).toEqual([]);
  });

  it('equals normaliseEmail on generated ASCII addresses in the ways exports write them', () => {
    const local = fc.array(fc.constantFrom(...'abcxyzAZ019._%+-=\'!#$&*/?^`{|}~"\\ '.split('')), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
    const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9_-]{0,6}[a-zA-Z0-9])?$/);
    const address = fc
      .record({ local, labels: fc.array(label, { minLength: 1, maxLength: 3 }), tld: fc.constantFrom('com', 'de', 'co.uk', 'IO', 'x'), dress: fc.integer({ min: 0, max: 7 }), quote: fc.boolean() })
      .map(({ local: l, labels, tld, dress, quote }) => {
        const a = `${quote ? `"${l}"` : l}@${[...labels, tld].join('.')}`;
        return [a, ` ${a} `, `Name <${a}>`, `mailto:${a}?subject=x`, `${a}.`, `<${a}`, `\u200b${a}`, a.toUpperCase()][dress]!;
      });
    fc.assert(
      fc.property(address, (e) => {
        expect(run(e)).toBe(normaliseEmail(e));
      }),
      { numRuns: 20_000, seed: 21 },
    );
  });

  it('differs from normaliseEmail only where docs/warehouse.md says (NFC, IDNA, IPv6 literals, %-escapes)', () => {
    expect(run('ann@xn--mller-kva.de')).toBe('ann@xn--mller-kva.de');
    expect(normaliseEmail('ann@xn--mller-kva.de')).toBe('ann@müller.de');
    expect(run('zoe\u0308@example.com')).toBe('zoe\u0308@example.com');
    expect(normaliseEmail('zoe\u0308@example.com')).toBe('zoë@example.com');
    expect(run('a@[IPv6:2001:DB8:0:0::1]')).toBe('a@[IPv6:2001:db8:0:0::1]');
    expect(normaliseEmail('a@[IPv6:2001:DB8:0:0::1]')).toBe('a@[IPv6:2001:db8::1]');
    expect(run('mailto:ann%40x@example.com')).toBeNull();
    expect(normaliseEmail('mailto:ann%2Bx@example.com')).toBe('ann+x@example.com');
  });
});

describe('the date programs', () => {
  const dates = compileProgram(DATE_PROGRAM);
  const iso = compileProgram(ISO_PROGRAM);
  const ms = (t: string): number => {
    const [known, v] = dates.run([t]);
    return known === 'yes' ? (v as number) : NaN;
  };
  /** What the SQL reads: unix times and ISO 8601 dates (see date-program.ts). */
  const inGrammar = /^(?:\d{9,10}(?:\.\d+)?|\d{12,13}|\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}.*)?)$/;
  // Forms Date.parse reads differently from ISO 8601: local time after a lower-case "t", two-digit years.
  const outside = (s: string): boolean => /^\d{4}-\d\d-\d\dt[\d:.]*$/.test(s) || /^00\d\d-\d\d-\d\d /.test(s);

  it('read a date as parseLogDate does, and show a time as isoOf does', () => {
    const two = (a: number, b: number): fc.Arbitrary<string> => fc.integer({ min: a, max: b }).map((n) => String(n).padStart(2, '0'));
    const iso8601 = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        two(0, 13), two(0, 32), fc.constantFrom('T', ' ', 't'), two(0, 25), two(0, 60), fc.option(two(0, 60)),
        fc.option(fc.stringMatching(/^\d{1,7}$/)), fc.option(fc.constantFrom('Z', 'z', '+02:00', '-0530', '+23:59', '+24:00', '+00:60', '-00:00', '+02', '-07')), fc.boolean(),
      )
      .map(([y, m, d, sep, h, mi, s, f, z, dateOnly]) => (dateOnly ? `${y}-${m}-${d}` : `${y}-${m}-${d}${sep}${h}:${mi}${s !== null ? `:${s}${f !== null ? `.${f}` : ''}` : ''}${z ?? ''}`));
    const unix = fc.oneof(
      fc.integer({ min: 100_000_000, max: 9_999_999_999 }).map(String),
      fc.tuple(fc.integer({ min: 100_000_000, max: 9_999_999_999 }), fc.stringMatching(/^\d{1,5}$/)).map(([a, b]) => `${a}.${b}`),
      fc.integer({ min: 100_000_000_000, max: 9_999_999_999_999 }).map(String),
    );
    fc.assert(
      fc.property(fc.oneof(iso8601, unix, fc.string({ maxLength: 12 })), fc.constantFrom('', ' ', '\t'), (t, pad) => {
        const s = `${pad}${t}${pad}`;
        const want = parseLogDate(s);
        const got = ms(s);
        if (!Number.isNaN(got)) expect(got).toBe(want);
        else if (!Number.isNaN(want) && !outside(s.trim())) expect(s.trim()).not.toMatch(inGrammar);
        if (!Number.isNaN(want) && want >= -62167219200000 && want <= 253402300799999) expect(iso.run([want])[0]).toBe(isoOf(want));
      }),
      { numRuns: 30_000, seed: 5 },
    );
  });

  it('read what warehouses write for a TIMESTAMP, and leave RFC 2822 dates unknown', () => {
    expect(ms('2026-09-02 09:00:00+00')).toBe(Date.parse('2026-09-02T09:00:00Z'));
    expect(ms('2026-09-02 09:00:00.123456')).toBe(Date.parse('2026-09-02T09:00:00.123Z'));
    expect(ms('Tue, 06 Oct 2026 09:14:02 UTC')).toBeNaN();
    expect(parseLogDate('Tue, 06 Oct 2026 09:14:02 UTC')).not.toBeNaN();
  });
});

describe('the row program', () => {
  it('finds the receiver of a domain as receiverOfDomain does', () => {
    const b = new ProgramBuilder('t');
    const e = b.input('email');
    const p = compileProgram(b.build({ r: receiverOfDomainExpr(domainOfExpr(e)) }));
    const domains = fc.oneof(
      fc.constantFrom('gmail.com', 'GMAIL.COM.', 'hotmail.co.uk', 'yahoo.com.tw', 'gmx.at', 'live.example.com', 'outlook.info', 'yandex.com.tr', 'icloud.com>', ' me.com ', 'x@y@aol.com', '@', ''),
      fc.stringMatching(/^[a-z]{1,8}(?:\.[a-z]{1,4}){0,3}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom('', 'ann@', 'A.B@', 'x@y@'), domains, (local, d) => {
        const email = `${local}${d}`;
        expect(p.run([email])[0]).toBe(receiverOfDomain(email));
      }),
      { numRuns: 5000, seed: 33 },
    );
  });

  it('run in JavaScript, gives classifyRow’s verdict on corpus, fixture and generated rows', async () => {
    const row = compileProgram(ROW_PROGRAM);
    const constants = policyConstants();
    const cases = [...corpusCases(), ...(await fixtureCases()), ...mixedCases(3000, 9)];
    const differ: string[] = [];
    for (const c of cases) {
      const inputs = ROW_PROGRAM.inputs.map((i) => ({ status: c.status, diagnostic: c.diagnostic, email: c.email, command: c.command })[i.name as 'status'] ?? constants[i.name]!);
      const out = Object.fromEntries(ROW_PROGRAM.outputs.map((o, k) => [o.name, row.run(inputs)[k]]));
      const want = cliVerdict(c);
      if (out.bucket !== want.bucket || out.reason !== want.reason || out.rule_id !== want.rule_id) differ.push(c.from);
    }
    expect(Object.values(POLICY_INPUTS).every((n) => n in constants)).toBe(true);
    expect(differ).toEqual([]);
  });
});

describe('what SQL lower-casing and upper-casing must map', () => {
  it('maps every character JavaScript lower-cases to a character a pattern names', () => {
    const t = lowerTable([ROW_PROGRAM]);
    expect(t.from.length).toBe(t.to.length);
    for (let i = 0; i < t.from.length; i++) expect(t.from[i]!.toLowerCase()).toBe(t.to[i]);
    // German, French and Cyrillic capitals are in it; the Kelvin sign lower-cases to an ASCII k.
    for (const c of ['Ä', 'É', 'Ç', 'П', '\u212a']) expect(t.from).toContain(c);
  });

  it('knows every character whose upper case is one ASCII letter (commands are compared upper-cased)', () => {
    for (let c = 0x80; c <= 0xffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const u = String.fromCharCode(c).toUpperCase();
      if (/^[A-Z]$/.test(u)) expect(UPPER_CASE_EXTRAS[u]).toBe(String.fromCharCode(c));
    }
  });
});
