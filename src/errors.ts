/**
 * Exit codes and the typed errors that carry them.
 *
 * 0 = no campaign above the fail threshold, 1 = at least one is, 2 = could not answer
 * (usage error, unreadable or malformed input, unwritable output, internal error).
 * "Answered, and it is bad" is a verdict (exit 1), never an exception.
 */
export const EXIT = { ok: 0, fail: 1, error: 2 } as const;

/** Where in an input file an error was found. Line and column are 1-based. */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

/** An error the user can act on: printed as one line, exit code 2, no stack trace unless --debug. */
export class BounceAuditError extends Error {
  readonly exitCode: number = EXIT.error;
  constructor(
    message: string,
    readonly location?: Location,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** `file:line:column: message`, the shape editors and CI logs make clickable. */
  format(): string {
    const loc = this.location;
    if (!loc) return this.message;
    const where = [loc.file, loc.line, loc.column].filter((p) => p !== undefined).join(':');
    return `${where}: ${this.message}`;
  }
}

/** Bad flags or arguments. */
export class UsageError extends BounceAuditError {}

/** An input that cannot be read or is not a bounce log. */
export class InputError extends BounceAuditError {}

/** An output that cannot be written. */
export class OutputError extends BounceAuditError {}

/** Describe a Node.js file-system error code in words a user understands. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** An error as plain data, for crossing from a worker thread to the main thread. */
export interface ErrorData {
  /** `internal` is anything that is not one of the tool's own errors: a bug. */
  kind: 'usage' | 'input' | 'output' | 'internal';
  message: string;
  location?: Location;
  stack?: string;
}

export function errorToData(err: unknown): ErrorData {
  const kind = err instanceof UsageError ? 'usage' : err instanceof InputError ? 'input' : err instanceof OutputError ? 'output' : 'internal';
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind, message: e.message, ...(err instanceof BounceAuditError && err.location ? { location: err.location } : {}), ...(e.stack ? { stack: e.stack } : {}) };
}

/**
 * The error a worker's data stands for, as this thread would have thrown it; `lineShift` turns
 * the worker's line numbers into the file's. An internal error stays an internal error (exit 2,
 * "please report"), never an input error and never a reason to read the file again.
 */
export function errorFromData(d: ErrorData, lineShift = 0): Error {
  const loc = d.location ? { ...d.location, ...(d.location.line !== undefined ? { line: d.location.line + lineShift } : {}) } : undefined;
  if (d.kind === 'internal') {
    const err = new Error(`in a worker thread: ${d.message}`);
    if (d.stack) err.stack = d.stack;
    return err;
  }
  const Ctor = d.kind === 'usage' ? UsageError : d.kind === 'output' ? OutputError : InputError;
  return new Ctor(d.message, loc);
}
