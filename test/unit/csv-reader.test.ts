/**
 * The reader's guarantees, independent of which parser sits behind it: line numbers,
 * BOM, delimiter sniffing, line endings, quoted fields, and errors with file/line/column.
 */
import { describe, it, expect } from 'vitest';
import { openCsv, sniffDelimiter, type CsvRow } from '../../src/input/csv-reader.js';
import { InputError } from '../../src/errors.js';

async function read(text: string | Buffer, chunkSize = 0): Promise<{ header: string[]; delimiter: string; rows: CsvRow[] }> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  if (chunkSize > 0) for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  else chunks.push(buf);
  const src = await openCsv((async function* () { yield* chunks; })(), 'in.csv');
  const rows: CsvRow[] = [];
  for await (const r of src.rows) rows.push(r);
  return { header: src.header, delimiter: src.delimiter, rows };
}

async function readError(text: string): Promise<InputError> {
  try {
    await read(text);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('openCsv', () => {
  it('reads a header and rows with 1-based line numbers', async () => {
    const r = await read('email,status\na@x.co,550\nb@x.co,250\n');
    expect(r.header).toEqual(['email', 'status']);
    expect(r.rows).toEqual([
      { line: 2, fields: ['a@x.co', '550'] },
      { line: 3, fields: ['b@x.co', '250'] },
    ]);
  });

  it('strips a UTF-8 BOM from the first header', async () => {
    const r = await read('\uFEFFemail;status\r\na@x.co;550\r\n');
    expect(r.header).toEqual(['email', 'status']);
    expect(r.delimiter).toBe(';');
  });

  it('keeps line numbers right across quoted newlines, blank lines and mixed line endings', async () => {
    const r = await read('email,diag\r\na@x.co,"550-5.1.1 no\r\n550 5.1.1 such user"\r\n\r\nb@x.co,ok\nc@x.co,"x\ny\nz"\rd@x.co,last');
    expect(r.rows.map((x) => [x.line, x.fields[0]])).toEqual([
      [2, 'a@x.co'],
      [5, 'b@x.co'],
      [6, 'c@x.co'],
      [9, 'd@x.co'],
    ]);
    expect(r.rows[0]!.fields[1]).toBe('550-5.1.1 no\r\n550 5.1.1 such user');
  });

  it('handles quotes, doubled quotes and delimiters inside fields', async () => {
    const r = await read('email,diag\na@x.co,"he said ""no"", twice"\n');
    expect(r.rows[0]!.fields).toEqual(['a@x.co', 'he said "no", twice']);
  });

  it('reads the same rows whatever the chunk boundaries', async () => {
    const text = '\uFEFFemail\tdiag\na@x.co\t"multi\nline ü"\nb@x.co\tplain é\n';
    const whole = await read(text);
    for (const size of [1, 2, 3, 7]) expect(await read(text, size)).toEqual(whole);
    expect(whole.delimiter).toBe('\t');
    expect(whole.rows[0]!.fields[1]).toBe('multi\nline ü');
  });

  it('returns rows with the wrong field count for the caller to reject', async () => {
    const r = await read('a,b\n1\n1,2,3\n');
    expect(r.rows.map((x) => x.fields.length)).toEqual([1, 3]);
  });

  it('fails on an unterminated quote, naming the line where the row starts and the field', async () => {
    const e = await readError('email,diag\na@x.co,ok\nb@x.co,"never closed\nc@x.co,ok\n');
    expect(e.location).toEqual({ file: 'in.csv', line: 3, column: 2 });
    expect(e.format()).toMatch(/^in\.csv:3:2: unterminated quoted field/);
  });

  it('fails on text after a closing quote', async () => {
    const e = await readError('email,diag\na@x.co,"x"y\n');
    expect(e.location).toMatchObject({ file: 'in.csv', line: 2, column: 2 });
  });

  it('fails on an empty input and on binary input', async () => {
    await expect(read('')).rejects.toThrow(/the file is empty/);
    await expect(read(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).rejects.toThrow(/binary file/);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['email,status,diag', ','],
    ['email;status;diag', ';'],
    ['email\tstatus\tdiag', '\t'],
    ['"a;b",c', ','],
    ['email', ','],
  ])('%j → %j', (line, want) => {
    expect(sniffDelimiter(line)).toBe(want);
  });
});

describe('decodeOnly', () => {
  it('hands out the chosen columns and blanks for the rest, keeping field counts and line numbers', async () => {
    const body = Array.from({ length: 5000 }, (_, i) => `a${i}@x.io,"id ""${i}""\nsecond line",C${i % 3},extra`).join('\n');
    // Several chunks, so the rows after the first batch are read with the mask.
    const chunks = Buffer.from(`email,msg,campaign,more\n${body}\n`).toString().match(/[\s\S]{1,4096}/g)!;
    const csv = await openCsv((async function* () { yield* chunks; })(), 'in.csv');
    csv.decodeOnly([0, 2]);
    const rows: CsvRow[] = [];
    for await (const batch of csv.batches) rows.push(...batch);
    expect(rows).toHaveLength(5000);
    const last = rows[4999]!;
    expect(last).toEqual({ line: 2 + 4999 * 2, fields: ['a4999@x.io', '', 'C1', ''] });
    expect(rows.every((r) => r.fields.length === 4 && r.fields[0]!.startsWith('a'))).toBe(true);
  });
});
