/**
 * A push-style atomic output, for files written while the input is still being read
 * (`--rows-out`): same temp-file-then-rename contract as writeAtomic, same cleanup on failure.
 */
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { pendingTempFiles, tempPathFor } from './atomic-write.js';
import { OutputError, describeFsError } from '../errors.js';

const BATCH_CHARS = 64 * 1024;

export class AtomicSink {
  private readonly tmp: string;
  private out: WriteStream | null = null;
  private failed: unknown = null;
  /** Small writes (one CSV record each) are batched into ~64 KB chunks. */
  private pending = '';

  constructor(
    readonly target: string,
    private readonly what: string,
  ) {
    this.tmp = tempPathFor(target);
  }

  async open(): Promise<void> {
    pendingTempFiles.add(this.tmp);
    // Opened synchronously, like writeAtomic's temp file: the file and its entry in
    // pendingTempFiles appear in the same tick, so a signal handler can never miss it.
    let fd: number;
    try {
      fd = openSync(this.tmp, 'wx');
    } catch (err) {
      pendingTempFiles.delete(this.tmp);
      throw this.error(err);
    }
    const out = createWriteStream(this.tmp, { fd });
    out.on('error', (err) => (this.failed = err));
    this.out = out;
  }

  private error(err: unknown): OutputError {
    return err instanceof OutputError ? err : new OutputError(`cannot write the ${this.what} to ${this.target}: ${describeFsError(err)}`);
  }

  /** Write a chunk; resolves after back-pressure only when the buffer is full. */
  write(chunk: string): Promise<void> | void {
    if (this.failed) throw this.error(this.failed);
    this.pending += chunk;
    if (this.pending.length < BATCH_CHARS) return;
    const ok = this.out!.write(this.pending);
    this.pending = '';
    if (!ok) return new Promise<void>((res) => this.out!.once('drain', () => res()));
  }

  async commit(): Promise<void> {
    try {
      if (this.pending) this.out!.write(this.pending);
      this.pending = '';
      this.out!.end();
      await finished(this.out!);
      if (this.failed) throw this.failed;
      await rename(this.tmp, this.target);
    } catch (err) {
      await this.abort();
      throw this.error(err);
    } finally {
      pendingTempFiles.delete(this.tmp);
    }
  }

  async abort(): Promise<void> {
    this.out?.destroy();
    await rm(this.tmp, { force: true }).catch(() => undefined);
    pendingTempFiles.delete(this.tmp);
  }
}
