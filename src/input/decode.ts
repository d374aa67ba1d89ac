/**
 * The decoding stage in front of every reader: bytes in any encoding people's exports come in,
 * UTF-8 out, streamed chunk by chunk.
 *
 * Why a separate stage: Excel's "Unicode text" export is UTF-16LE with a BOM and NUL bytes
 * between ASCII letters, which the CSV reader (rightly) rejects as binary; and older CRMs
 * and Excel's "CSV" on Windows write Windows-1252, where "Müller" is not valid UTF-8. Both must
 * be turned into UTF-8 before any parser sees them.
 *
 * Detection, in order: a BOM (UTF-8, UTF-16LE, UTF-16BE); NUL bytes at odd (LE) or even (BE)
 * positions in the head (UTF-16 without a BOM); otherwise UTF-8. Memory: one chunk plus up to 3
 * bytes.
 *
 * Invalid UTF-8 is decided per byte, never per chunk or per file: every valid UTF-8 sequence is
 * read as UTF-8, and each byte that does not start one is read as the Windows-1252 character of
 * that byte. One stray byte in one reply (a receiver that writes Latin-1) therefore changes that
 * character only, and the result does not depend on where the input was cut into chunks, so the
 * parts of a file read on several threads decode exactly as one thread does. A Windows-1252
 * file reads as Windows-1252 throughout: its bytes above 0x7F are (all but never) invalid UTF-8.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { UsageError } from '../errors.js';
import { asBuffers, peekStream } from './peek.js';

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** What the decoder found, filled in as the stream is read (final once it is exhausted). */
export interface DecodeInfo {
  /**
   * Encoding used. UTF-8 input with invalid bytes says `windows-1252` when every byte above 0x7F
   * was invalid (the file is Windows-1252), `utf-8` when valid multi-byte sequences were met too.
   */
  encoding: Encoding;
  /** How it was chosen; `invalid-utf8`: UTF-8 input with bytes read as Windows-1252. */
  detectedBy: 'bom' | 'nul-pattern' | 'valid-utf8' | 'invalid-utf8' | 'forced';
  /** UTF-8 input: bytes that were not valid UTF-8, each read as Windows-1252. */
  invalidBytes: number;
  /** UTF-8 input: a valid multi-byte sequence was met. */
  multiByte: boolean;
}

/** Add what another decoder found in a later part of the same UTF-8 input (src/parallel/split.ts). */
export function addDecodeCounts(info: DecodeInfo, more: { invalidBytes: number; multiByte: boolean }): void {
  info.invalidBytes += more.invalidBytes;
  info.multiByte ||= more.multiByte;
  settleUtf8Info(info);
}

function settleUtf8Info(info: DecodeInfo): void {
  if (info.detectedBy !== 'invalid-utf8' && info.invalidBytes === 0) return;
  info.detectedBy = 'invalid-utf8';
  info.encoding = info.multiByte ? 'utf-8' : 'windows-1252';
}

/** The Windows-1252 character of one byte above 0x7F. */
function cp1252Char(b: number): string {
  return b >= 0x80 && b <= 0x9f ? String.fromCharCode(CP1252_HIGH[b - 0x80]!) : String.fromCharCode(b);
}

/** Length of the valid UTF-8 sequence starting at `buf[i]` (a byte above 0x7F), or 0 when none does (Unicode table 3-7). */
function sequenceAt(buf: Buffer, i: number): number {
  const b = buf[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < buf.length && buf[i + k]! >= lo && buf[i + k]! <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * UTF-8 bytes that are not all valid, as valid UTF-8: each valid sequence copied, each byte that
 * starts none read as Windows-1252. `counts` gets the invalid bytes and whether a valid
 * multi-byte sequence was met.
 */
export function repairUtf8(buf: Buffer, counts: { invalidBytes: number; multiByte: boolean }): Buffer {
  const out: Buffer[] = [];
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    if (buf[i]! < 0x80) {
      i++;
      continue;
    }
    const n = sequenceAt(buf, i);
    if (n > 0) {
      counts.multiByte = true;
      i += n;
      continue;
    }
    if (i > start) out.push(buf.subarray(start, i));
    out.push(Buffer.from(cp1252Char(buf[i]!), 'utf8'));
    counts.invalidBytes++;
    start = ++i;
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return Buffer.concat(out);
}

/** `--encoding` value → encoding, accepting the usual aliases. */
export function parseEncoding(raw: string): Encoding {
  const s = raw.trim().toLowerCase().replace(/_/g, '-');
  const alias: Record<string, Encoding> = {
    utf8: 'utf-8',
    'utf-8': 'utf-8',
    'utf-16': 'utf-16le',
    utf16: 'utf-16le',
    'utf-16le': 'utf-16le',
    utf16le: 'utf-16le',
    ucs2: 'utf-16le',
    'ucs-2': 'utf-16le',
    'utf-16be': 'utf-16be',
    utf16be: 'utf-16be',
    'windows-1252': 'windows-1252',
    cp1252: 'windows-1252',
    win1252: 'windows-1252',
    ansi: 'windows-1252',
    latin1: 'latin1',
    'latin-1': 'latin1',
    'iso-8859-1': 'latin1',
    iso88591: 'latin1',
  };
  const e = alias[s];
  if (e === undefined) throw new UsageError(`--encoding "${raw}" is not supported; use one of ${ENCODINGS.join(', ')}`);
  return e;
}

// Windows-1252 differs from ISO-8859-1 only in 0x80–0x9F (WHATWG Encoding Standard, index-windows-1252).
// Undefined positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same value, as browsers do.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/** Decode single-byte text; `cp1252` maps 0x80–0x9F through the Windows table, otherwise ISO-8859-1. */
export function decodeSingleByte(buf: Buffer, cp1252: boolean): string {
  if (!cp1252) return buf.toString('latin1');
  let out = '';
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b >= 0x80 && b <= 0x9f) {
      out += buf.toString('latin1', start, i) + String.fromCharCode(CP1252_HIGH[b - 0x80]!);
      start = i + 1;
    }
  }
  return out + buf.toString('latin1', start);
}

