/**
 * The command line as commander sees it: commands, flags, defaults (from src/defaults.ts) and
 * help text. Parsing values into typed options is cli/options.ts's job.
 */
import { Command, Option } from 'commander';
import { DEFAULTS } from '../defaults.js';
import { POLICY_DOCS } from '../classify/policies.js';
import { PROFILES } from '../suppression/profiles.js';
import { REPORT_FORMATS, type RawOptions } from './options.js';
import { FORMAT_IDS } from '../input/row.js';
import { DATE_ORDERS } from '../input/date-order.js';
import type { CliIo } from './main.js';
import { addSqlCommand, type SqlRaw } from './sql-command.js';

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
  $ bounce-audit sql --dialect bigquery --table mail.bounces   the same audit as SQL for a warehouse

Exit codes:
  0  no campaign's invalid-address rate is above --fail-above
  1  at least one campaign's invalid-address rate is above --fail-above
     (with --fail-on warn: above --warn-above; --fail-on unknown: a campaign's number sent
     is unknown; lead exports and cleaned lists without reasons: the bounce rate)
  2  usage error, unreadable or malformed input, no row that could be counted,
     unwritable output, or internal error
`;

const EXPLAIN_EXAMPLES = `
Examples:
  $ bounce-audit explain "554 delivery error: dd This user doesn't have a yahoo.com account" --email x@yahoo.com
  $ bounce-audit explain "Unfortunately, messages from [192.0.2.10] weren't sent ... block list (S3150)" --status 550
  $ bounce-audit explain "The email account that you tried to reach is disabled. - gsmtp" --status "550 5.2.1" --json
`;

/** What commander hands over for `explain`. */
export interface ExplainRaw {
  status?: string;
  email?: string;
  command?: string;
  json?: boolean;
  color?: boolean;
  [policy: string]: unknown;
}

function addPolicyOptions(cmd: Command): void {
  // One flag per policy for the genuinely ambiguous replies; docs/classification.md explains each default.
  for (const doc of Object.values(POLICY_DOCS)) {
    // The values are checked by cli/options.ts, which can suggest the one meant.
    cmd.addOption(new Option(`${doc.flag} <bucket>`, `policy: bucket for ${doc.summary}: ${doc.choices.join(', ')} (default ${doc.default})`));
  }
}

const repeatable = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

export function buildProgram(
  io: CliIo,
  version: string,
  onAudit: (inputs: string[], raw: RawOptions) => Promise<void>,
  onExplain: (words: string[], raw: ExplainRaw) => Promise<void>,
  onSql: (raw: SqlRaw) => Promise<void>,
): Command {
  const program = new Command();
  program
    .name('bounce-audit')
    .description(
      'Audit a campaign bounce log: the invalid-address bounce rate per campaign against the warn/fail thresholds, ' +
        'a de-duplicated suppression CSV of addresses never to mail again, and an exit code for CI.',
    )
    .version(version, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('<file...>', 'bounce log CSV file(s); - reads standard input; several files are one audit')
    .option('-o, --out <path>', 'where to write the suppression CSV; - for standard output', DEFAULTS.out)
    .option('--no-out', 'do not write a suppression CSV')
    .option('--json', 'print the report as one JSON document on standard output (no colour, no spinner)')
    .option('--warn-above <percent>', "warn when a campaign's invalid-address rate is above this", String(DEFAULTS.warnAbovePercent))
    .option('--fail-above <percent>', "fail (exit 1) when a campaign's invalid-address rate is above this", String(DEFAULTS.failAbovePercent))
    .option('--min-sent <n>', 'campaigns with fewer messages sent are reported but never fail', String(DEFAULTS.minSent))
    .addOption(new Option('--sent <campaign=n>', 'messages sent, for logs that hold only bounces (repeatable; a bare n for one campaign)').argParser(repeatable))
    .option('--campaign <name>', 'campaign for rows without one (default: the file\'s base name; "stdin" for -)')
    .option('--email-column <name>', 'header of the recipient address column')
    .option('--status-column <name>', 'header of the status code column')
    .option('--diagnostic-column <name>', 'header of the reply/diagnostic text column')
    .option('--campaign-column <name>', 'header of the campaign column')
    .option('--date-column <name>', 'header of the bounce date column')
    .option('--input-format <format>', `read inputs as: auto (default), ${FORMAT_IDS.join(', ')}`)
    .option('--all-rows-bounced', 'every row of an input that does not say which rows bounced is a bounce (a bounce list without reasons)')
    .option('--date-order <order>', `how to read numeric dates such as 02/09/2025: ${DATE_ORDERS.join(', ')} (default: decided from each date column's values)`)
    .option('--encoding <name>', 'input text encoding: utf-8, utf-16le, utf-16be, windows-1252, latin1 (default: sniffed)')
    .option('--source-column <name>', 'header of the lead/list source column (implies --by source)')
    .option('--suppress-unverified', 'also suppress bounces with no reply text (a lead marked "Bounced", Mailchimp "cleaned")')
    .option('--profile <tool>', `suppression CSV shape: ${PROFILES.join(', ')}`, DEFAULTS.profile)
    .option('--merge <list.csv>', 'account-wide suppression list: merged with this run and updated in place (created if missing)')
    .option('--clean <leads.csv>', 'write the lead list without the suppressed addresses (this run and --merge)')
    .option('--clean-out <path>', 'where --clean writes (default: <leads>.clean.csv)')
    .option('--rows-out <path>', 'write every input row with its codes, bucket and reason')
    .option('--lock-wait <seconds>', `how long to wait for another run merging into the same --merge list (default ${DEFAULTS.lockWaitSeconds}; 0 = do not wait)`)
    .option('--explain', "with --rows-out: add each row's rule source, guard and recommended action")
    .addOption(new Option('--by <what>', 'breakdowns: domain (receiver groups), source (lead/list source); repeatable or comma-separated').argParser(repeatable))
    .option('--threads <n>', `threads for reading a large CSV file (default: CPU cores, at most ${DEFAULTS.maxThreads}; 1 = one thread)`)
    .option('--format <format>', `report on standard output: ${REPORT_FORMATS.join(', ')} (default ${DEFAULTS.format}; md is Markdown)`)
    .option('--fail-on <levels>', 'verdicts that exit 1, comma-separated: fail (always), warn, unknown (a campaign whose number sent is unknown)', DEFAULTS.failOn)
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
      outputError: (s, write) => write(`bounce-audit: ${s}`),
    })
    .action(async (inputs: string[], raw: RawOptions) => onAudit(inputs, raw));
  // Subcommands inherit exitOverride and output settings only when created after them.
  const explainCmd = program
    .command('explain')
    .description('show how one bounce reply is read: codes, receiver, the deciding rule and its source, bucket, reason, action')
    .argument('[reply...]', 'the reply text, quoted (several arguments are joined with spaces)')
    .option('--status <code>', 'the status column value, e.g. "550" or "5.1.1"')
    .option('--email <address>', 'the recipient, so receiver-specific rules apply')
    .option('--command <smtp-command>', 'the SMTP command that was refused (RCPT, DATA, …)')
    .option('--json', 'print the explanation as JSON')
    .option('--no-color', 'no colour')
    .helpOption('-h, --help', 'show this help and exit')
    .addHelpText('after', EXPLAIN_EXAMPLES)
    .action((words: string[], raw: ExplainRaw) => onExplain(words, raw));
  addPolicyOptions(explainCmd);
  addSqlCommand(program, onSql);
  // `bounce-audit help` and `bounce-audit help explain`, as with git and npm.
  program.helpCommand('help [command]', 'show help for bounce-audit, or for one of its commands');
  return program;
}
