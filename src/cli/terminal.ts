/**
 * Colour and progress on a terminal: colour only on a TTY (or FORCE_COLOR) and never with
 * NO_COLOR, --no-color or --json; a spinner only on an interactive standard error.
 * chalk and ora are loaded on first use: CI runs and pipes, the usual case, need neither.
 */
import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';

export interface ColorChoice {
  /** --no-color was given. */
  noColor: boolean;
  /** The output is machine-readable (--json): never coloured. */
  machine: boolean;
}

const isSet = (v: string | undefined): boolean => v !== undefined && v !== '';

/** The colour level (0 = none) for output written to `stream`. */
export async function colorLevel(stream: NodeJS.WriteStream, choice: ColorChoice, env: NodeJS.ProcessEnv, isStderr: boolean): Promise<0 | 1 | 2 | 3> {
  if (choice.noColor || choice.machine || isSet(env.NO_COLOR)) return 0;
  const { supportsColor, supportsColorStderr } = await import('chalk');
  const detected = (isStderr ? supportsColorStderr : supportsColor) || null;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return detected ? detected.level : 1;
  if (!stream.isTTY) return 0;
  return detected ? detected.level : 1;
}

/** A chalk instance at a level (0 for plain text). */
export async function painter(level: 0 | 1 | 2 | 3): Promise<ChalkInstance> {
  return new (await import('chalk')).Chalk({ level });
}

/**
 * A started spinner on standard error, or null where one does not belong: not a terminal, a
 * terminal that reports no width (a pty opened by `script`, some CI runners: a redrawing spinner
 * there clears lines without end), CI, or no colour.
 */
export async function startSpinner(stderr: NodeJS.WriteStream, choice: ColorChoice, env: NodeJS.ProcessEnv): Promise<Ora | null> {
  const show = stderr.isTTY === true && (stderr.columns ?? 0) > 0 && env.CI !== 'true' && (await colorLevel(stderr, choice, env, true)) > 0;
  if (!show) return null;
  const spinner = (await import('ora')).default({ text: 'Reading bounce log…', stream: stderr, discardStdin: false });
  spinner.start();
  return spinner;
}