/** Bytes at the end of `buf` that start a UTF-8 sequence not yet complete (0–3). */
function incompleteUtf8Tail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Sniff the encoding from the first bytes of a file. */
export function sniffEncoding(head: Buffer): { encoding: Encoding; detectedBy: DecodeInfo['detectedBy']; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', detectedBy: 'bom', bomLength: 0 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', detectedBy: 'bom', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', detectedBy: 'bom', bomLength: 2 };
  // UTF-16 without a BOM: ASCII text leaves a NUL in every other byte.
  const n = Math.min(head.length, 4096) & ~1;
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return { encoding: 'utf-16le', detectedBy: 'nul-pattern', bomLength: 0 };
    if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return { encoding: 'utf-16be', detectedBy: 'nul-pattern', bomLength: 0 };
  }
  return { encoding: 'utf-8', detectedBy: 'valid-utf8', bomLength: 0 };
}

const HEAD_BYTES = 4096;

/**
 * Decode `input` to UTF-8 Buffers. UTF-8 input that is valid passes through unchanged (no
 * copy); everything else is transcoded chunk by chunk. `info` is updated as decoding goes.
 */
export function decodeStream(
  input: AsyncIterable<Buffer | string>,
  forced: Encoding | null = null,
): { chunks: AsyncIterable<Buffer>; info: DecodeInfo } {
  const info: DecodeInfo = { encoding: forced ?? 'utf-8', detectedBy: forced ? 'forced' : 'valid-utf8', invalidBytes: 0, multiByte: false };

  async function* run(): AsyncGenerator<Buffer> {
    // Gather a small head to sniff from.
    const peeked = await peekStream(asBuffers(input), HEAD_BYTES);
    let first = peeked.head;
    let encoding: Encoding;
    if (forced) {
      encoding = forced;
      if (encoding === 'utf-16le' && first[0] === 0xff && first[1] === 0xfe) first = first.subarray(2);
      if (encoding === 'utf-16be' && first[0] === 0xfe && first[1] === 0xff) first = first.subarray(2);
    } else {
      const s = sniffEncoding(first);
      encoding = s.encoding;
      info.encoding = encoding;
      info.detectedBy = s.detectedBy;
      first = first.subarray(s.bomLength);
    }

    async function* rest(): AsyncGenerator<Buffer> {
      yield first;
      yield* peeked.after;
    }

    if (encoding === 'utf-16le' || encoding === 'utf-16be') {
      const decoder = new TextDecoder('utf-16le');
      let odd: Buffer | null = null;
      for await (let chunk of rest()) {
        if (odd) {
          chunk = Buffer.concat([odd, chunk]);
          odd = null;
        }
        if (chunk.length % 2 === 1) {
          odd = chunk.subarray(chunk.length - 1);
          chunk = chunk.subarray(0, chunk.length - 1);
        }
        if (encoding === 'utf-16be') chunk = Buffer.from(chunk).swap16();
        const text = decoder.decode(chunk, { stream: true });
        if (text) yield Buffer.from(text, 'utf8');
      }
      const tail = decoder.decode();
      if (tail) yield Buffer.from(tail, 'utf8');
      return;
    }
    if (encoding === 'windows-1252' || encoding === 'latin1') {
      const cp = encoding === 'windows-1252';
      for await (const chunk of rest()) yield Buffer.from(decodeSingleByte(chunk, cp), 'utf8');
      return;
    }
    // UTF-8, validated per chunk; a chunk that is not valid has its invalid bytes read as
    // Windows-1252, byte by byte (unless forced, where they become U+FFFD as any UTF-8 reader
    // would do). A sequence cut by the chunk's end is carried to the next chunk, so every byte is
    // judged with the bytes that follow it, whatever the chunk sizes.
    let carry: Buffer | null = null;
    for await (let chunk of rest()) {
      if (carry) {
        chunk = Buffer.concat([carry, chunk]);
        carry = null;
      }
      const tail = incompleteUtf8Tail(chunk);
      const body = tail ? chunk.subarray(0, chunk.length - tail) : chunk;
      if (tail) carry = Buffer.from(chunk.subarray(chunk.length - tail));
      if (isUtf8(body)) {
        if (!info.multiByte && !isAscii(body)) {
          info.multiByte = true;
          settleUtf8Info(info);
        }
        if (body.length) yield body;
        continue;
      }
      if (forced) {
        yield Buffer.from(body.toString('utf8'), 'utf8');
        continue;
      }
      const repaired = repairUtf8(body, info);
      settleUtf8Info(info);
      yield repaired;
    }
    // A sequence still incomplete at the end of the input is not UTF-8 either.
    if (carry) {
      if (forced) yield Buffer.from(carry.toString('utf8'), 'utf8');
      else {
        const repaired = repairUtf8(carry, info);
        settleUtf8Info(info);
        yield repaired;
      }
    }
  }

  return { chunks: run(), info };
}
