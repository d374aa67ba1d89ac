/**
 * Split decoded UTF-8 chunks into lines (LF, CRLF or CR), with 1-based line numbers. Streams.
 * A line longer than MAX_ROW_BYTES (the CSV reader's row guard) stops the read with an error
 * naming the line: a JSON Lines record or a mail-log line of that size is not one, and holding
 * on to it would only end in running out of memory.
 */
import { InputError } from '../errors.js';
import { MAX_ROW_BYTES } from './csv-reader.js';

export async function* splitLines(chunks: AsyncIterable<Buffer>, file: string): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 0;
  let lastWasCr = false;
  const emit = function* (text: string): Generator<{ line: number; text: string }> {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 10 && lastWasCr && i === start && pending === '') {
          // The LF of a CRLF split across chunks.
          lastWasCr = false;
          start = i + 1;
          continue;
        }
        const piece = pending + text.slice(start, i);
        pending = '';
        line++;
        yield { line, text: piece };
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        lastWasCr = c === 13 && i === text.length - 1;
        start = i + 1;
      } else {
        lastWasCr = false;
      }
    }
    // A UTF-16 unit is at least one byte of UTF-8: the length in units bounds the bytes from below.
    if (pending.length + (text.length - start) > MAX_ROW_BYTES) {
      throw new InputError(`this line is longer than ${MAX_ROW_BYTES / (1024 * 1024)} MB: not a JSON Lines record or a mail-log line`, { file, line: line + 1 });
    }
    pending += text.slice(start);
  };
  for await (const chunk of chunks) yield* emit(decoder.decode(chunk, { stream: true }));
  yield* emit(decoder.decode());
  if (pending !== '') {
    line++;
    yield { line, text: pending };
  }
}
