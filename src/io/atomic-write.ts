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
    // A 1 MB buffer keeps the next chunks coming while the file system writes the last ones.
    const out = createWriteStream(tmp, { fd: openSync(tmp, 'wx'), highWaterMark: 1024 * 1024 });
    // Small chunks (one CSV record each) are batched: one write per ~64 KB, not per record.
    let pending = '';
    for await (const chunk of chunks) {
      if (typeof chunk !== 'string') {
        // Bytes come in chunks of their own size: written as they are, after any text before them.
        if (pending) out.write(pending);
        pending = '';
        if (!out.write(chunk)) await once(out, 'drain');
        continue;
      }
      pending += chunk;
      if (pending.length >= 64 * 1024) {
        const ok = out.write(pending);
        pending = '';
        if (!ok) await once(out, 'drain'); // rejects on 'error' and removes its listeners
      }
    }
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
