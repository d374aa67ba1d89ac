/**
 * A file's bytes as chunks read into a few buffers used in turn, instead of a new buffer per
 * chunk as a read stream allocates: giving the process fresh pages is most of what reading a
 * large file costs otherwise (docs/design.md).
 *
 * The contract: a chunk stays valid until RING - 1 more chunks have been asked for (one is
 * read ahead while the caller works). The readers this feeds copy what they keep: the CSV
 * reader copies each chunk on arrival, the decoder copies a carried partial character, the
 * head peekers copy the head.
 */
import { close, open, read } from 'node:fs';
import { promisify } from 'node:util';

const CHUNK_BYTES = 256 * 1024;
const RING = 4;

const openFd = promisify(open);
const readFd = (fd: number, buf: Buffer, position: number | null): Promise<number> =>
  new Promise((res, rej) => read(fd, buf, 0, buf.length, position, (err, n) => (err ? rej(err) : res(n))));

/** Open `path` for fileChunks: open errors (missing, permissions) surface here, not on the first read. */
export async function openChunks(path: string, start?: number): Promise<AsyncGenerator<Buffer>> {
  return fileChunks(await openFd(path, 'r'), start);
}

/**
 * Chunks of file descriptor `fd` from byte `start`, or from where it stands when `start` is not
 * given (which also reads pipes, such as a shell's `<(…)`). The descriptor is closed at the end,
 * or when the consumer stops early and returns the generator (a plain descriptor, not a
 * FileHandle: one left to the garbage collector would print a warning).
 */
async function* fileChunks(fd: number, start?: number): AsyncGenerator<Buffer> {
  const bufs = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(CHUNK_BYTES));
  let k = 0;
  let pos = start ?? 0;
  const at = (): number | null => (start === undefined ? null : pos);
  let ahead = readFd(fd, bufs[0]!, at());
  try {
    for (;;) {
      const bytesRead = await ahead;
      if (bytesRead === 0) return;
      const chunk = bufs[k]!.subarray(0, bytesRead);
      pos += bytesRead;
      k = (k + 1) % RING;
      ahead = readFd(fd, bufs[k]!, at());
      yield chunk;
    }
  } finally {
    await ahead.catch(() => undefined);
    // Closed before the generator returns, so a caller that stops early knows the file is closed.
    await new Promise<void>((r) => close(fd, () => r()));
  }
}
