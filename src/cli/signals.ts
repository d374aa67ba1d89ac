/**
 * What the process does when it is interrupted or its standard streams fail: remove the temp
 * files being written, release the --merge list's lock, say in one line what was and was not
 * written, and exit with the conventional code.
 */
import { closeSync, constants, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { pendingTempFiles, writtenOutputs } from '../output/atomic-write.js';
import { openingPipes } from '../output/in-place-sink.js';
import { heldLocks, releaseLock } from '../output/list-lock.js';
import { EXIT } from '../errors.js';

/** The audit's exit code once it is known, for an exit before the run returns (a closed pipe). */
let verdictExitCode: number | null = null;

/** Record the audit's exit code as soon as the audit has answered. */
export function recordExitCode(code: number): void {
  verdictExitCode = code;
}

/** Input paths of the run, so an interrupt can end a read that waits on an idle named pipe. */
const inputPaths: string[] = [];

/** A run starts: its input paths, and no exit code yet (tests run several in one process). */
export function watchInputs(paths: readonly string[]): void {
  verdictExitCode = null;
  inputPaths.length = 0;
  for (const p of paths) if (p !== '-') inputPaths.push(p);
}

function releaseAll(): void {
  for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
  for (const [path, token] of heldLocks) releaseLock(path, token);
}

/**
 * A file read or a pipe opened in Node's thread pool blocks its thread until data comes, and the
 * process joins those threads on exit: without this, an interrupt while an input pipe is idle
 * (or an output pipe has no reader yet) would print its message and then hang. Opening the other
 * end without blocking lets a waiting open go on; one byte written into an input pipe ends a
 * waiting read. The process exits right after, so neither is ever read or written by it.
 */
function letBlockedPipesGo(): void {
  for (const p of inputPaths) {
    try {
      if (!statSync(p).isFIFO()) continue;
      const fd = openSync(p, constants.O_WRONLY | constants.O_NONBLOCK);
      try {
        writeSync(fd, '\n');
      } finally {
        closeSync(fd);
      }
    } catch {
      // No reader (the input is read already) or a full pipe: nothing waits on it.
    }
  }
  for (const p of openingPipes) {
    try {
      closeSync(openSync(p, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch {
      // Opened meanwhile.
    }
  }
}

/** What an interrupted run wrote: never "nothing" when something was. */
function whatWasWritten(): string {
  if (writtenOutputs.length === 0) return 'no output was written';
  return `already written: ${writtenOutputs.join(', ')}; no other output was written`;
}

/** Ctrl-C or SIGTERM: remove temp files, release locks, and exit 130 / 143 (128 + the signal's number) at once. */
export function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    releaseAll();
    process.stderr.write(`\nbounce-audit: interrupted (${signal}); ${whatWasWritten()}\n`);
    letBlockedPipesGo();
    process.exit(code);
  };
  process.once('SIGINT', onSignal('SIGINT', 130));
  process.once('SIGTERM', onSignal('SIGTERM', 143));
}

/**
 * A closed pipe downstream (`… -o - | head -1`) is the reader's choice, not an error: exit quietly
 * with the audit's exit code (a failing gate stays failing). Any other failure of a standard
 * stream: one line if stderr still works, exit 2, no stack trace.
 */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      releaseAll();
      if (err.code === 'EPIPE') process.exit(verdictExitCode ?? process.exitCode ?? EXIT.ok);
      if (stream !== process.stderr) process.stderr.write(`bounce-audit: error: cannot write to standard output: ${err.message}\n`);
      process.exit(EXIT.error);
    });
  }
}
