/**
 * The records of a JSON input, one at a time, with the line each starts on. Three shapes:
 *
 * - JSON Lines: one record per line (`.jsonl`, `.ndjson`, or a file whose first line is a whole
 *   JSON object). A line that does not parse is reported on its own and the next line is read.
 * - A document: an array of records (SendGrid's Event Webhook posts, a saved batch of SES or
 *   Mailgun events), one object per record, or several objects one after the other (pretty-printed
 *   notifications pasted into one file).
 * - An API page: an object whose records sit in one array under a known key (Mailgun's events API
 *   `items`, Postmark's bounces API `Bounces`, …); the other keys (paging, counts) are skipped.
 *
 * Streaming with bounded memory: only the record being read is held, never the document. A record
 * longer than MAX_RECORD_BYTES stops the audit (exit 2): it is not a bounce record.
 */
import { InputError } from '../errors.js';
import { splitLines } from './lines.js';

/** Keys under which API pages wrap their records. */
const WRAPPER_KEYS = new Set(['items', 'Bounces', 'bounces', 'events', 'Events', 'records', 'Records', 'data', 'messages', 'Messages']);

export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

export type JsonRecord = { line: number; value: Record<string, unknown> } | { line: number; error: 'invalid-json' };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Does this look like JSON Lines? `head` is the decoded start of the input. */
export function looksLikeJsonLines(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  if (!text.startsWith('{')) return false;
  const nl = text.search(/\r|\n/);
  if (nl < 0) return false;
  try {
    return isObject(JSON.parse(text.slice(0, nl)));
  } catch {
    return false;
  }
}

/** Records of a JSON Lines input. */
export async function* jsonLines(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonRecord> {
  for await (const { line, text } of splitLines(chunks, file)) {
    const t = text.replace(/^\uFEFF/, '').trim();
    if (t === '') continue;
    if (t.length > MAX_RECORD_BYTES) throw new InputError(`a JSON line longer than ${MAX_RECORD_BYTES / (1024 * 1024)} MB: not a bounce record`, { file, line });
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      yield { line, error: 'invalid-json' };
      continue;
    }
    if (isObject(value)) yield* unwrap(value, line);
    else if (Array.isArray(value)) for (const v of value) yield isObject(v) ? { line, value: v } : { line, error: 'invalid-json' };
    else yield { line, error: 'invalid-json' };
  }
}

/** A whole object read on one line: an API page gives its records, anything else is one record. */
function* unwrap(o: Record<string, unknown>, line: number): Generator<JsonRecord> {
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (WRAPPER_KEYS.has(key) && Array.isArray(v) && (v.length === 0 || isObject(v[0]))) {
      for (const item of v) yield isObject(item) ? { line, value: item } : { line, error: 'invalid-json' };
      return;
    }
  }
  yield { line, value: o };
}

/**
 * Records of a JSON document (array, objects one after another, or an API page), streamed: a
 * character scanner tracks strings and nesting, and each record's text is parsed on its own.
 */
