/**
 * The one impure edge: argv, env, TTY state, stdout/stderr and the exit code. It parses the
 * command line, runs the audit, writes the outputs and prints the report; everything it calls
 * takes plain values and returns plain values.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { CommanderError } from 'commander';
import type { Ora } from 'ora';
import { resolveOptions, resolvePolicyFlags, type CliOptions } from './options.js';
import { buildProgram, type ExplainRaw } from './program.js';
import { colorLevel, painter, startSpinner } from './terminal.js';
import { publishToGithub } from './github-actions.js';
import { guardStandardStreams, installSignalHandlers, recordExitCode, watchInputs } from './signals.js';
import { runAudit } from '../audit.js';
import { prepareOutputs } from '../outputs.js';
import { DEFAULTS } from '../defaults.js';
import { exitCodeFor } from '../count/verdict.js';
import { BounceAuditError, EXIT, UsageError } from '../errors.js';
import { DEFAULT_PART_MIN_BYTES } from '../parallel/split.js';
import type { Report } from '../report/report.js';
import { terminalText } from '../report/text.js';
import { writtenOutputs } from '../output/atomic-write.js';

export interface CliIo {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  let debug = io.argv.includes('--debug');
  let spinner: Ora | null = null;
  try {
    const program = buildProgram(
      io,
      VERSION,
      async (inputs, raw) => {
        const opts = resolveOptions(inputs, raw);
        debug = opts.debug;
        exitCode = await audit(opts, io, (s) => (spinner = s));
      },
      async (words, raw) => {
        exitCode = await explainCommand(words, raw, io);
      },
      async (raw) => {
        const [{ resolveSqlOptions }, { generateSql, generateDbt }] = await Promise.all([import('./sql-command.js'), import('../sql/generate.js')]);
        const cmd = resolveSqlOptions(raw);
        io.stdout.write(cmd.kind === 'dbt' ? generateDbt(cmd.policies, VERSION) : generateSql({ ...cmd.request, version: VERSION }));
        exitCode = EXIT.ok;
      },
    );
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (err) {
    (spinner as Ora | null)?.stop();
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      io.stderr.write(`(run bounce-audit ${io.argv[0] === 'explain' ? 'explain ' : ''}--help for usage)\n`);
      return EXIT.error;
    }
    if (err instanceof BounceAuditError) {
      io.stderr.write(`bounce-audit: error: ${terminalText(err.format())}\n`);
      // An output that failed after others were committed: say which ones are written.
      if (writtenOutputs.length > 0) io.stderr.write(`bounce-audit: already written: ${terminalText(writtenOutputs.join(', '))}\n`);
      if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(
      `bounce-audit: internal error: ${message}. This is a bug in bounce-audit; please report it${debug ? '' : ' (run with --debug for the stack trace)'}\n`,
    );
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT.error;
  }
  return exitCode;
}

async function audit(opts: CliOptions, io: CliIo, setSpinner: (s: Ora) => void): Promise<number> {
  watchInputs(opts.clean !== null ? [...opts.inputs, opts.clean] : opts.inputs);
  const outputs = await prepareOutputs(opts, (m) => io.stderr.write(`bounce-audit: ${terminalText(m)}\n`));
  const choice = { noColor: opts.noColor, machine: opts.format === 'json' };
  const spinner = opts.quiet || opts.format === 'json' ? null : await startSpinner(io.stderr, choice, io.env);
  if (spinner) setSpinner(spinner);

  let run: Awaited<ReturnType<typeof runAudit>>;
  try {
    run = await runAudit({
      inputs: opts.inputs,
      thresholds: opts.thresholds,
      sent: opts.sent,
      campaign: opts.campaign,
      columns: opts.columns,
      policies: opts.policies,
      stdin: io.stdin as AsyncIterable<Buffer>,
      onProgress: spinner ? (n) => (spinner.text = `Reading bounce log… ${n.toLocaleString('en-US')} rows`) : undefined,
      inputFormat: opts.inputFormat,
      encoding: opts.encoding,
      sourceColumn: opts.sourceColumn,
      suppressUnverified: opts.suppressUnverified,
      allRowsBounced: opts.allRowsBounced,
      dateOrder: opts.dateOrder,
      by: opts.by,
      onRow: outputs.onRow,
      split: {
        threads: opts.threads ?? Math.min(availableParallelism(), DEFAULTS.maxThreads),
        // Test knob: lets the tests split the small fixtures the way a large log is split.
        partMinBytes: Number(io.env.BOUNCE_AUDIT_PART_MIN_BYTES) > 0 ? Number(io.env.BOUNCE_AUDIT_PART_MIN_BYTES) : DEFAULT_PART_MIN_BYTES,
        profile: opts.out !== null ? opts.profile : null,
      },
    });
  } catch (err) {
    await outputs.abort();
    throw err;
  } finally {
    spinner?.stop();
  }
  const exitCode = exitCodeFor(run.result.campaigns.map((c) => c.status), opts.failOn);
  // Known before the outputs are written: a reader that closes standard output early keeps it.
  recordExitCode(exitCode);
  const written = await outputs.finish(run.list, io.stdout);
  const report: Report = {
    result: run.result,
    outputs: written,
    version: VERSION,
    thresholds: opts.thresholds,
    failOn: opts.failOn,
    exitCode,
  };

  if (io.env.GITHUB_ACTIONS === 'true') await publishToGithub(report, io.env, io.stderr);

  if (opts.format === 'json') io.stdout.write((await import('../report/json.js')).renderJson(report));
  else if (opts.format === 'md') io.stdout.write((await import('../report/markdown.js')).renderMarkdown(report));
  else if (!opts.quiet) {
    // With -o -, stdout carries the CSV and the report goes to stderr.
    const stream = opts.out === '-' ? io.stderr : io.stdout;
    const c = await painter(await colorLevel(stream, choice, io.env, stream === io.stderr));
    stream.write((await import('../report/human.js')).renderHuman(report, c));
  }
  return report.exitCode;
}

/** `bounce-audit explain`: one reply in, its reading out. Always exit 0: it answers, it does not judge. */
async function explainCommand(words: string[], raw: ExplainRaw, io: CliIo): Promise<number> {
  if (words.join('').trim() === '' && raw.status === undefined) {
    throw new UsageError('explain needs the reply text to read, quoted: bounce-audit explain "550 5.1.1 <a@example.com>: user unknown" (bounce-audit explain --help shows the options)');
  }
  const [{ explain }, { renderExplain }] = await Promise.all([import('../classify/explain.js'), import('../report/explain.js')]);
  const e = explain(words.join(' '), {
    ...(raw.status !== undefined ? { status: raw.status } : {}),
    ...(raw.email !== undefined ? { email: raw.email } : {}),
    ...(raw.command !== undefined ? { command: raw.command } : {}),
    policies: resolvePolicyFlags(raw),
  });
  if (raw.json) {
    io.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
  } else {
    const level = await colorLevel(io.stdout, { noColor: raw.color === false, machine: false }, io.env, false);
    io.stdout.write(renderExplain(e, await painter(level === 0 ? 0 : 1)));
  }
  return EXIT.ok;
}

/** Entry point used by bin/bounce-audit.js. */
export async function run(): Promise<void> {
  installSignalHandlers();
  guardStandardStreams();
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
