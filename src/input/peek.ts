/** Chunks as Buffers, whatever the source yields (file streams give Buffers, tests and stdin may give strings). */
export async function* asBuffers(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of input) yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/**
 * Read the first `bytes` of a chunk stream (or all of it, if shorter) without losing them:
 * `stream` replays the head and continues, `after` continues from just past the head. Use
 * one of the two, not both.
 */
export async function peekStream(
  chunks: AsyncIterable<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; stream: AsyncIterable<Buffer>; after: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let n = 0;
  let done = false;
  while (n < bytes) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    // A copy: the source may reuse its buffers once more chunks are read (src/input/file-chunks.ts).
    got.push(Buffer.from(r.value));
    n += r.value.length;
  }
  async function* after(): AsyncGenerator<Buffer> {
    if (done) return;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Stopped early (a reader that stops at a cut, src/parallel/split.ts): let the source close its file.
      await it.return?.();
    }
  }
  async function* stream(): AsyncGenerator<Buffer> {
    yield* got;
    yield* after();
  }
  return { head: Buffer.concat(got), stream: stream(), after: after() };
}
