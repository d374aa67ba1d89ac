/**
 * Worker thread of a split audit (parallel/split.ts): reads the header bytes followed by one part of
 * the file, counts its rows into a Tally, and posts the tally (or the error) back.
 */
import { openChunks } from '../input/file-chunks.js';
import { parentPort, workerData } from 'node:worker_threads';
import { openInput } from '../input/open-input.js';
import { repairUtf8 } from '../input/decode.js';
import { Tally } from '../count/tally.js';
import { profileLine } from '../suppression/profiles.js';
import type { PartResult, WorkerInput } from './split.js';
import { errorToData } from '../errors.js';

const PROGRESS_EVERY = 50_000;
const d = workerData as WorkerInput;
const post = (m: PartResult | { type: 'progress'; read: number }): void => parentPort!.postMessage(m);

async function* partStream(): AsyncGenerator<Buffer> {
  yield Buffer.from(d.header);
  yield* await openChunks(d.path, d.start);
}

/** Count this worker's part; the tally's columns are transferred, not copied. */
async function countPart(): Promise<void> {
  const opened = await openInput(partStream(), d.file, d.input);
  // Offsets in this worker's stream: the header bytes, then the file from `start`.
  if (d.stop >= 0 && !opened.csv?.stopAt(d.header.length + (d.stop - d.start))) {
    post({ type: 'too-short' });
    return;
  }
  const tally = new Tally(d.tally);
  let next = PROGRESS_EVERY;
  for await (const batch of opened.batches) {
    for (const item of batch) tally.add(item, d.file, d.defaultCampaign, d.statusOnly, false);
    if (tally.read >= next) {
      post({ type: 'progress', read: tally.read });
      next = tally.read + PROGRESS_EVERY;
    }
  }
  const data = tally.toData(d.profile !== null ? profileLine(d.profile) : undefined);
  const { ints, nums, campaigns, lines } = data.slots;
  const moved = [ints.buffer, nums.buffer, campaigns.buffer, ...(lines ? [...lines.chunks.map((c) => c.buffer), lines.ends.buffer] : [])] as ArrayBuffer[];
  // The header bytes were decoded by this thread too: count the part's own bytes only.
  const header = { invalidBytes: 0, multiByte: false };
  repairUtf8(Buffer.from(d.header), header);
  const decoding = { invalidBytes: opened.decoding.invalidBytes - header.invalidBytes, multiByte: opened.decoding.multiByte };
  parentPort!.postMessage({ type: 'done', data, stop: opened.csv?.stopState() ?? null, decoding } satisfies PartResult, moved);
}

try {
  await countPart();
} catch (err) {
  post({ type: 'error', error: errorToData(err) });
}
