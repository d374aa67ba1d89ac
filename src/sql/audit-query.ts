/**
 * The audit as SQL over a table: every row read as the CLI reads it (rows without an address, or with
 * one that is not an address, are left out and counted), each distinct reply classified once (as the CLI's
 * cache does), then per campaign what count/campaigns.ts and count/verdict.ts decide (sent, the rates and
 * the verdict), and the suppression list with the generic profile's columns (suppression/list.ts: the
 * earliest bounce of an address decides its reason, codes and reply text; the latest its last date).
 *
 * The statements are: one that keeps the classified rows (`bounce_audit_rows`; in Postgres a few tables
 * before it, see asStages), then the per-campaign query, then the suppression list query.
 */
import { DIALECT, type Dialect, type DialectId } from './dialects.js';
import { PREFIX, asStages, compileSql } from './compile.js';
import { REPLY_PROGRAM, ROW_PREP_PROGRAM, policyConstants } from './row-program.js';
import { DATE_PROGRAM, ISO_PROGRAM } from './date-program.js';
import { NULL, ProgramBuilder, and, caseOf, concat, or, replace, str, test, truncate, type Program } from '../classify/program.js';
import { NOT_A_BOUNCE_TEXT } from '../input/csv-exports.js';
import { DEFAULT_INCIDENT_FACTOR, DEFAULT_INCIDENT_MIN_INVALID } from '../count/incidents.js';
import type { Policies } from '../classify/policies.js';
import type { Thresholds } from '../defaults.js';

/** Columns of the audited table, by role. Each is a column name, or null when the table has none. */
export interface AuditColumns {
  email: string;
  status: string | null;
  diagnostic: string | null;
  campaign: string | null;
  date: string | null;
  command: string | null;
  /** A column that orders the rows as the file the CLI would read (a load sequence, an event id). */
  order: string | null;
}

export interface AuditSqlOptions {
  dialect: DialectId;
  /** The table (or view) name, optionally qualified with dots; each part is quoted unless already quoted. */
  table: string;
  columns: AuditColumns;
  /** Campaign of rows without one (or of every row when there is no campaign column). */
  campaign: string;
  thresholds: Thresholds;
  /** --sent: messages sent per campaign, or one count for a single campaign. */
  sent: { byCampaign: ReadonlyMap<string, number>; bare: number | null };
  policies?: Partial<Policies>;
  /**
   * Postgres keeps 32 compiled regular expressions per session: the classification is cut into tables of
   * at most this many patterns each (see compile.ts asStages). Other engines compile each pattern once.
   */
  patternsPerStage?: number;
  /** Classify every row instead of each distinct reply (for the benchmark's comparison). */
  classifyEachRow?: boolean;
}

/** The name of the table the statements keep the classified rows in. */
export const ROWS_TABLE = 'bounce_audit_rows';

/** Each row's own values: address, masked reply, receiver of the domain, date, campaign name, reply shown. */
function buildRowAuditProgram(defaultCampaign: string): Program {
  const b = new ProgramBuilder('audit-row');
  const status = b.input('status');
  const diagnostic = b.input('diagnostic');
  const email = b.input('email');
  const date = b.input('date');
  const campaign = b.input('campaign');
  const prep = b.use(ROW_PREP_PROGRAM, { diagnostic, email }, 'row');
  // A row whose only text is an event word ("opened", "unsubscribed") is no bounce: the CLI's reader skips it
  // as not-a-bounce; here it gets no address, so nothing counts it, and the totals count it apart.
  const lone = caseOf([[test(status, /^$/), diagnostic]], status);
  const notBounce = b.let('not_a_bounce', and(or(test(status, /^$/), test(diagnostic, /^$/)), test(replace(lone, /^\s+|\s+$/, ''), NOT_A_BOUNCE_TEXT)));
  const when = b.use(DATE_PROGRAM, { text: date }, 'date');
  const name = b.let('campaign_trimmed', replace(campaign, /^\s+|\s+$/, ''));
  // The reply a suppression row shows: the diagnostic (or the status when there is none) on one line, at
  // most 300 characters (suppression/list.ts oneLine; a count above 255 is too many for Postgres).
  const shown = b.let('shown', replace(replace(caseOf([[test(diagnostic, /^$/), status]], diagnostic), /\s+/, ' '), /^ | $/, ''));
  return b.build({
    ...prep,
    address: caseOf([[notBounce, NULL]], prep.address!),
    missing_address: caseOf([[notBounce, str('not-a-bounce')]], prep.missing_address!),
    date_known: when.known!,
    date_ms: when.ms!,
    date_text: when.trimmed!,
    campaign: caseOf([[test(name, /^$/), str(defaultCampaign)]], name),
    diagnostic_shown: caseOf([[test(shown, /^(?:[\s\S]{100}){3}[\s\S]/), concat(truncate(shown, 299), str('\u2026'))]], shown),
  });
}

