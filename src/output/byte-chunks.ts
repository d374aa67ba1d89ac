/**
 * Text and byte ranges gathered into UTF-8 chunks of a set size, for large outputs: one
 * `Buffer.write` per line instead of a long concatenated string to flatten and encode later.
 */
export class ByteChunks {
  private buf: Buffer;
  private off = 0;
  private ready: Buffer[] = [];
  /** Chunks handed out by the last two completed() calls, newest first (see `reuse`). */
  private lent: Buffer[] = [];
  private lentBefore: Buffer[] = [];
  private readonly spares: Buffer[] = [];

  /**
   * `reuse`: a chunk handed out by completed() stays valid until completed() has been called
   * twice more; its buffer is then filled anew (a writer can have one chunk in flight while the
   * next is made). Fresh memory costs a page fault per 4 KB on first touch (see
   * input/file-chunks.ts), so a writer that keeps to this should reuse. Without it every chunk
   * has an ArrayBuffer of its own (transferable).
   */
  constructor(
    private readonly size: number,
    private readonly reuse = false,
  ) {
    // Never from the shared pool: a chunk's ArrayBuffer is its own.
    this.buf = Buffer.allocUnsafeSlow(size);
  }

  /** The current chunk is complete when `n` more bytes do not fit: start another. */
  private room(n: number): void {
    if (this.off + n <= this.buf.length) return;
    if (this.off > 0) this.ready.push(this.buf.subarray(0, this.off));
    this.buf = n <= this.size ? (this.spares.pop() ?? Buffer.allocUnsafeSlow(this.size)) : Buffer.allocUnsafeSlow(n);
    this.off = 0;
  }

  /** Append a string as UTF-8, never split between two chunks; returns the bytes written. */
  text(s: string): number {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    this.room(s.length * 3);
    const n = this.buf.write(s, this.off);
    this.off += n;
    return n;
  }

  /** Append bytes `start` to `end` of `src`. */
  copy(src: Uint8Array, start: number, end: number): void {
    this.room(end - start);
    this.buf.set(src.subarray(start, end), this.off);
    this.off += end - start;
  }

  get hasCompleted(): boolean {
    return this.ready.length > 0;
  }

  /** The chunks completed since the last call (each is handed out once and never reused). */
  completed(): Buffer[] {
    // A chunk starts its own buffer (allocUnsafeSlow), so the whole buffer is its ArrayBuffer.
    if (this.reuse) for (const c of this.lentBefore) if (c.buffer.byteLength === this.size) this.spares.push(Buffer.from(c.buffer));
    const out = this.ready;
    this.lentBefore = this.lent;
    this.lent = out;
    this.ready = [];
    return out;
  }

  /** Every chunk not handed out yet, the current one included (the last call: nothing is reused after it). */
  end(): Buffer[] {
    const out = this.completed();
    if (this.off > 0) out.push(this.buf.subarray(0, this.off));
    this.spares.length = 0;
    this.buf = Buffer.allocUnsafeSlow(0);
    this.off = 0;
    return out;
  }
}