export async function* jsonDocument(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<JsonRecord> {
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  let column = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Depth at which records start: 0 for top-level objects, 1 inside a top-level array, 2 inside an API page's array. */
  let recordDepth = -1;
  /** The wrapper array's depth once found (its elements are records); -1 otherwise. */
  let pageArrayDepth = -1;
  /** Text of the record being read (pieces), its start line and size. */
  let pieces: string[] = [];
  let size = 0;
  let recordLine = 0;
  let collecting = false;
  /** Inside a top-level object that may turn out to be an API page: key tracking at depth 1. */
  let keyExpected = false;
  let keyText = '';
  let lastKey: string | null = null;
  let afterColon = false;
  let first = true;
  /** A non-object array element being skipped up to the next ',' or ']'. */
  let skippingScalar = false;

  const fail = (what: string): InputError => new InputError(what, { file, line, column });

  function* flush(text: string, from: number, to: number): Generator<JsonRecord> {
    pieces.push(text.slice(from, to));
    const whole = pieces.join('');
    pieces = [];
    size = 0;
    collecting = false;
    let value: unknown;
    try {
      value = JSON.parse(whole);
    } catch {
      yield { line: recordLine, error: 'invalid-json' };
      return;
    }
    if (isObject(value)) yield { line: recordLine, value };
    else yield { line: recordLine, error: 'invalid-json' };
  }

  function* scan(text: string): Generator<JsonRecord> {
    let start = 0; // start of the current record's piece in `text`
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line++;
        column = 0;
      } else column++;
      if (first) {
        if (c === 0xfeff || c === 32 || c === 9 || c === 10 || c === 13) continue;
        first = false;
        if (c !== 0x7b && c !== 0x5b) throw fail('not a JSON array or object: the first character is neither "[" nor "{"');
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (keyExpected && depth === 1) {
            lastKey = keyText;
            keyExpected = false;
          }
        } else if (keyExpected && depth === 1 && keyText.length < 64) keyText += text[i];
        continue;
      }
      if (skippingScalar) {
        if (c === 0x2c || c === 0x5d) skippingScalar = false;
        else if (c === 0x22) inString = true;
        else continue;
      }
      const ws = c === 32 || c === 9 || c === 10 || c === 13;
      if (ws) continue;
      // A value starting where records start.
      if (!collecting && depth === recordDepth && c !== 0x2c && c !== 0x5d && c !== 0x7d) {
        if (c !== 0x7b) {
          yield { line, error: 'invalid-json' };
          skippingScalar = true;
          if (c === 0x22) inString = true;
          continue;
        }
        collecting = true;
        recordLine = line;
        start = i;
      }
      if (depth === 1 && recordDepth === 0 && afterColon) {
        afterColon = false;
        if (c === 0x5b && lastKey !== null && WRAPPER_KEYS.has(lastKey)) {
          // An API page: its array's elements are the records; the page itself is not one.
          collecting = false;
          pieces = [];
          size = 0;
          pageArrayDepth = 2;
          recordDepth = 2;
          depth = 2;
          continue;
        }
      }
      switch (c) {
        case 0x22: // "
          inString = true;
          if (keyExpected && depth === 1) keyText = '';
          break;
        case 0x7b: // {
          depth++;
          if (depth === 1) {
            // A top-level object: one record, unless it is an API page.
            recordDepth = 0;
            collecting = true;
            recordLine = line;
            start = i;
            keyExpected = true;
            lastKey = null;
          }
          break;
        case 0x5b: // [
          depth++;
          if (depth === 1) recordDepth = 1;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (depth === 0) throw fail(`a closing "${text[i]}" without an opening one`);
          depth--;
          if (collecting && depth === recordDepth) {
            yield* flush(text, start, i + 1);
            start = i + 1;
          }
          if (pageArrayDepth >= 0 && depth === pageArrayDepth - 1) {
            // The page's array ended: the rest of the page is skipped.
            pageArrayDepth = -1;
            recordDepth = -1;
          }
          if (depth === 0) recordDepth = -1;
          break;
        case 0x2c: // ,
          if (depth === 1 && recordDepth === 0) keyExpected = true;
          break;
        case 0x3a: // :
          if (depth === 1 && recordDepth === 0) afterColon = true;
          break;
        default:
          if (depth === 0) throw fail('text between JSON values: not a JSON document');
      }
    }
    if (collecting) {
      const piece = text.slice(start);
      pieces.push(piece);
      size += piece.length;
      if (size > MAX_RECORD_BYTES) throw new InputError(`a JSON record longer than ${MAX_RECORD_BYTES / (1024 * 1024)} MB: not a bounce record`, { file, line: recordLine });
    }
  }

  for await (const chunk of chunks) yield* scan(decoder.decode(chunk, { stream: true }));
  yield* scan(decoder.decode());
  if (collecting) yield { line: recordLine, error: 'invalid-json' };
  else if (first) throw new InputError('the file is empty: expected JSON records', { file });
}
