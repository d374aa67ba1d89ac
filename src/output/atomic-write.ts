/**
 * Writing an output file without ever losing or half-writing the one it replaces.
 *
 * A regular file (or a path that does not exist yet) is written to a temp file in the folder of
 * the file it replaces, synced to disk, and renamed over it only when every output of the run
 * is staged (outputs.ts commits them together): a reader sees the old file or the new one, never
 * a part, and a failed run leaves every previous file as it was. The new file keeps the old
 * one's permissions (and owner, where the process may set it). A symlink is followed: its target
 * is replaced and the link keeps pointing at it. A file with other hard links is replaced too
 * (the other names keep the previous version; the run says so), because writing it in place
 * would not be atomic. A read-only file is refused, not replaced.
 *
 * A named pipe, a character device or a shell's `>(cmd)` is written in place, streaming: it
 * cannot be staged, and replacing it would take the pipe away from its reader (or, as root,
 * turn /dev/null into a regular file). See output/in-place-sink.ts.
 */
import { closeSync, constants, fchmodSync, fchownSync, fstatSync, openSync, readdirSync, rmSync, statSync, write as writeCb, fsync as fsyncCb, close as closeCb } from 'node:fs';
import { access, lstat, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { OutputError, describeFsError } from '../errors.js';

/** Temp files currently being written, so a signal handler can remove them. */
export const pendingTempFiles = new Set<string>();

/** What the run has made visible so far (paths as the user gave them), for an interrupted run's message. */
export const writtenOutputs: string[] = [];

/** Longest file name most file systems allow, in bytes. */
const NAME_MAX = 255;
const TEMP_SUFFIX = '.bounce-audit.tmp';
/** `.<name>.<pid>.<8 hex>.bounce-audit.tmp`: ours, and whose pid wrote it. */
const TEMP_NAME = /^\.(.*)\.(\d{1,10})\.[0-9a-f]{8}\.bounce-audit\.tmp$/s;

/**
 * `name` cut to at most `bytes` bytes of UTF-8, never inside a character. Temp and lock names
 * add a prefix and a suffix to the target's name, and must still fit the file-name limit.
 */
export function fitName(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  let out = '';
  let n = 0;
  for (const ch of name) {
    const b = Buffer.byteLength(ch);
    if (n + b > bytes) break;
    out += ch;
    n += b;
  }
  return out;
}

export function tempPathFor(target: string): string {
  const abs = resolve(target);
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
  return join(dirname(abs), `.${fitName(basename(abs), NAME_MAX - 1 - Buffer.byteLength(suffix))}${suffix}`);
}

/** Whether process `pid` is running on this machine. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files of a dead run count as stale only after this long, in case the folder is shared with another machine. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Remove temp files left next to `target` by runs that were killed (SIGKILL, a power cut), which
 * no handler could clean up: only names this tool makes for this target, only when the process
 * that wrote one is no longer running here, and only when it has not been written to for an
 * hour (a run on another machine sharing the folder has a pid that means nothing here).
 */
export function removeStaleTemps(target: string): void {
  const dir = dirname(target);
  const prefix = fitName(basename(target), 60);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (m === null || !m[1]!.startsWith(prefix) || Number(m[2]) === process.pid || isAlive(Number(m[2]))) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile() && now - st.mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** What a path names as an output. */
export interface OutputTarget {
  /** The path as the user gave it (for messages). */
  path: string;
  /** The file written: the path, or what its symlinks point to, absolute. */
  real: string;
  /** `file`: a regular file or a new one, replaced atomically; `special`: a pipe or device, written in place. */
  kind: 'file' | 'special';
  /** The existing file's status, or null when it does not exist yet. */
  existing: Stats | null;
  /** The file's device and inode, or its real path when it does not exist yet: what two paths share when they are one file. */
  identity: string;
  /** Something the user should know about writing it (hard links), or null. */
  warning: string | null;
}

/** Follow `path`'s symlinks, also to a target that does not exist yet (as a shell's `>` does). */
async function followLinks(path: string): Promise<string> {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = await lstat(p);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // A link to a file not there yet: its folder may hold links too.
      return join(await realpath(dirname(p)), basename(p));
    }
    if (!st.isSymbolicLink()) return realpath(p);
    p = resolve(dirname(p), await readlink(p));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/**
 * Resolve an output path before anything is read: where it will be written, and how. Fails with
 * an OutputError naming the fix when it cannot be written: a folder, a missing or unwritable
 * folder, a read-only file, a socket.
 */
export async function resolveTarget(path: string, what: string): Promise<OutputTarget> {
  const fail = (why: string): OutputError => new OutputError(`cannot write the ${what} to ${path}: ${why}`);
  let real: string;
  let existing: Stats | null = null;
  try {
    // stat follows every link, the kernel's own too (/dev/fd/63 of a shell's >(cmd) names a pipe).
    existing = await stat(path);
    real = existing.isFile() ? await realpath(path) : resolve(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(describeFsError(err));
    try {
      real = await followLinks(path);
    } catch (e) {
      throw fail(describeFsError(e));
    }
  }
  if (existing?.isDirectory()) throw fail('it is a directory');
  if (existing !== null && (existing.isFIFO() || existing.isCharacterDevice())) {
    return { path, real, kind: 'special', existing, identity: `${existing.dev}:${existing.ino}`, warning: null };
  }
  if (existing !== null && !existing.isFile()) throw fail('it is not a regular file, a named pipe or a character device');
  if (existing !== null) {
    if ((existing.mode & 0o222) === 0) {
      throw fail(`it is read-only (mode ${(existing.mode & 0o777).toString(8).padStart(4, '0')}); make it writable (chmod u+w) if it should be replaced`);
    }
    try {
      await access(real, constants.W_OK);
    } catch (err) {
      throw fail(describeFsError(err));
    }
  }
  try {
    await access(dirname(real), constants.W_OK);
  } catch (err) {
    throw fail(`folder ${dirname(real)}: ${describeFsError(err)}`);
  }
  const warning =
    existing !== null && existing.nlink > 1
      ? `${path} has ${existing.nlink} hard links: it is replaced by a new file, so its other names keep the previous version ` +
        '(writing it in place instead could leave it half-written)'
      : null;
  return { path, real, kind: 'file', existing, identity: existing !== null ? `${existing.dev}:${existing.ino}` : real, warning };
}

const writeFd = (fd: number, data: Uint8Array): Promise<number> =>
  new Promise((res, rej) => writeCb(fd, data, 0, data.length, null, (err, n) => (err ? rej(err) : res(n))));
const fsyncFd = (fd: number): Promise<void> => new Promise((res, rej) => fsyncCb(fd, (err) => (err ? rej(err) : res())));
const closeFd = (fd: number): Promise<void> => new Promise((res, rej) => closeCb(fd, (err) => (err ? rej(err) : res())));

/** Write all of `data` at the descriptor's position (a write may take only part of it). */
export async function writeAll(fd: number, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await writeFd(fd, off === 0 ? data : data.subarray(off));
}

/** Sync a folder, so a rename in it survives a crash (where the platform allows it). */
export async function syncFolder(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Some platforms and file systems cannot sync a folder; the rename itself has happened.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Strings are gathered into writes of about this many characters. */
const BATCH_CHARS = 64 * 1024;

/** One output being written; `finish` makes it complete and durable, `commit` makes it visible. */
export interface OutputSink {
  readonly target: OutputTarget;
  /**
   * Append a chunk. Resolves once the chunk before it is written: at most one is in flight, so
   * a producer that reuses its buffers (output/byte-chunks.ts) may fill the previous one again.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Everything written and, for a staged file, synced to disk, not yet visible. */
  finish(): Promise<void>;
  /** Make it visible (rename into place); nothing for an output written in place. */
  commit(): Promise<void>;
  /** Remove what was staged; stop writing in place. */
  discard(): Promise<void>;
}

/**
 * A staged regular file: a temp file in the target's folder, with the target's mode (and owner
 * where permitted), renamed over the target by commit().
 */
export class StagedFile implements OutputSink {
  private readonly tmp: string;
  private fd: number;
  private pending = '';
  private tail: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  private committed = false;

  constructor(
    readonly target: OutputTarget,
    private readonly what: string,
  ) {
    removeStaleTemps(target.real);
    this.tmp = tempPathFor(target.real);
    const mode = target.existing !== null ? target.existing.mode & 0o777 : 0o666;
    // Opened synchronously, so the file comes into being in the same tick as its entry in
    // pendingTempFiles: a signal handler runs between ticks and can never miss a temp file that
    // exists (an asynchronous open could complete after the handler's cleanup).
    pendingTempFiles.add(this.tmp);
    try {
      this.fd = openSync(this.tmp, 'wx', mode);
    } catch (err) {
      pendingTempFiles.delete(this.tmp);
      throw this.error(err);
    }
    const existing = target.existing;
    if (existing !== null) {
      // The umask narrowed the mode at creation: set it exactly. The owner only where permitted.
      try {
        fchmodSync(this.fd, mode);
        const st = fstatSync(this.fd);
        if (st.uid !== existing.uid || st.gid !== existing.gid) fchownSync(this.fd, existing.uid, existing.gid);
      } catch {
        // Not the owner's to give away: the file is ours, with the old file's permissions.
      }
    }
  }

  private error(err: unknown): OutputError {
    return err instanceof OutputError ? err : new OutputError(`cannot write the ${this.what} to ${this.target.path}: ${describeFsError(err)}`);
  }

  private enqueue(data: Uint8Array): Promise<void> {
    const prev = this.tail;
    this.tail = prev.then(() => writeAll(this.fd, data));
    // Failures are reported where the tail is awaited.
    this.tail.catch((err: unknown) => (this.failed ??= err));
    return prev.catch(() => undefined);
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    if (typeof chunk === 'string') {
      this.pending += chunk;
      if (this.pending.length < BATCH_CHARS) return;
      const text = this.pending;
      this.pending = '';
      await this.enqueue(Buffer.from(text, 'utf8'));
    } else {
      if (this.pending !== '') {
        const text = this.pending;
        this.pending = '';
        void this.enqueue(Buffer.from(text, 'utf8'));
      }
      await this.enqueue(chunk);
    }
    if (this.failed) throw this.error(this.failed);
  }

  async finish(): Promise<void> {
    try {
      if (this.pending !== '') void this.enqueue(Buffer.from(this.pending, 'utf8'));
      this.pending = '';
      await this.tail;
      if (this.failed) throw this.failed;
      await fsyncFd(this.fd);
    } catch (err) {
      throw this.error(err);
    }
  }

  async commit(): Promise<void> {
    try {
      await closeFd(this.fd);
      this.fd = -1;
      await rename(this.tmp, this.target.real);
    } catch (err) {
      throw this.error(err);
    }
    this.committed = true;
    pendingTempFiles.delete(this.tmp);
    writtenOutputs.push(this.target.path);
    await syncFolder(dirname(this.target.real));
  }

  async discard(): Promise<void> {
    if (this.committed) return;
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Closed already.
      }
      this.fd = -1;
    }
    await rm(this.tmp, { force: true }).catch(() => undefined);
    pendingTempFiles.delete(this.tmp);
  }
}

/** Write every chunk to `sink`; errors from `chunks` (a malformed input) pass through as they are. */
export async function pump(sink: OutputSink, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  for await (const chunk of chunks) await sink.write(chunk);
  await sink.finish();
}

/** Write `chunks` to `target` atomically on its own (tests and single-file writers). */
export async function writeAtomic(target: string, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, what: string): Promise<void> {
  const sink = new StagedFile(await resolveTarget(target, what), what);
  try {
    await pump(sink, chunks);
    await sink.commit();
  } catch (err) {
    await sink.discard();
    throw err;
  }
}