function tableName(d: Dialect, table: string): string {
  if (/["`\[]/.test(table)) return table;
  return table
    .split('.')
    .map((p) => d.ident(p))
    .join('.');
}

function columnText(d: Dialect, column: string | null): string {
  return column === null ? "''" : `COALESCE(CAST(${d.ident(column)} AS ${d.text}), '')`;
}

/** The statements that keep the classified rows in ROWS_TABLE. */
export function rowsSql(o: AuditSqlOptions): string {
  const d = DIALECT[o.dialect];
  const per = o.patternsPerStage ?? (o.dialect === 'postgres' ? 30 : Infinity);
  const pgStages = per !== Infinity;
  const c = o.columns;
  const statements: string[] = [];
  const ctes: string[] = [];
  const stage = (name: string, sql: string): void => {
    if (pgStages) statements.push(d.keep(name, sql));
    else ctes.push(`${name} AS (\n${sql}\n)`);
  };
  const opts = { patternColumns: pgStages };

  stage(
    `${PREFIX}source`,
    `SELECT ${columnText(d, c.email)} AS ${PREFIX}email, ${columnText(d, c.status)} AS ${PREFIX}status, ${columnText(d, c.diagnostic)} AS ${PREFIX}diagnostic, ` +
      `${columnText(d, c.campaign)} AS ${PREFIX}campaign_raw, ${columnText(d, c.date)} AS ${PREFIX}date_raw, ${columnText(d, c.command)} AS ${PREFIX}command` +
      `${c.order ? `, ${d.ident(c.order)} AS ${PREFIX}order` : ''} FROM ${tableName(d, o.table)}`,
  );
  const row = compileSql(buildRowAuditProgram(o.campaign), d, {}, opts);
  const rs = asStages(row, `${PREFIX}row`, `${PREFIX}source`, {
    status: `${PREFIX}status`,
    diagnostic: `${PREFIX}diagnostic`,
    email: `${PREFIX}email`,
    date: `${PREFIX}date_raw`,
    campaign: `${PREFIX}campaign_raw`,
  }, per);
  for (const s of rs.stages) stage(s.name, s.sql);
  const rowCols = (['address', 'missing_address', 'masked', 'recipient', 'receiver_key', 'date_known', 'date_ms', 'date_text', 'campaign', 'diagnostic_shown'] as const)
    .map((k) => `${rs.outputs[k]} AS ${PREFIX}${k}`)
    .join(', ');
  stage(`${PREFIX}row`, `SELECT ${PREFIX}status, ${PREFIX}command, ${c.order ? `${PREFIX}order, ` : ''}${rowCols} FROM ${rs.last}`);

  const verdictCols = ['outcome', 'bucket', 'reason', 'rule_id', 'receiver', 'basic_code', 'enhanced_code'] as const;
  const reply = compileSql(REPLY_PROGRAM, d, policyConstants(o.policies), opts);
  const keys = [`${PREFIX}status`, `${PREFIX}masked`, `${PREFIX}receiver_key`, `${PREFIX}command`];
  if (o.classifyEachRow) {
    const vs = asStages(reply, `${PREFIX}verdict`, `${PREFIX}row`, { status: `${PREFIX}status`, masked: `${PREFIX}masked`, email: `${PREFIX}recipient`, command: `${PREFIX}command` }, per);
    for (const s of vs.stages) stage(s.name, s.sql);
    const rowSelect = `SELECT ${vs.last}.*, ${verdictCols.map((k) => `CASE WHEN ${PREFIX}address IS NOT NULL THEN ${vs.outputs[k]} END AS ${PREFIX}${k}`).join(', ')} FROM ${vs.last}`;
    return finish(d, statements, ctes, rowSelect);
  }
  // Each distinct reply once: the verdict depends on the address only through the receiver its domain
  // names, so any address of the group stands for all.
  stage(`${PREFIX}reply`, `SELECT ${keys.join(', ')}, MIN(${PREFIX}address) AS ${PREFIX}recipient FROM ${PREFIX}row WHERE ${PREFIX}address IS NOT NULL GROUP BY ${keys.join(', ')}`);
  const vs = asStages(reply, `${PREFIX}verdict`, `${PREFIX}reply`, { status: `${PREFIX}status`, masked: `${PREFIX}masked`, email: `${PREFIX}recipient`, command: `${PREFIX}command` }, per);
  for (const s of vs.stages) stage(s.name, s.sql);
  stage(`${PREFIX}verdict`, `SELECT ${keys.join(', ')}, ${verdictCols.map((k) => `${vs.outputs[k]} AS ${PREFIX}${k}`).join(', ')} FROM ${vs.last}`);
  const rowSelect =
    `SELECT r.*, ${verdictCols.map((k) => `v.${PREFIX}${k}`).join(', ')} FROM ${PREFIX}row AS r LEFT JOIN ${PREFIX}verdict AS v ON r.${PREFIX}address IS NOT NULL AND ` +
    keys.map((k) => `r.${k} = v.${k}`).join(' AND ');
  return finish(d, statements, ctes, rowSelect);
}

function finish(d: Dialect, statements: string[], ctes: string[], rowSelect: string): string {
  const query = ctes.length ? `WITH ${ctes.join(',\n')}\n${rowSelect}` : rowSelect;
  // Rows without a usable address are kept too (with NULL verdicts) so that they can be counted.
  return [...statements, d.keep(ROWS_TABLE, query)].join('\n\n');
}

/** A double precision division (NULL when the divisor is 0 or NULL). */
function ratio(d: Dialect, a: string, b: string): string {
  return `CASE WHEN ${b} > 0 THEN CAST(${a} AS ${d.double}) / ${b} END`;
}

/** The verdict of count/verdict.ts: exactly the fail threshold is warn. */
function verdictSql(d: Dialect, t: Thresholds, rate: string, sent: string): string {
  const lit = (n: number): string => `CAST(${n} AS ${d.double})`;
  return (
    `CASE WHEN ${sent} IS NULL THEN 'unknown' WHEN ${sent} < ${t.minSent} OR ${rate} IS NULL THEN 'low-volume' ` +
    `WHEN ${rate} > ${lit(t.failAbove)} THEN 'fail' WHEN ${rate} > ${lit(t.warnAbove)} THEN 'warn' ELSE 'ok' END`
  );
}

/** Per campaign (in campaign order) and a last row for the totals (campaign NULL), as the JSON report's campaigns and totals. */
export function campaignsSql(o: AuditSqlOptions): string {
  const d = DIALECT[o.dialect];
  const t = o.thresholds;
  const rows = `${PREFIX}address IS NOT NULL`;
  const sentRows = [...o.sent.byCampaign].map(([name, n]) => `SELECT ${d.lit(name)} AS ${PREFIX}campaign, ${n} AS ${PREFIX}sent`);
  const counts =
    `SELECT ${PREFIX}campaign, COUNT(*) AS ${PREFIX}rows, ` +
    `SUM(CASE WHEN ${PREFIX}outcome = 'delivered' THEN 1 ELSE 0 END) AS ${PREFIX}delivered, ` +
    `SUM(CASE WHEN ${PREFIX}outcome = 'bounced' THEN 1 ELSE 0 END) AS ${PREFIX}bounced, ` +
    `SUM(CASE WHEN ${PREFIX}bucket = 'invalid-address' THEN 1 ELSE 0 END) AS ${PREFIX}invalid_address, ` +
    `SUM(CASE WHEN ${PREFIX}bucket = 'soft' THEN 1 ELSE 0 END) AS ${PREFIX}soft_bounce, ` +
    `SUM(CASE WHEN ${PREFIX}bucket = 'blocked' THEN 1 ELSE 0 END) AS ${PREFIX}blocked, ` +
    `SUM(CASE WHEN ${PREFIX}bucket = 'unclassified' THEN 1 ELSE 0 END) AS ${PREFIX}unclassified ` +
    `FROM ${ROWS_TABLE} WHERE ${rows} GROUP BY ${PREFIX}campaign`;
  // --sent: a named campaign must be in the table and may not have fewer messages than rows; a bare count
  // needs exactly one campaign (audit.ts resolveSent). A failed check stops the query with its message.
  const problems: string[] = [];
  for (const [name, n] of o.sent.byCampaign) {
    problems.push(
      `CASE WHEN NOT EXISTS (SELECT 1 FROM ${PREFIX}counts WHERE ${PREFIX}campaign = ${d.lit(name)}) THEN ${d.raise(d.lit(`--sent names campaign "${name}", which is not in the table`))} ` +
        `WHEN (SELECT ${PREFIX}rows FROM ${PREFIX}counts WHERE ${PREFIX}campaign = ${d.lit(name)}) > ${n} THEN ${d.raise(d.lit(`--sent ${name}=${n} is less than the rows the table holds for that campaign`))} END`,
    );
  }
  if (o.sent.bare !== null) {
    problems.push(
      `CASE WHEN (SELECT COUNT(*) FROM ${PREFIX}counts) <> 1 THEN ${d.raise(d.lit(`--sent ${o.sent.bare} without a campaign name needs a table with exactly one campaign: use --sent NAME=N`))} ` +
        `WHEN (SELECT MAX(${PREFIX}rows) FROM ${PREFIX}counts) > ${o.sent.bare} THEN ${d.raise(d.lit(`--sent ${o.sent.bare} is less than the rows the table holds`))} END`,
    );
  }
  const sent = o.sent.bare !== null ? `${o.sent.bare}` : `s.${PREFIX}sent`;
  const summary =
    `SELECT c.*, CASE WHEN ${sent} IS NOT NULL THEN ${sent} WHEN c.${PREFIX}delivered > 0 THEN c.${PREFIX}rows END AS ${PREFIX}sent, ` +
    `CASE WHEN ${sent} IS NOT NULL THEN 'flag' WHEN c.${PREFIX}delivered > 0 THEN 'rows' ELSE 'unknown' END AS ${PREFIX}sent_source ` +
    `FROM ${PREFIX}counts AS c${o.sent.bare === null ? ` LEFT JOIN ${PREFIX}sent_flag AS s ON s.${PREFIX}campaign = c.${PREFIX}campaign` : ''}`;
  const sentFlag = sentRows.length ? sentRows.join(' UNION ALL ') : `SELECT CAST(NULL AS ${d.text}) AS ${PREFIX}campaign, CAST(NULL AS ${d.bigint}) AS ${PREFIX}sent`;
  const totals =
    `SELECT CAST(NULL AS ${d.text}) AS ${PREFIX}campaign, SUM(${PREFIX}rows) AS ${PREFIX}rows, SUM(${PREFIX}delivered) AS ${PREFIX}delivered, SUM(${PREFIX}bounced) AS ${PREFIX}bounced, ` +
    `SUM(${PREFIX}invalid_address) AS ${PREFIX}invalid_address, SUM(${PREFIX}soft_bounce) AS ${PREFIX}soft_bounce, SUM(${PREFIX}blocked) AS ${PREFIX}blocked, SUM(${PREFIX}unclassified) AS ${PREFIX}unclassified, ` +
    // One campaign of unknown volume makes the total unknown: never guess a denominator.
    `CASE WHEN COUNT(*) > 0 AND COUNT(${PREFIX}sent) = COUNT(*) THEN SUM(${PREFIX}sent) END AS ${PREFIX}sent, ` +
    `CASE WHEN COUNT(*) = 0 OR COUNT(${PREFIX}sent) < COUNT(*) THEN 'unknown' WHEN MIN(${PREFIX}sent_source) = MAX(${PREFIX}sent_source) THEN MIN(${PREFIX}sent_source) ELSE 'flag' END AS ${PREFIX}sent_source ` +
    `FROM ${PREFIX}summary`;
  const out = (src: string, isTotal: boolean): string => {
    const rate = ratio(d, `${PREFIX}invalid_address`, `${PREFIX}sent`);
    return (
      `SELECT ${PREFIX}campaign AS campaign, ${PREFIX}rows AS ${d.ident('rows')}, ${PREFIX}sent AS sent, ${PREFIX}sent_source AS sent_source, ${PREFIX}delivered AS delivered, ${PREFIX}bounced AS bounced, ` +
      `${PREFIX}invalid_address AS invalid_address, ${PREFIX}soft_bounce AS soft_bounce, ${PREFIX}blocked AS blocked, ${PREFIX}unclassified AS unclassified, ` +
      `${rate} AS invalid_address_rate, ${verdictSql(d, t, rate, `${PREFIX}sent`)} AS status, ` +
      (isTotal
        ? `(SELECT COUNT(*) FROM ${ROWS_TABLE} WHERE ${PREFIX}missing_address = 'yes') AS missing_email, (SELECT COUNT(*) FROM ${ROWS_TABLE} WHERE ${PREFIX}address IS NULL AND ${PREFIX}missing_address = 'no') AS invalid_email, ` +
          `(SELECT COUNT(*) FROM ${ROWS_TABLE} WHERE ${PREFIX}missing_address = 'not-a-bounce') AS not_a_bounce, `
        : `CAST(NULL AS ${d.bigint}) AS missing_email, CAST(NULL AS ${d.bigint}) AS invalid_email, CAST(NULL AS ${d.bigint}) AS not_a_bounce, `) +
      `${isTotal ? 1 : 0} AS ${PREFIX}is_total FROM ${src}`
    );
  };
  const checks = problems.length ? `, ${PREFIX}checks AS (SELECT ${problems.map((p, i) => `${p} AS ${PREFIX}check${i}`).join(', ')})` : '';
  return (
    `WITH ${PREFIX}counts AS (${counts}), ${PREFIX}sent_flag AS (${sentFlag}), ${PREFIX}summary AS (${summary}), ${PREFIX}totals AS (${totals})${checks}\n` +
    `SELECT campaign, ${d.ident('rows')}, sent, sent_source, delivered, bounced, invalid_address, soft_bounce, blocked, unclassified, invalid_address_rate, status, missing_email, invalid_email, not_a_bounce FROM (\n` +
    `${out(`${PREFIX}summary`, false)}\nUNION ALL\n${out(`${PREFIX}totals`, true)}\n) AS ${PREFIX}report` +
    (problems.length ? ` CROSS JOIN ${PREFIX}checks WHERE ${problems.map((_, i) => `${PREFIX}check${i} IS NULL`).join(' AND ')}` : '') +
    `\nORDER BY ${PREFIX}is_total, ${d.binary('campaign')};`
  );
}

/** The suppression list: one row per address whose bounce is an invalid address, in address order. */
export function suppressionSql(o: AuditSqlOptions): string {
  const d = DIALECT[o.dialect];
  const iso = compileSql(ISO_TIMES, d);
  const times = asStages(iso, `${PREFIX}time`, `${PREFIX}per_address`, { first_ms: `COALESCE(${PREFIX}first_ms, 0)`, last_ms: `COALESCE(${PREFIX}last_ms, 0)` });
  const order = o.columns.order ? `${PREFIX}order` : `${d.binary(`${PREFIX}diagnostic_shown`)}, ${d.binary(`${PREFIX}campaign`)}`;
  const bounces = `SELECT * FROM ${ROWS_TABLE} WHERE ${PREFIX}bucket = 'invalid-address'`;
  // The earliest bounce decides: a known time before an unknown one, then the earlier time, then the row
  // read first (suppression/dates.ts isEarlier).
  const ranked =
    `SELECT b.*, ROW_NUMBER() OVER (PARTITION BY ${PREFIX}address ORDER BY CASE WHEN ${PREFIX}date_known = 'yes' THEN 0 ELSE 1 END, ${PREFIX}date_ms, ${order}) AS ${PREFIX}rank ` +
    `FROM ${PREFIX}bounces AS b`;
  const perAddress =
    `SELECT ${PREFIX}address, COUNT(*) AS ${PREFIX}bounce_count, ${d.joinSorted(`${PREFIX}campaign`, '; ')} AS ${PREFIX}campaigns, ` +
    `MIN(CASE WHEN ${PREFIX}date_known = 'yes' THEN ${PREFIX}date_ms END) AS ${PREFIX}first_ms, MAX(CASE WHEN ${PREFIX}date_known = 'yes' THEN ${PREFIX}date_ms END) AS ${PREFIX}last_ms ` +
    `FROM ${PREFIX}bounces GROUP BY ${PREFIX}address`;
  // Receiver incidents (count/incidents.ts): a receiver's invalid addresses in a campaign are at least 20
  // and more than 5 times the rate of the campaign's other receivers together.
  const groups =
    `SELECT ${PREFIX}campaign, COALESCE(${PREFIX}receiver, 'other') AS ${PREFIX}group, COUNT(*) AS ${PREFIX}n, ` +
    `SUM(CASE WHEN ${PREFIX}bucket = 'invalid-address' THEN 1 ELSE 0 END) AS ${PREFIX}invalid FROM ${ROWS_TABLE} WHERE ${PREFIX}address IS NOT NULL GROUP BY ${PREFIX}campaign, COALESCE(${PREFIX}receiver, 'other')`;
  const incidents =
    `SELECT g.${PREFIX}campaign, g.${PREFIX}group FROM ${PREFIX}groups AS g JOIN (SELECT ${PREFIX}campaign, SUM(${PREFIX}n) AS ${PREFIX}n, SUM(${PREFIX}invalid) AS ${PREFIX}invalid FROM ${PREFIX}groups GROUP BY ${PREFIX}campaign) AS t ON t.${PREFIX}campaign = g.${PREFIX}campaign ` +
    `WHERE g.${PREFIX}invalid >= ${DEFAULT_INCIDENT_MIN_INVALID} AND t.${PREFIX}n - g.${PREFIX}n > 0 ` +
    `AND CAST(g.${PREFIX}invalid AS ${d.double}) / g.${PREFIX}n > ${DEFAULT_INCIDENT_FACTOR} * (CAST(t.${PREFIX}invalid - g.${PREFIX}invalid AS ${d.double}) / (t.${PREFIX}n - g.${PREFIX}n))`;
  const flagged =
    `SELECT DISTINCT b.${PREFIX}address FROM ${PREFIX}bounces AS b JOIN ${PREFIX}first AS f ON f.${PREFIX}address = b.${PREFIX}address ` +
    `JOIN ${PREFIX}incidents AS i ON i.${PREFIX}campaign = b.${PREFIX}campaign AND i.${PREFIX}group = f.${PREFIX}receiver`;
  return (
    `WITH ${PREFIX}bounces AS (${bounces}), ${PREFIX}ranked AS (${ranked}), ${PREFIX}first AS (SELECT * FROM ${PREFIX}ranked WHERE ${PREFIX}rank = 1), ` +
    `${PREFIX}per_address AS (${perAddress}), ${times.stages.map((t) => `${t.name} AS (${t.sql})`).join(', ')}, ` +
    `${PREFIX}times AS (SELECT ${times.last}.*, ${times.outputs.first} AS ${PREFIX}first_iso, ${times.outputs.last} AS ${PREFIX}last_iso FROM ${times.last}), ` +
    `${PREFIX}groups AS (${groups}), ${PREFIX}incidents AS (${incidents}), ${PREFIX}flagged AS (${flagged})\n` +
    `SELECT f.${PREFIX}address AS email, f.${PREFIX}reason AS reason, f.${PREFIX}enhanced_code AS enhanced_code, f.${PREFIX}basic_code AS basic_code, f.${PREFIX}receiver AS receiver, ` +
    `a.${PREFIX}campaigns AS campaigns, ` +
    `CASE WHEN a.${PREFIX}first_ms IS NOT NULL THEN a.${PREFIX}first_iso ELSE NULLIF(f.${PREFIX}date_text, '') END AS first_bounced_at, ` +
    `CASE WHEN a.${PREFIX}last_ms IS NOT NULL THEN a.${PREFIX}last_iso ELSE NULLIF(f.${PREFIX}date_text, '') END AS last_bounced_at, ` +
    `a.${PREFIX}bounce_count AS bounce_count, f.${PREFIX}diagnostic_shown AS diagnostic, ` +
    `CASE WHEN x.${PREFIX}address IS NOT NULL THEN f.${PREFIX}receiver END AS incident ` +
    `FROM ${PREFIX}first AS f JOIN ${PREFIX}times AS a ON a.${PREFIX}address = f.${PREFIX}address LEFT JOIN ${PREFIX}flagged AS x ON x.${PREFIX}address = f.${PREFIX}address\n` +
    `ORDER BY ${d.binary(`f.${PREFIX}address`)};`
  );
}

/** The first and the last bounce time in ISO form (two uses of ISO_PROGRAM). */
const ISO_TIMES: Program = (() => {
  const b = new ProgramBuilder('iso-times');
  const first = b.use(ISO_PROGRAM, { ms: b.input('first_ms', 'int') }, 'first');
  const last = b.use(ISO_PROGRAM, { ms: b.input('last_ms', 'int') }, 'last');
  return b.build({ first: first.iso!, last: last.iso! });
})();
