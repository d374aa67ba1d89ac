/**
 * A named pipe (mkfifo) that a test writes into at its own pace: the CLI reading it blocks until
 * the test writes more or closes it, so a test can hold the CLI at a known point (mid-input,
 * mid-output) and act there, instead of hoping to catch it there in time.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

export interface NamedPipe {
  readonly path: string;
  /** Resolves once the reader has taken all but what the pipe's buffer holds. */
  write(text: string): Promise<void>;
  /** Close the writing end: the reader sees the end of its input. */
  end(): Promise<void>;
  /** Close and remove the pipe, whether or not a reader ever opened it. */
  dispose(): Promise<void>;
}

export function namedPipe(path: string): NamedPipe {
  const made = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr}`);
  // Opening the writing end completes only when a reader opens the other end.
  const handle: Promise<FileHandle> = open(path, 'w');
  let opened = false;
  let closed = false;
  void handle.then(() => (opened = true), () => undefined);
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await (await handle).close();
  };
  return {
    path,
    async write(text) {
      await (await handle).writeFile(text);
    },
    end: close,
    async dispose() {
      // A reader that never came leaves our open pending: opening the reading end ourselves,
      // without waiting for a writer, lets it complete so it can be closed.
      if (!opened) closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
      await close().catch(() => undefined);
      rmSync(path, { force: true });
    },
  };
}
