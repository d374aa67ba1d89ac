/**
 * Splitting one large CSV input between threads.
 *
 * Why: on a 2-core machine the single-threaded audit of a 1 M-row log took about twice as long
 * as a two-threaded DuckDB query over the same file (docs/design.md). The work per row
 * is independent; only the counting must come together, and the tallies merge exactly
 * (src/count/tally.ts).
 *
 * How, without reading the file twice: the file's data is cut into N parts at guessed row
 * starts (src/input/csv-reader.ts, guessRowStart). This thread reads part 0 with the existing
 * reader; workers read parts 1…N-1, each from its guessed start, each preceded by the header
 * bytes so it is parsed as the same format. A guess is only trusted when the reader of the part
 * before it stops exactly on it: that reader knows the true quote state, and every line start
 * outside quotes passes its stop check. When a guess was wrong (a quoted field spans it), the
 * part before reads on to the end of the file and the later parts are discarded, so the result
 * is the sequential result either way. Line numbers of a part become the file's by adding the
 * line at which the part before stopped.
 *
 * Not split (read sequentially): standard input, non-CSV formats, transcoded encodings (UTF-16,
 * a forced single-byte encoding), runs with per-row observers (--rows-out, --by, --merge), small
 * files. UTF-8 input is decoded byte by byte where it is not valid (input/decode.ts), the same
 * whatever the cut, so each part's decoding is the sequential one; the parts' counts of invalid
 * bytes are added up.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { guessRowStart, type StopState } from '../input/csv-reader.js';
import type { OpenedInput, OpenInputOptions } from '../input/open-input.js';
import { addDecodeCounts } from '../input/decode.js';
import { errorFromData, type ErrorData } from '../errors.js';
import { Tally, type TallyData, type TallyOptions } from '../count/tally.js';
import type { Profile } from '../suppression/profiles.js';

/** Young-generation size of each split worker, in MB: smaller than the main thread's default. */
const WORKER_YOUNG_MB = 8;
const SPLIT_WORKER_URL = new URL('./split-worker.js', import.meta.url);

/** Parts smaller than this are not worth a thread (start-up is ~0.1 s). */
export const DEFAULT_PART_MIN_BYTES = 8 * 1024 * 1024;
/** This thread's part is (1 + MAIN_EXTRA_SHARE) times a worker's: see the cut points below. */
const MAIN_EXTRA_SHARE = 0.2;
/** Bytes read around each cut to guess a row start. */
const WINDOW_BYTES = 1024 * 1024;

export interface SplitOptions {
  /** Threads to use, this one included; 1 disables splitting. */
  threads: number;
  /** Smallest part worth a thread. */
  partMinBytes: number;
  /**
   * Profile of the suppression CSV that will be written, so workers render their addresses'
   * lines while this thread still reads (see SuppressionList.exportSlots); null: none is written.
   */
  profile?: Profile | null;
}

/** What a worker is given. */
export interface WorkerInput {
  path: string;
  file: string;
  /** File bytes before the first data row (BOM and header row). */
  header: Uint8Array;
  start: number;
  /** File offset at which the next part starts, or -1 for the last part. */
  stop: number;
  input: OpenInputOptions;
  tally: TallyOptions;
  defaultCampaign: string;
  statusOnly: boolean;
  profile: Profile | null;
}

export type PartResult =
  | { type: 'done'; data: TallyData; stop: StopState | null; decoding: { invalidBytes: number; multiByte: boolean } }
  /** The part ends before the reader's first look-ahead does: it cannot be read on its own. */
  | { type: 'too-short' }
  | { type: 'error'; error: ErrorData };

export type SplitOutcome =
  /** Not split; nothing was read past what `opened` had already read. */
  | { kind: 'skip' }
  /** Every row of the input is in `tally`. */
  | { kind: 'done'; tally: Tally; parts: number }
  /** A part could not be read on its own: read the input again, sequentially. */
  | { kind: 'redo' };

