/**
 * The hand-written parser behind openCsv: edge cases at chunk boundaries, the errors that
 * replaced csv-parse's, the size guard, and a property test against csv-parse/sync as the
 * reference reading of generated files (quotes, delimiters, CR/LF/CRLF, BOM, any chunking).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parse as referenceParse } from 'csv-parse/sync';
import { openCsv, MAX_ROW_BYTES, type CsvRow } from '../../src/input/csv-reader.js';
import { InputError } from '../../src/errors.js';

function chunked(buf: Buffer, sizes: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  let k = 0;
  while (i < buf.length) {
    const n = Math.max(1, sizes.length ? sizes[k++ % sizes.length]! : buf.length);
    out.push(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function readAll(input: string | Buffer, sizes: readonly number[] = []): Promise<{ header: string[]; rows: CsvRow[] }> {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const chunks = chunked(buf, sizes);
  const src = await openCsv((async function* () { yield* chunks; })(), 'in.csv');
  const rows: CsvRow[] = [];
  for await (const r of src.rows) rows.push(r);
  return { header: src.header, rows };
}

async function errorOf(input: string, sizes: readonly number[] = []): Promise<InputError> {
  try {
    await readAll(input, sizes);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parser edge cases, whole and split into 1-byte chunks', () => {
  const cases: { name: string; text: string; rows: [number, string[]][] }[] = [
    { name: 'lone CR line endings', text: 'a,b\r1,2\r3,4', rows: [[2, ['1', '2']], [3, ['3', '4']]] },
    { name: 'CRLF split across chunks counts one line', text: 'a,b\r\n1,2\r\n\r\n3,4\r\n', rows: [[2, ['1', '2']], [4, ['3', '4']]] },
    { name: 'a quoted CRLF stays in the field and counts one line', text: 'a,b\n"x\r\ny",2\n3,4\n', rows: [[2, ['x\r\ny', '2']], [4, ['3', '4']]] },
    { name: 'a doubled quote at the very end of the input', text: 'a,b\n1,"say ""hi"""', rows: [[2, ['1', 'say "hi"']]] },
    { name: 'an empty quoted field and a trailing delimiter', text: 'a,b,c\n"",x,\n', rows: [[2, ['', 'x', '']]] },
    { name: 'UTF-8 multi-byte text split anywhere', text: 'a,b\nzoë@example.de,"Grüße, 5.1.1 — ✉"\n', rows: [[2, ['zoë@example.de', 'Grüße, 5.1.1 — ✉']]] },
    { name: 'no newline at the end', text: 'a,b\n1,2', rows: [[2, ['1', '2']]] },
    { name: 'a whitespace-only line is a row (as csv-parse read it)', text: 'a,b\n \n1,2\n', rows: [[2, [' ']], [3, ['1', '2']]] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      for (const sizes of [[], [1], [2], [3, 1, 7]]) {
        const { rows } = await readAll(c.text, sizes);
        expect(rows.map((r) => [r.line, r.fields])).toEqual(c.rows);
      }
    });
  }

  it('strips a BOM split across chunks', async () => {
    const { header } = await readAll('\uFEFFemail,status\nx@y.z,550\n', [1]);
    expect(header).toEqual(['email', 'status']);
  });
});

describe('parser errors carry file, line and field', () => {
  it('an unterminated quote names the line where its row starts and the field, whatever the chunking', async () => {
    for (const sizes of [[], [1], [5]]) {
      const e = await errorOf('a,b\n1,2\n3,"open\nmore\nstill\n', sizes);
      expect(e.location).toEqual({ file: 'in.csv', line: 3, column: 2 });
      expect(e.message).toMatch(/unterminated quoted field \(field 2\).*the file ends 3 lines further on/);
    }
  });

  it('text after a closing quote names its line and field', async () => {
    const e = await errorOf('a,b\n1,2\n"x\ny"z,2\n');
    expect(e.location).toEqual({ file: 'in.csv', line: 4, column: 1 });
    expect(e.message).toMatch(/closing quote is followed by other characters/);
  });

  it('a quote inside an unquoted field is refused, naming the field', async () => {
    const e = await errorOf('a,b\n1,say "hi"\n');
    expect(e.location).toEqual({ file: 'in.csv', line: 2, column: 2 });
    expect(e.message).toMatch(/quote inside an unquoted field/);
  });

  it(`refuses a row longer than ${MAX_ROW_BYTES / 2 ** 20} MB (a quote never closed) without reading the rest`, async () => {
    const mb = Buffer.alloc(1 << 20, 'x');
    let yielded = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('email,diagnostic\na@b.co,ok\nc@d.co,"');
      // Far more than the limit: the reader must stop on its own.
      for (let i = 0; i < 4 * (MAX_ROW_BYTES >> 20); i++) {
        yielded++;
        yield mb;
      }
    }
    const src = await openCsv(endless(), 'big.csv');
    const err = await (async () => {
      try {
        for await (const _ of src.rows) void _;
      } catch (e) {
        return e as InputError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err!.message).toMatch(/inside a quoted field: a quote opened here is probably never closed/);
    expect(err!.location).toMatchObject({ file: 'big.csv', line: 3 });
    expect(yielded).toBeLessThan(2 * (MAX_ROW_BYTES >> 20));
  });
});

// --- property: agreement with csv-parse/sync ------------------------------------------------

const fieldText = fc.string({ unit: fc.constantFrom('a', 'b', 'z', ' ', ',', ';', '"', '\r', '\n', 'é', '✉', '5', '.', '@'), maxLength: 12 });
const eol = fc.constantFrom('\n', '\r\n', '\r');

/** A CSV file: a header and rows of the same width, each field quoted when it must be (or at random). */
const csvFile = fc
  .record({
    width: fc.integer({ min: 1, max: 5 }),
    bom: fc.boolean(),
    delimiter: fc.constantFrom(',', ';', '\t'),
    rows: fc.array(fc.tuple(fc.array(fc.tuple(fieldText, fc.boolean()), { minLength: 5, maxLength: 5 }), eol), { minLength: 0, maxLength: 12 }),
    headerEol: eol,
    finalEol: fc.boolean(),
    chunks: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ width, bom, delimiter, rows, headerEol, finalEol, chunks }) => {
    const header = Array.from({ length: width }, (_, i) => `col${i}`);
    const enc = (s: string, forceQuote: boolean): string =>
      forceQuote || /[",;\t\r\n]/.test(s) || s === '' ? `"${s.replaceAll('"', '""')}"` : s;
    let text = header.join(delimiter);
    const body = rows.map(([fields]) => fields.slice(0, width).map(([s, q]) => enc(s, q)).join(delimiter));
    rows.forEach(([, e], i) => {
      text += (i === 0 ? headerEol : rows[i - 1]![1]) + body[i];
      void e;
    });
    if (finalEol && rows.length) text += rows[rows.length - 1]![1];
    // A one-column header has no delimiter to sniff: the reader then reads commas.
    return { text: (bom ? '\uFEFF' : '') + text, delimiter: width > 1 ? delimiter : ',', chunks };
  });

