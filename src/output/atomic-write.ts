/**
 * Atomic output: write to a temp file in the target folder, then rename over the target.
 * After any failure the temp file is removed and a previous file at the path is untouched,
 * and a reader never sees a half-written file (rename is atomic within one file system).
 */
import { createWriteStream, openSync } from 'node:fs';
import { rename, rm, stat, access, constants } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { OutputError, describeFsError } from '../errors.js';

/** Temp files currently being written, so a signal handler can remove them. */
export const pendingTempFiles = new Set<string>();

export function tempPathFor(target: string): string {
  const abs = resolve(target);
  return join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.bounce-audit.tmp`);
}

/** Fail early, before reading a large input, when the output cannot be written. */
export async function checkWritable(target: string, what: string): Promise<void> {
  const abs = resolve(target);
  try {
    const st = await stat(abs);
    if (st.isDirectory()) throw new OutputError(`cannot write the ${what} to ${target}: it is a directory`);
  } catch (err) {
    if (err instanceof OutputError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new OutputError(`cannot write the ${what} to ${target}: ${describeFsError(err)}`);
    }
  }
  try {
    await access(dirname(abs), constants.W_OK);
  } catch (err) {
    throw new OutputError(`cannot write the ${what} to ${target}: folder ${dirname(abs)}: ${describeFsError(err)}`);
  }
}

/**
 * Write `chunks` to `target` atomically. Chunks are written with back-pressure, so a
 * large output streams through without being held whole in memory.
 */
export async function writeAtomic(target: string, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, what: string): Promise<void> {
  const tmp = tempPathFor(target);
  pendingTempFiles.add(tmp);
  try {
    // Opened synchronously, once per output, so the file comes into being in the same tick as
    // its entry in pendingTempFiles: a signal handler runs between ticks and can never miss a
    // temp file that exists (an asynchronous open could complete after the handler's cleanup).
    const out = createWriteStream(tmp, { fd: openSync(tmp, 'wx') });
    // A failed write (a full disk) is reported by its callback, `drain` or `finished` below; the
    // listener only keeps the stream's 'error' event from being thrown as an uncaught exception.
    out.on('error', () => undefined);
    // Small chunks (one CSV record each) are batched: one write per ~64 KB, not per record.
    let pending = '';
    // Bytes come in chunks of their own size, whose buffer may be filled anew once two more
    // chunks are asked for (SuppressionList.csvChunks): one is written while the next is made.
    let inFlight: Promise<void> = Promise.resolve();
    for await (const chunk of chunks) {
      if (typeof chunk !== 'string') {
        await inFlight;
        if (pending) out.write(pending);
        pending = '';
        inFlight = new Promise<void>((res, rej) => out.write(chunk, (err) => (err ? rej(err) : res())));
        // Settled later; a rejection is handled where it is awaited.
        inFlight.catch(() => undefined);
        continue;
      }
      pending += chunk;
      if (pending.length >= 64 * 1024) {
        const ok = out.write(pending);
        pending = '';
        // `once` rejects on 'error' while it waits; a stream that already failed never drains.
        if (!ok && out.errored === null) await once(out, 'drain');
      }
    }
    await inFlight;
    if (pending) out.write(pending);
    out.end();
    await finished(out);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (err instanceof OutputError) throw err;
    throw new OutputError(`cannot write the ${what} to ${target}: ${describeFsError(err)}`);
  } finally {
    pendingTempFiles.delete(tmp);
  }
}
