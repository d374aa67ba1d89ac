/**
 * `bounce-audit sql`: the command line of the SQL generator (its flags and help) and the check of its
 * values into a request for src/sql/generate.ts. Pure apart from commander; cli/main.ts prints the result.
 */
import { Command, Option } from 'commander';
import { DEFAULTS } from '../defaults.js';
import { POLICY_DOCS } from '../classify/policies.js';
import { UsageError } from '../errors.js';
import { DIALECTS, type DialectId } from '../sql/dialects.js';
import { SQL_PARTS, type SqlPart, type SqlRequest } from '../sql/generate.js';
import { count, parseSent, percent, resolvePolicyFlags } from './options.js';

const SQL_EXAMPLES = `
Examples:
  $ bounce-audit sql --dialect duckdb > classify.sql               the function alone
  $ bounce-audit sql --dialect bigquery --table mail.bounces --campaign-column campaign_name \\
      --date-column event_time > audit.sql                       the audit of a table
  $ bounce-audit sql --dialect postgres --table bounces --sent "Q3 launch=5000" --part campaigns
  $ bounce-audit sql --dbt > macros/bounce_audit.sql               a dbt macro for every adapter

Column flags name the table's columns; "none" says the table has no such column.
See docs/warehouse.md for a worked example per engine.
`;

/** What commander hands over for `sql`. */
export interface SqlRaw {
  dialect?: string;
  table?: string;
  emailColumn?: string;
  statusColumn?: string;
  diagnosticColumn?: string;
  campaignColumn?: string;
  dateColumn?: string;
  commandColumn?: string;
  orderColumn?: string;
  campaign?: string;
  warnAbove?: string;
  failAbove?: string;
  minSent?: string;
  sent?: string[];
  schema?: string;
  part?: string;
  dbt?: boolean;
  [policy: string]: unknown;
}

/** What `sql` was asked for: the generator's request, or the dbt file. */
export type SqlCommand = { kind: 'script'; request: Omit<SqlRequest, 'version'> } | { kind: 'dbt'; policies: SqlRequest['policies'] };

const repeatable = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];

/** Add the `sql` subcommand to `program`; `onSql` runs it. */
export function addSqlCommand(program: Command, onSql: (raw: SqlRaw) => Promise<void>): Command {
  const cmd = program
    .command('sql')
    .description('print SQL that makes the same judgement in a warehouse: the classification function, and the audit of a table')
    .option('--dialect <engine>', `SQL for: ${DIALECTS.join(', ')}`)
    .option('--table <name>', 'the table (or view) to audit, e.g. analytics.bounces; without it only the function is printed')
    .option('--email-column <name>', 'column of the recipient address (default email)')
    .option('--status-column <name>', 'column of the status code (default status; none: the table has none)')
    .option('--diagnostic-column <name>', 'column of the reply text (default diagnostic; none: the table has none)')
    .option('--campaign-column <name>', 'column of the campaign (default: none, every row is one campaign)')
    .option('--date-column <name>', 'column of the bounce time, for the suppression list (default: none)')
    .option('--command-column <name>', 'column of the SMTP command that was refused, e.g. RCPT or DATA (default: none)')
    .option('--order-column <name>', 'column that orders the rows like the log file (a sequence or event id); breaks ties between bounces of one address')
    .option('--campaign <name>', 'campaign of rows without one (default: the table name)')
    .option('--warn-above <percent>', "warn when a campaign's invalid-address rate is above this", String(DEFAULTS.warnAbovePercent))
    .option('--fail-above <percent>', "fail when a campaign's invalid-address rate is above this", String(DEFAULTS.failAbovePercent))
    .option('--min-sent <n>', 'campaigns with fewer messages sent are low-volume, never failing', String(DEFAULTS.minSent))
    .addOption(new Option('--sent <campaign=n>', 'messages sent, for tables of bounces only (repeatable; a bare n for one campaign)').argParser(repeatable))
    .option('--schema <name>', 'create the function in this schema (BigQuery: dataset) instead of as a temporary function')
    .option('--part <part>', `print only one part: ${SQL_PARTS.join(', ')} (default all)`)
    .option('--dbt', 'print a dbt macro file with the classification for every adapter (duckdb, postgres, bigquery, snowflake, spark, databricks)')
    .helpOption('-h, --help', 'show this help and exit')
    .addHelpText('after', SQL_EXAMPLES);
  for (const doc of Object.values(POLICY_DOCS)) {
    cmd.addOption(new Option(`${doc.flag} <bucket>`, `policy: bucket for ${doc.summary} (default ${doc.default})`).choices([...doc.choices] as string[]));
  }
  cmd.action((raw: SqlRaw) => onSql(raw));
  return cmd;
}

