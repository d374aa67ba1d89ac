/** Writing to a stream without outrunning it: the one back-pressure rule every writer follows. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Write one chunk and, when the stream's buffer is full, wait until it drains. Rejects with the
 * stream's error when it fails meanwhile (a full disk, a closed pipe): `once` rejects on 'error',
 * and a stream that already failed never drains.
 */
export async function writeChunk(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (stream.write(chunk)) return;
  if (stream.errored) throw stream.errored;
  await once(stream, 'drain');
}
