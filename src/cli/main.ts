/**
 * The one impure edge: argv, env, TTY state, stdout/stderr and the exit code. Everything
 * else is called with plain values and returns plain values.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';
import { resolveOptions, resolvePolicyFlags, type CliOptions, type RawOptions } from './options.js';
import { runAudit, type AuditResult } from '../audit.js';
import { BounceAuditError, EXIT } from '../errors.js';
import { checkWritable, pendingTempFiles, writeAtomic } from '../output/atomic-write.js';
import { renderJson, type OutputInfo } from '../report/json.js';
import { prepareExtras, type Extras } from '../outputs.js';
import { profileHeader, profileLine } from '../suppression/profiles.js';
import { appendFile } from 'node:fs/promises';
import type { SuppressionEntry } from '../suppression/list.js';
import { rmSync } from 'node:fs';
import { POLICY_DOCS } from '../classify/policies.js';
import { availableParallelism } from 'node:os';
import { DEFAULT_PART_MIN_BYTES } from '../parallel/split.js';
import { releaseWarmWorker } from '../parallel/prewarm.js';

/** Default --threads ceiling: past 4 parts, merging and memory grow faster than the time saved. */
const DEFAULT_MAX_THREADS = 4;

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

const EXAMPLES = `
Examples:
  $ bounce-audit campaign.csv                       report in the terminal, suppression.csv written
  $ bounce-audit q3.csv --json > report.json        machine-readable report for CI
  $ cat q3.csv | bounce-audit - -o - | crm-import   suppression CSV on stdout, report on stderr
  $ bounce-audit bounces.csv --sent 12000           a log of bounces only: say how many were sent
  $ bounce-audit a.csv b.csv --sent "Q3 launch=5000" --sent "Q3 follow-up=4200"
  $ bounce-audit export.csv --email-column "Recipient Address" --fail-above 3
  $ bounce-audit postmark-bounces.csv --sent 8000   a platform export: its format is detected
  $ bounce-audit ses-bounces.jsonl --profile hubspot -o hubspot-suppress.csv
  $ bounce-audit q3.csv --merge all-suppressed.csv --clean next-leads.csv
  $ bounce-audit q3.csv --by domain,source --format md > report.md
  $ bounce-audit explain "550 5.7.1 ... part of their network is on our block list (S3150)"

Exit codes:
  0  no campaign's invalid-address rate is above --fail-above
  1  at least one campaign's invalid-address rate is above --fail-above
     (with --fail-on warn: above --warn-above; status-only lead exports: the bounce rate)
  2  usage error, unreadable or malformed input, unwritable output, or internal error
`;

const EXPLAIN_EXAMPLES = `
Examples:
  $ bounce-audit explain "554 delivery error: dd This user doesn't have a yahoo.com account" --email x@yahoo.com
  $ bounce-audit explain "Unfortunately, messages from [192.0.2.10] weren't sent ... block list (S3150)" --status 550
  $ bounce-audit explain "The email account that you tried to reach is disabled. - gsmtp" --status "550 5.2.1" --json
`;

interface ExplainRaw {
  status?: string;
  email?: string;
  command?: string;
  json?: boolean;
  color?: boolean;
  [policy: string]: unknown;
}

function addPolicyOptions(cmd: Command): void {
  // One flag per policy for the genuinely ambiguous replies; the README explains each default.
  for (const doc of Object.values(POLICY_DOCS)) {
    cmd.addOption(
      new Option(`${doc.flag} <bucket>`, `policy: bucket for ${doc.summary} (default ${doc.default})`).choices([...doc.choices] as string[]),
    );
  }
}

