/**
 * What the process does when it is interrupted or its standard streams fail: remove the temp
 * files being written, say so in one line, and exit with the conventional code.
 */
import { rmSync } from 'node:fs';
import { pendingTempFiles } from '../output/atomic-write.js';
import { EXIT } from '../errors.js';

function removeTempFiles(): void {
  for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
}

/** Ctrl-C or SIGTERM: remove temp files and exit 130 / 143 (128 + the signal's number). */
export function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    removeTempFiles();
    process.stderr.write(`\nbounce-audit: interrupted (${signal}); no output was written\n`);
    process.exit(code);
  };
  process.once('SIGINT', onSignal('SIGINT', 130));
  process.once('SIGTERM', onSignal('SIGTERM', 143));
}

/**
 * A closed pipe downstream (`… -o - | head -1`) is the reader's choice, not an error: exit quietly
 * with the code the run has so far. Any other failure of a standard stream: one line if stderr
 * still works, exit 2, no stack trace.
 */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      removeTempFiles();
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (stream !== process.stderr) process.stderr.write(`bounce-audit: error: cannot write to standard output: ${err.message}\n`);
      process.exit(EXIT.error);
    });
  }
}
