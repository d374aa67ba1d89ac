/**
 * A split worker started before the CLI's own modules load (bin/bounce-audit.js), so that on
 * a large file it is ready about when the main thread starts reading, instead of ~0.15 s later.
 * It waits for its part (src/split-worker.ts). When the audit does not split (a small file,
 * standard input, per-row outputs) it is ended unused; it never keeps the process alive.
 * Kept free of other imports: it runs before anything else is loaded.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** Young-generation size of each split worker, in MB (see src/split.ts). */
export const WORKER_YOUNG_MB = 8;

export const SPLIT_WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? '../../dist/parallel/split-worker.js' : './split-worker.js', import.meta.url);

let warm: Worker | null = null;
let warmExited = false;

/**
 * Start one split worker now when these arguments may audit a file on more than one thread:
 * not for --help, --version, `explain`, or --threads 1.
 */
export function prewarmSplitWorker(argv: readonly string[]): void {
  if (warm !== null || availableParallelism() < 2) return;
  if (argv[0] === 'explain') return;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h' || a === '--version' || a === '-V' || a === '--threads=1') return;
    if (a === '--threads' && argv[i + 1] === '1') return;
  }
  warm = new Worker(SPLIT_WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
  warm.unref();
  // A worker that failed to start is not handed out; src/split.ts then starts one itself.
  warm.on('error', () => undefined);
  warm.once('exit', () => (warmExited = true));
}

/** The started worker, once; null when none was started or it was already taken. */
export function takeWarmWorker(): Worker | null {
  const w = warmExited ? null : warm;
  warm = null;
  w?.ref();
  return w;
}

/** End the started worker if nothing took it. */
export function releaseWarmWorker(): void {
  void takeWarmWorker()?.terminate();
}