function buildProgram(
  io: CliIo,
  onAudit: (inputs: string[], raw: RawOptions) => Promise<void>,
  onExplain: (words: string[], raw: ExplainRaw) => Promise<void>,
): Command {
  const program = new Command();
  program
    .name('bounce-audit')
    .description(
      'Audit a campaign bounce log: the invalid-address bounce rate per campaign against the warn/fail thresholds, ' +
        'a de-duplicated suppression CSV of addresses never to mail again, and an exit code for CI.',
    )
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('<file...>', 'bounce log CSV file(s); - reads standard input; several files are one audit')
    .option('-o, --out <path>', 'where to write the suppression CSV; - for standard output', 'suppression.csv')
    .option('--no-out', 'do not write a suppression CSV')
    .option('--json', 'print the report as one JSON document on standard output (no colour, no spinner)')
    .option('--warn-above <percent>', 'warn when a campaign\'s invalid-address rate is above this', '2')
    .option('--fail-above <percent>', 'fail (exit 1) when a campaign\'s invalid-address rate is above this', '5')
    .option('--min-sent <n>', 'campaigns with fewer messages sent are reported but never fail', '100')
    .addOption(
      new Option('--sent <campaign=n>', 'messages sent, for logs that hold only bounces (repeatable; a bare n for one campaign)')
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option('--campaign <name>', 'campaign for rows without one (default: the file\'s base name; "stdin" for -)')
    .option('--email-column <name>', 'header of the recipient address column')
    .option('--status-column <name>', 'header of the status code column')
    .option('--diagnostic-column <name>', 'header of the reply/diagnostic text column')
    .option('--campaign-column <name>', 'header of the campaign column')
    .option('--date-column <name>', 'header of the bounce date column')
    .option('--input-format <format>', 'read inputs as: auto (default), generic, mailgun, sendgrid, postmark, ses, jsonl, mailchimp, hubspot, brevo, sequencer, postfix')
    .option('--encoding <name>', 'input text encoding: utf-8, utf-16le, utf-16be, windows-1252, latin1 (default: sniffed)')
    .option('--source-column <name>', 'header of the lead/list source column (implies --by source)')
    .option('--suppress-unverified', 'also suppress bounces with no reply text (a lead marked "Bounced", Mailchimp "cleaned")')
    .option('--profile <tool>', 'suppression CSV shape: generic, hubspot, klaviyo, mailgun, instantly, smartlead, plain', 'generic')
    .option('--merge <list.csv>', 'account-wide suppression list: merged with this run and updated in place (created if missing)')
    .option('--clean <leads.csv>', 'write the lead list without the suppressed addresses (this run and --merge)')
    .option('--clean-out <path>', 'where --clean writes (default: <leads>.clean.csv)')
    .option('--rows-out <path>', 'write every input row with its codes, bucket and reason')
    .option('--explain', 'with --rows-out: add each row\'s rule source, guard and recommended action')
    .addOption(
      new Option('--by <what>', 'breakdowns: domain (receiver groups), source (lead/list source); repeatable or comma-separated')
        .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]),
    )
    .option('--threads <n>', 'threads for reading a large CSV file (default: CPU cores, at most 4; 1 = one thread)')
    .option('--format <format>', 'report on standard output: human (default), json, md (Markdown)')
    .option('--fail-on <level>', 'lowest verdict that exits 1: fail (default) or warn', 'fail')
    .option('-q, --quiet', 'print no report (errors still go to standard error)')
    .option('--no-color', 'no colour (also when NO_COLOR is set or the output is not a terminal)')
    .option('--debug', 'print stack traces of internal errors')
    .addHelpText('after', EXAMPLES);
  addPolicyOptions(program);
  program
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`bounce-audit: ${s.replace(/^error: /, 'error: ')}`),
    })
    .action(async (inputs: string[], raw: RawOptions) => onAudit(inputs, raw));
  // Subcommands inherit exitOverride and output settings only when created after them.
  const explainCmd = program
    .command('explain')
    .description('show how one bounce reply is read: codes, receiver, the deciding rule and its source, bucket, reason, action')
    .argument('<reply...>', 'the reply text, quoted (several arguments are joined with spaces)')
    .option('--status <code>', 'the status column value, e.g. "550" or "5.1.1"')
    .option('--email <address>', 'the recipient, so receiver-specific rules apply')
    .option('--command <smtp-command>', 'the SMTP command that was refused (RCPT, DATA, …)')
    .option('--json', 'print the explanation as JSON')
    .option('--no-color', 'no colour')
    .helpOption('-h, --help', 'show this help and exit')
    .addHelpText('after', EXPLAIN_EXAMPLES)
    .action((words: string[], raw: ExplainRaw) => onExplain(words, raw));
  addPolicyOptions(explainCmd);
  return program;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  let debug = io.argv.includes('--debug');
  let spinner: Ora | null = null;
  try {
    const program = buildProgram(io, async (inputs, raw) => {
      const opts = resolveOptions(inputs, raw);
      debug = opts.debug;
      exitCode = await audit(opts, io, (s) => (spinner = s));
    }, async (words, raw) => {
      exitCode = await explainCommand(words, raw, io);
    });
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (err) {
    (spinner as Ora | null)?.stop();
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return EXIT.ok;
      }
      io.stderr.write(`(run bounce-audit --help for usage)\n`);
      return EXIT.error;
    }
    if (err instanceof BounceAuditError) {
      io.stderr.write(`bounce-audit: error: ${err.format()}\n`);
      if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`bounce-audit: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT.error;
  }
  return exitCode;
}

/**
 * chalk, loaded on first use: ~25 ms of start-up on the machines CI runs on, which a --json or
 * --format md run, the usual CI step, does not need. The report renderers, `explain` and the
 * --merge/--clean code are loaded where they are used, for the same reason.
 */
const loadChalk = (): Promise<typeof import('chalk')> => import('chalk');

async function colorLevel(stream: NodeJS.WriteStream, opts: CliOptions, env: NodeJS.ProcessEnv, isStderr: boolean): Promise<0 | 1 | 2 | 3> {
  if (opts.noColor || opts.json || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return 0;
  const { supportsColor, supportsColorStderr } = await loadChalk();
  const detected = (isStderr ? supportsColorStderr : supportsColor) || null;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return detected ? detected.level : 1;
  if (!stream.isTTY) return 0;
  return detected ? detected.level : 1;
}

async function audit(opts: CliOptions, io: CliIo, setSpinner: (s: Ora) => void): Promise<number> {
  // Fail before reading a large input when the output cannot be written.
  if (opts.out !== null && opts.out !== '-') await checkWritable(opts.out, 'suppression CSV');
  const extras: Extras = await prepareExtras(opts, opts.out);

  const reportStream = opts.out === '-' ? io.stderr : io.stdout;
  // A terminal that reports no width (a pty opened by `script`, some CI runners) makes a
  // redrawing spinner clear lines without end: no spinner there.
  const showSpinner =
    !opts.json &&
    !opts.quiet &&
    io.stderr.isTTY === true &&
    (io.stderr.columns ?? 0) > 0 &&
    io.env.CI !== 'true' &&
    (await colorLevel(io.stderr, opts, io.env, true)) > 0;
  // ora (and the terminal-width code it brings) is loaded only for a terminal: ~80 ms of start-up
  // that CI runs and pipes do not need.
  const spinner = showSpinner ? (await import('ora')).default({ text: 'Reading bounce log…', stream: io.stderr, discardStdin: false }) : null;
  if (spinner) {
    setSpinner(spinner);
    spinner.start();
  }

  let result: AuditResult;
  try {
    result = await runAudit({
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
      onRow: extras.onRow,
      split: {
        threads: opts.threads ?? Math.min(availableParallelism(), DEFAULT_MAX_THREADS),
        // Test knob: lets the tests split the small fixtures the way a large log is split.
        partMinBytes: Number(io.env.BOUNCE_AUDIT_PART_MIN_BYTES) > 0 ? Number(io.env.BOUNCE_AUDIT_PART_MIN_BYTES) : DEFAULT_PART_MIN_BYTES,
        profile: opts.out !== null ? opts.profile : null,
      },
    });
  } catch (err) {
    await extras.abort();
    throw err;
  } finally {
    spinner?.stop();
    releaseWarmWorker();
  }
  const finished = await extras.finish(result, opts.thresholds);

  const failing = opts.failOn === 'warn' ? ['fail', 'warn'] : ['fail'];
  const exitCode = result.campaigns.some((c) => failing.includes(c.status)) ? EXIT.fail : EXIT.ok;
  const info: OutputInfo = { suppressionPath: opts.out, version: VERSION, thresholds: opts.thresholds, exitCode, extras: finished.report };

  const csv = (): Iterable<string | Uint8Array> =>
    finished.entries !== null ? suppressionCsv(finished.entries, opts.profile) : result.suppression.csvChunks(profileLine(opts.profile), profileHeader(opts.profile));
  if (opts.out === '-') {
    await writeStream(io.stdout, csv());
  } else if (opts.out !== null) {
    await writeAtomic(opts.out, csv(), 'suppression CSV');
  }

  if (io.env.GITHUB_ACTIONS === 'true') await github(result, info, finished.entries?.length ?? result.suppression.size, io);

  if (opts.format === 'json') io.stdout.write(renderJson(result, info));
  else if (opts.format === 'md') io.stdout.write((await import('../report/markdown.js')).renderMarkdown(result, info, finished.report));
  else if (!opts.quiet) {
    const chalk: ChalkInstance = new (await loadChalk()).Chalk({ level: await colorLevel(reportStream, opts, io.env, reportStream === io.stderr) });
    const [{ renderHuman }, { renderHumanExtras }] = await Promise.all([import('../report/human.js'), import('../report/human-extras.js')]);
    reportStream.write(renderHuman(result, info, chalk) + renderHumanExtras(result, finished.report, chalk));
  }
  return exitCode;
}

/**
 * In GitHub Actions: the Markdown report appended to the step summary, one annotation per
 * failing/warning campaign (on stderr — the runner reads workflow commands from both streams,
 * and stdout may carry JSON), and the outputs for later steps.
 */
async function github(result: AuditResult, info: OutputInfo, suppressed: number, io: CliIo): Promise<void> {
  const summary = io.env.GITHUB_STEP_SUMMARY;
  const output = io.env.GITHUB_OUTPUT;
  const { githubAnnotations, githubOutputs } = await import('../report/github.js');
  try {
    if (summary) await appendFile(summary, `${(await import('../report/markdown.js')).renderMarkdown(result, info, info.extras)}\n`);
    if (output) await appendFile(output, githubOutputs(result, suppressed));
  } catch (err) {
    io.stderr.write(`bounce-audit: warning: could not write the GitHub step summary or outputs: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  for (const line of githubAnnotations(result, info)) io.stderr.write(`${line}\n`);
}

