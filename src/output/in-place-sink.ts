/**
 * An output that is not a regular file — a named pipe, a shell's `>(cmd)`, a character device —
 * written in place, streaming, as `>` in a shell would. It cannot be staged: the reader sees the
 * bytes as they are written, so it is written after the files are committed (outputs.ts).
 *
 * A pipe is written through a non-blocking socket handle, not the thread pool: a write that
 * waits for a slow reader then never holds a thread the process must join when it exits on
 * Ctrl-C. Opening a pipe waits for its reader; the signal handler can end that wait
 * (cli/signals.ts, through `openingPipes`). A reader that closes the pipe early (`>(head -1)`)
 * ends the output quietly, as a closed standard output does.
 */
import { close as closeCb, constants, open as openCb } from 'node:fs';
import { Socket } from 'node:net';
import { once } from 'node:events';
import { OutputError, describeFsError } from '../errors.js';
import { StagedFile, writeAll, writtenOutputs, type OutputSink, type OutputTarget } from './atomic-write.js';

/** Named pipes whose open is waiting for a reader, so a signal handler can let it go on. */
export const openingPipes = new Set<string>();

const openFd = (path: string, flags: number): Promise<number> => new Promise((res, rej) => openCb(path, flags, (err, fd) => (err ? rej(err) : res(fd))));

const BATCH_CHARS = 64 * 1024;

export class InPlaceSink implements OutputSink {
  private socket: Socket | null = null;
  private fd = -1;
  private pending = '';
  private closed = false;
  private started = false;

  private constructor(
    readonly target: OutputTarget,
    private readonly what: string,
  ) {}

  static async open(target: OutputTarget, what: string): Promise<InPlaceSink> {
    const sink = new InPlaceSink(target, what);
    const pipe = target.existing?.isFIFO() === true;
    if (pipe) openingPipes.add(target.real);
    let fd: number;
    try {
      // Not O_CREAT or O_TRUNC: the pipe or device is there, and is not ours to create or truncate.
      fd = await openFd(target.real, constants.O_WRONLY);
    } catch (err) {
      throw sink.error(err);
    } finally {
      openingPipes.delete(target.real);
    }
    if (pipe) {
      const socket = new Socket({ fd, readable: false, writable: true });
      socket.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') sink.closed = true;
      });
      sink.socket = socket;
    } else {
      sink.fd = fd;
    }
    return sink;
  }

  private error(err: unknown): OutputError {
    return new OutputError(`cannot write the ${this.what} to ${this.target.path}: ${describeFsError(err)}`);
  }

  /** The output counts as written from its first write on (for an interrupted run's message). */
  private markStarted(): void {
    if (this.started) return;
    this.started = true;
    writtenOutputs.push(this.target.path);
  }

  private async send(data: Uint8Array): Promise<void> {
    if (this.closed) return;
    const socket = this.socket;
    if (socket !== null) {
      this.markStarted();
      if (socket.write(data)) return;
      if (socket.destroyed) {
        if (this.closed) return;
        throw this.error(socket.errored);
      }
      await Promise.race([once(socket, 'drain'), once(socket, 'close')]);
      return;
    }
    try {
      await writeAll(this.fd, data);
      this.markStarted();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') this.closed = true;
      else throw this.error(err);
    }
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (typeof chunk === 'string') {
      this.pending += chunk;
      if (this.pending.length < BATCH_CHARS) return;
      const text = this.pending;
      this.pending = '';
      return this.send(Buffer.from(text, 'utf8'));
    }
    if (this.pending !== '') {
      const text = this.pending;
      this.pending = '';
      await this.send(Buffer.from(text, 'utf8'));
    }
    // A copy: the producer may fill the chunk's buffer again while the socket still holds it.
    return this.send(this.socket !== null ? Buffer.from(chunk) : chunk);
  }

  async finish(): Promise<void> {
    if (this.pending !== '') await this.send(Buffer.from(this.pending, 'utf8'));
    this.pending = '';
    const socket = this.socket;
    if (socket !== null) {
      if (!socket.destroyed) {
        socket.end();
        await Promise.race([once(socket, 'finish'), once(socket, 'close')]).catch(() => undefined);
      }
      socket.destroy();
    } else if (this.fd >= 0) {
      closeCb(this.fd, () => undefined);
      this.fd = -1;
    }
  }

  async commit(): Promise<void> {
    // Written in place: visible as it was written.
  }

  async discard(): Promise<void> {
    this.socket?.destroy();
    if (this.fd >= 0) {
      closeCb(this.fd, () => undefined);
      this.fd = -1;
    }
  }
}

/** The sink for a resolved output: staged for a file, in place for a pipe or device. */
export async function openSink(target: OutputTarget, what: string): Promise<OutputSink> {
  return target.kind === 'special' ? InPlaceSink.open(target, what) : new StagedFile(target, what);
}
