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