/** `bounce-audit explain`: one reply in, its reading out. Always exit 0: it answers, it does not judge. */
async function explainCommand(words: string[], raw: ExplainRaw, io: CliIo): Promise<number> {
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
    const noColor = raw.color === false || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '');
    const color = !noColor && (io.stdout.isTTY === true || (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0'));
    io.stdout.write(renderExplain(e, new (await loadChalk()).Chalk({ level: color ? 1 : 0 })));
  }
  return EXIT.ok;
}

/** The suppression CSV in the chosen profile, as text chunks of ~1,000 records (header first, sorted by email). */
function* suppressionCsv(entries: readonly SuppressionEntry[], profile: CliOptions['profile']): Generator<string> {
  const line = profileLine(profile);
  let chunk = profileHeader(profile);
  for (let i = 0; i < entries.length; i++) {
    chunk += line(entries[i]!);
    if (i % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

async function writeStream(stream: NodeJS.WriteStream, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> {
  for await (const chunk of chunks) {
    // A copy of bytes: their buffer may be filled anew once the next chunk is asked for.
    if (!stream.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk))) await new Promise<void>((r) => stream.once('drain', () => r()));
  }
}

/** Remove temp files on Ctrl-C or SIGTERM, and exit with the conventional 128+signal code. */
function installSignalHandlers(): void {
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
    process.stderr.write(`\nbounce-audit: interrupted (${signal}); no output was written\n`);
    process.exit(code);
  };
  process.once('SIGINT', onSignal('SIGINT', 130));
  process.once('SIGTERM', onSignal('SIGTERM', 143));
}

/** Entry point used by bin/bounce-audit.js. */
export async function run(): Promise<void> {
  installSignalHandlers();
  // A closed pipe downstream (`… -o - | head -1`) is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      for (const tmp of pendingTempFiles) rmSync(tmp, { force: true });
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      // Any other failure of a standard stream: one line if stderr still works, exit 2, no stack.
      if (stream !== process.stderr) process.stderr.write(`bounce-audit: error: cannot write to standard output: ${err.message}\n`);
      process.exit(EXIT.error);
    });
  }
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
