/** Read the first bytes of a chunk stream and give back a stream that still starts with them. */
export async function peekStream(chunks: AsyncIterable<Buffer>, bytes: number): Promise<{ head: Buffer; stream: AsyncIterable<Buffer> }> {
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
    got.push(r.value);
    n += r.value.length;
  }
  async function* stream(): AsyncGenerator<Buffer> {
    yield* got;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { head: Buffer.concat(got), stream: stream() };
}