function column(flag: string, raw: string | undefined, dflt: string | null): string | null {
  if (raw === undefined) return dflt;
  const s = raw.trim();
  if (s === '') throw new UsageError(`${flag} needs a column name (or none)`);
  return s.toLowerCase() === 'none' ? null : s;
}

/** Check the flags of `sql` into what to print. */
export function resolveSqlOptions(raw: SqlRaw): SqlCommand {
  const policies = resolvePolicyFlags(raw);
  if (raw.dbt === true) {
    const extra = (['dialect', 'table', 'part', 'schema'] as const).filter((k) => raw[k] !== undefined);
    if (extra.length) throw new UsageError(`--dbt prints the classification for every adapter; it takes no --${extra[0]} (the audit of a table needs --dialect)`);
    return { kind: 'dbt', policies };
  }
  if (raw.dialect === undefined) throw new UsageError(`sql needs --dialect: one of ${DIALECTS.join(', ')} (or --dbt)`);
  const dialect = raw.dialect.trim().toLowerCase();
  if (!(DIALECTS as readonly string[]).includes(dialect)) throw new UsageError(`--dialect "${raw.dialect}" is not one of ${DIALECTS.join(', ')}`);
  const part = (raw.part?.trim().toLowerCase() ?? 'all') as SqlPart;
  if (!SQL_PARTS.includes(part)) throw new UsageError(`--part "${raw.part}" is not one of ${SQL_PARTS.join(', ')}`);
  const schema = raw.schema === undefined ? null : raw.schema.trim();
  if (schema === '') throw new UsageError('--schema needs a name');
  const table = raw.table?.trim();
  if (table === '') throw new UsageError('--table needs a table name');
  const auditFlags = (['emailColumn', 'statusColumn', 'diagnosticColumn', 'campaignColumn', 'dateColumn', 'commandColumn', 'orderColumn', 'campaign', 'sent'] as const).filter(
    (k) => raw[k] !== undefined,
  );
  if (table === undefined) {
    if (auditFlags.length) throw new UsageError(`--${auditFlags[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} describes the audited table: give --table too`);
    if (part !== 'all' && part !== 'function') throw new UsageError(`--part ${part} is part of the audit of a table: give --table too`);
    return { kind: 'script', request: { dialect: dialect as DialectId, policies, schema, audit: null, part } };
  }
  const warnAbove = percent('--warn-above', raw.warnAbove, DEFAULTS.warnAbovePercent);
  const failAbove = percent('--fail-above', raw.failAbove, DEFAULTS.failAbovePercent);
  if (warnAbove > failAbove) throw new UsageError(`--warn-above (${warnAbove * 100}) must not be above --fail-above (${failAbove * 100})`);
  const minSent = raw.minSent === undefined ? DEFAULTS.minSent : count('--min-sent', raw.minSent, true);
  const columns = {
    email: column('--email-column', raw.emailColumn, 'email'),
    status: column('--status-column', raw.statusColumn, 'status'),
    diagnostic: column('--diagnostic-column', raw.diagnosticColumn, 'diagnostic'),
    campaign: column('--campaign-column', raw.campaignColumn, null),
    date: column('--date-column', raw.dateColumn, null),
    command: column('--command-column', raw.commandColumn, null),
    order: column('--order-column', raw.orderColumn, null),
  };
  if (columns.email === null) throw new UsageError('--email-column cannot be none: the audit counts addresses');
  if (columns.status === null && columns.diagnostic === null) throw new UsageError('--status-column and --diagnostic-column are both none: nothing says how a message ended');
  const campaign = raw.campaign?.trim() ?? table.split('.').pop()!.replace(/["`[\]]/g, '');
  if (campaign === '') throw new UsageError('--campaign needs a name');
  // A bare --sent needs exactly one campaign in the table, which only the query can see: it checks.
  const sent = parseSent(raw.sent ?? []);
  return {
    kind: 'script',
    request: {
      dialect: dialect as DialectId,
      policies,
      schema,
      part,
      audit: { table, columns: { ...columns, email: columns.email }, campaign, thresholds: { warnAbove, failAbove, minSent }, sent },
    },
  };
}