export async function auditSplit(args: {
  path: string;
  file: string;
  size: number;
  opened: OpenedInput;
  split: SplitOptions;
  input: OpenInputOptions;
  tally: TallyOptions;
  defaultCampaign: string;
  /** Rows read so far in this input, all threads together. */
  onProgress?: (rows: number) => void;
  progressEvery: number;
}): Promise<SplitOutcome> {
  const { opened, split } = args;
  const csv = opened.csv;
  const d = opened.decoding;
  const utf8 = d.detectedBy === 'invalid-utf8' || d.encoding === 'utf-8';
  if (csv === null || split.threads < 2 || !utf8) return { kind: 'skip' };
  const dataStart = csv.dataStart;
  const dataBytes = args.size - dataStart.byte;
  const parts = Math.min(split.threads, Math.floor(dataBytes / Math.max(1, split.partMinBytes)));
  if (parts < 2) return { kind: 'skip' };

  // Cut points: a guessed row start near each 1/N of the data, this thread's part a little larger
  // because workers start later and post their tallies back at the end (~0.1 s each way).
  const cuts: number[] = [];
  const fh = await open(args.path, 'r');
  let header: Buffer;
  try {
    header = Buffer.alloc(dataStart.byte);
    await fh.read(header, 0, header.length, 0);
    const window = Buffer.alloc(WINDOW_BYTES);
    for (let k = 1; k < parts; k++) {
      const at = dataStart.byte + Math.floor(((k + MAIN_EXTRA_SHARE) * dataBytes) / (parts + MAIN_EXTRA_SHARE));
      const { bytesRead } = await fh.read(window, 0, WINDOW_BYTES, at);
      const g = guessRowStart(window.subarray(0, bytesRead), opened.delimiter, csv.width);
      if (g >= 0 && (cuts.length === 0 || at + g > cuts[cuts.length - 1]!)) cuts.push(at + g);
    }
  } finally {
    await fh.close();
  }
  if (cuts.length === 0 || !csv.stopAt(cuts[0]!)) return { kind: 'skip' };

  const progress = new Array<number>(cuts.length + 1).fill(0);
  const report = (): void => args.onProgress?.(progress.reduce((a, b) => a + b, 0));
  const workers: Worker[] = [];
  const results = cuts.map((start, i) => {
    const data: WorkerInput = {
      path: args.path,
      file: args.file,
      header,
      start,
      stop: cuts[i + 1] ?? -1,
      input: args.input,
      tally: args.tally,
      defaultCampaign: args.defaultCampaign,
      statusOnly: opened.statusOnly,
      profile: split.profile ?? null,
    };
    const w = new Worker(SPLIT_WORKER_URL, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    workers.push(w);
    return new Promise<PartResult>((resolve) => {
      let settled = false;
      const settle = (r: PartResult): void => {
        if (!settled) resolve(r);
        settled = true;
      };
      w.on('message', (m: PartResult | { type: 'progress'; read: number }) => {
        if (m.type === 'progress') {
          progress[i + 1] = m.read;
          report();
        } else settle(m);
      });
      // A worker that dies (out of memory, an uncaught error in its start-up) is a bug, not bad input.
      w.on('error', (err) => settle({ type: 'error', error: { kind: 'internal', message: err.message, ...(err.stack ? { stack: err.stack } : {}) } }));
      w.on('exit', (code) => settle({ type: 'error', error: { kind: 'internal', message: `the worker thread exited (code ${code}) without a result` } }));
    });
  });
  const stopAll = (): void => {
    for (const w of workers) void w.terminate();
  };

  try {
    // Part 0, on this thread.
    const tally = new Tally(args.tally);
    for await (const batch of opened.batches) {
      for (const item of batch) {
        tally.add(item, args.file, args.defaultCampaign, opened.statusOnly, false);
        if (tally.read % args.progressEvery === 0) {
          progress[0] = tally.read;
          report();
        }
      }
    }
    let stop: StopState | null = csv.stopState();
    // Not exact: part 0 read on to the end of the file (a quoted field spanned the cut).
    if (stop === null || !stop.exact) return { kind: 'done', tally, parts: 1 };
    let merged = 1;

    for (let k = 0; k < results.length; k++) {
      const r = await results[k]!;
      // Line numbers in part k+1 count from the header's end; the file's count from where part k stopped.
      const shift: number = stop.line - dataStart.line;
      if (r.type === 'error') throw errorFromData(r.error, shift);
      if (r.type === 'too-short') return { kind: 'redo' };
      tally.merge(r.data, shift, args.file);
      addDecodeCounts(opened.decoding, r.decoding);
      merged++;
      if (k === results.length - 1) break;
      if (r.stop === null || !r.stop.exact) break; // this part read on to the end
      stop = { exact: true, line: r.stop.line + shift };
    }
    return { kind: 'done', tally, parts: merged };
  } finally {
    stopAll();
  }
}
