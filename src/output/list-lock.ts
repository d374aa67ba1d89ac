/**
 * The lock on an account-wide list's read-modify-write (`--merge`): two runs merging into one
 * list at once would each read it, add their own addresses and rename their version into place,
 * and the later rename would drop the earlier run's addresses.
 *
 * A lock file beside the list, `.<list>.bounce-audit.lock`, created with O_EXCL (one process
 * can create it; on NFS too since v3), holding the holder's pid, host and start time. A run that
 * finds it waits, polling, up to a bound, and says so on stderr once; then it fails naming the
 * holder and the lock file. While it holds the lock, a run touches the file every few seconds.
 *
 * A lock is stale when its holder can no longer release it: a pid on this host that is not
 * running (a SIGKILLed run), or a lock not touched for a minute (a holder on another host, or
 * whose pid was reused). Breaking one happens under a second, short-lived lock file, and only
 * after reading the lock again and finding the same one, so two waiters that both found the
 * lock stale cannot each remove the other's fresh lock.
 *
 * Why not proper-lockfile: the same scheme (mkdir, mtime updates) in a library without a release
 * since 2021 and with three dependencies; this one file also knows the pid, which makes a
 * SIGKILLed holder's lock stale at once instead of after the staleness delay.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { OutputError, describeFsError } from '../errors.js';
import { fitName, isAlive } from './atomic-write.js';

interface LockInfo {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Tells this holder's lock from a later one by the same pid. */
  token: string;
}

/** Locks this process holds (lock path → token), so a signal handler can release them. */
export const heldLocks = new Map<string, string>();

/** A held lock not touched for this long is stale. */
const STALE_MS = 60_000;
/** How often a holder touches its lock. */
const TOUCH_MS = 5_000;
/** A breaker file older than this was left by a process killed while breaking a lock. */
const BREAKER_STALE_MS = 10_000;
const POLL_MS = 100;

export function lockPathFor(list: string): string {
  const suffix = '.bounce-audit.lock';
  // Room for the breaker's extra suffix too.
  return join(dirname(list), `.${fitName(basename(list), 255 - 1 - suffix.length - '.break'.length)}${suffix}`);
}

function readLock(path: string): { info: LockInfo | null; mtimeMs: number; ino: number } | null {
  try {
    const st = statSync(path);
    let info: LockInfo | null = null;
    try {
      info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    } catch {
      // Being written right now, or not ours: judged by its age alone.
    }
    return { info, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function isStale(lock: { info: LockInfo | null; mtimeMs: number }, now: number): boolean {
  if (lock.info !== null && lock.info.host === hostname() && lock.info.pid !== process.pid && !isAlive(lock.info.pid)) return true;
  return now - lock.mtimeMs > STALE_MS;
}

/** Remove `path` if it is still the stale lock `seen`, under the breaker lock. */
function breakStale(path: string, seen: { ino: number; info: LockInfo | null }): void {
  const breaker = `${path}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    try {
      if (Date.now() - statSync(breaker).mtimeMs > BREAKER_STALE_MS) unlinkSync(breaker);
    } catch {
      // Released meanwhile.
    }
    return;
  }
  try {
    const again = readLock(path);
    if (again !== null && again.ino === seen.ino && again.info?.token === seen.info?.token && isStale(again, Date.now())) unlinkSync(path);
  } finally {
    closeSync(fd);
    unlinkSync(breaker);
  }
}

function describe(info: LockInfo | null): string {
  return info === null ? 'another process' : `bounce-audit pid ${info.pid} on ${info.host}, since ${info.since}`;
}

export interface ListLock {
  release(): void;
}

/**
 * Take the lock on `list` (a real path), waiting up to `waitMs`; `onWait` is told once, with a
 * sentence for stderr, when the lock is held by another run.
 */
export async function lockList(list: string, shownAs: string, waitMs: number, onWait: (message: string) => void): Promise<ListLock> {
  const path = lockPathFor(list);
  const info: LockInfo = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + waitMs;
  let told = false;
  for (;;) {
    let fd: number | null = null;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OutputError(`cannot lock the --merge list ${shownAs} (lock file ${path}): ${describeFsError(err)}`);
      }
    }
    if (fd !== null) {
      // Recorded in the tick the file appears (see atomic-write.ts): a signal handler releases it.
      heldLocks.set(path, info.token);
      try {
        writeSync(fd, JSON.stringify(info));
      } finally {
        closeSync(fd);
      }
      const timer = setInterval(() => {
        try {
          const now = new Date();
          utimesSync(path, now, now);
        } catch {
          // Broken as stale by another run (this one was stopped for a minute): its merge still
          // checks that the list did not change under it before committing.
        }
      }, TOUCH_MS);
      timer.unref();
      return {
        release() {
          clearInterval(timer);
          releaseLock(path, info.token);
        },
      };
    }
    const held = readLock(path);
    if (held === null) continue;
    if (isStale(held, Date.now())) {
      breakStale(path, held);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OutputError(
        `the --merge list ${shownAs} is locked by ${describe(held.info)}, which did not finish within ${Math.round(waitMs / 1000)} s ` +
          `(--lock-wait). If no other run is merging into it, remove the lock file ${path}`,
      );
    }
    if (!told) {
      told = true;
      onWait(`waiting for ${describe(held.info)} to finish merging into ${shownAs} (up to ${Math.round(waitMs / 1000)} s, --lock-wait)`);
    }
    await sleep(POLL_MS);
  }
}

/** Remove the lock at `path` if it is still the one with `token` (never another run's). */
export function releaseLock(path: string, token: string): void {
  heldLocks.delete(path);
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    if (info.token === token) unlinkSync(path);
  } catch {
    // Gone already.
  }
}