describe('property: the reader agrees with csv-parse/sync', () => {
  it('on generated files with quotes, delimiters, CR/LF/CRLF, BOMs and any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(csvFile, async ({ text, delimiter, chunks }) => {
        const expected = referenceParse(text, {
          bom: true,
          delimiter,
          record_delimiter: ['\r\n', '\n', '\r'],
          relax_column_count: true,
          skip_empty_lines: true,
        }) as string[][];
        const got = await readAll(text, chunks);
        expect([got.header, ...got.rows.map((r) => r.fields)]).toEqual(expected);
        // Line numbers only ever increase.
        for (let i = 1; i < got.rows.length; i++) expect(got.rows[i]!.line).toBeGreaterThan(got.rows[i - 1]!.line);
      }),
      { numRuns: 400, seed: 5 },
    );
  });
});

describe('batches', () => {
  it('hands out every row once, in order and at its line, in batches of at most 64 rows', async () => {
    const lines = ['email,status'];
    for (let i = 0; i < 1000; i++) lines.push(i % 97 === 0 ? `"a${i}@x.io\nsecond line",550` : `a${i}@x.io,550`);
    for (const sizes of [[], [7], [4096, 13]]) {
      const buf = Buffer.from(`${lines.join('\n')}\n\n`, 'utf8');
      const src = await openCsv((async function* () { yield* chunked(buf, sizes); })(), 'in.csv');
      const rows: CsvRow[] = [];
      let largest = 0;
      for await (const batch of src.batches) {
        largest = Math.max(largest, batch.length);
        rows.push(...batch);
      }
      expect(largest).toBeLessThanOrEqual(64);
      expect(rows.map((r) => r.fields[0])).toEqual(Array.from({ length: 1000 }, (_, i) => (i % 97 === 0 ? `a${i}@x.io\nsecond line` : `a${i}@x.io`)));
      // Each quoted two-line field pushes the following rows one line further down.
      expect(rows[999]!.line).toBe(1000 + 1 + Math.ceil(1000 / 97));
    }
  });
});
