// The audit as `bounce-audit sql --dialect duckdb` compiles it, run in DuckDB (2 threads): read_csv
// of the log (every column VARCHAR), the generated statements that classify the rows, the
// generated per-campaign query, and the generated suppression query COPYed to a CSV file.
//
//   node bench/generated-sql-job.mjs --write-sql SQL.json [--every-row]
//   node bench/generated-sql-job.mjs IN.csv SQL.json OUT.csv [CAMPAIGNS.json]
//
// The first form compiles the SQL from the built dist/ (the CLI's own flag handling and
// generator, as `bounce-audit sql --dialect duckdb --table bounces --campaign-column campaign
// --date-column date` prints it, one part per key) and writes it to SQL.json. --every-row: the
// variant that classifies every row instead of each distinct masked reply once (an option of the
// generator the CLI does not expose). The SQL is written once, before the timed runs, because a
// user compiles it once and runs it many times; the second form, the timed job, only runs it.
// CAMPAIGNS.json receives the per-campaign rows (and the totals row), for the bench's check
// against the CLI's JSON report.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The table the job loads the log into, and the `sql` flags that describe its columns. */
export const TABLE = 'bounces';
export const SQL_FLAGS = ['--dialect', 'duckdb', '--table', TABLE, '--campaign-column', 'campaign', '--date-column', 'date'];

/** The generated script's parts (each a string of SQL), compiled by the built CLI's code. */
export async function generatedSql({ everyRow = false } = {}) {
  const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const { resolveSqlOptions } = await dist('cli/sql-command.js');
  const { generateSql } = await dist('sql/generate.js');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const parsed = resolveSqlOptions({ dialect: 'duckdb', table: TABLE, campaignColumn: 'campaign', dateColumn: 'date' });
  const request = { ...parsed.request, version, audit: { ...parsed.request.audit, classifyEachRow: everyRow } };
  const part = (p) => generateSql({ ...request, part: p });
  return { function: part('function'), rows: part('rows'), campaigns: part('campaigns'), suppression: part('suppression') };
}

async function run(input, sqlFile, output, campaignsFile) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const sql = JSON.parse(readFileSync(sqlFile, 'utf8'));
  const lit = (s) => `'${s.replaceAll("'", "''")}'`;
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  await con.run(`CREATE TABLE ${TABLE} AS SELECT * FROM read_csv(${lit(input)}, header = true, all_varchar = true, quote = '"', escape = '"')`);
  for (const script of [sql.function, sql.rows]) {
    const statements = await con.extractStatements(script);
    for (let i = 0; i < statements.count; i++) await (await statements.prepare(i)).run();
  }
  const campaigns = (await con.runAndReadAll(sql.campaigns)).getRowObjectsJson();
  // The suppression query is one SELECT ending in `;`; the closing parenthesis goes on a line of
  // its own so that a trailing `--` comment cannot swallow it.
  const select = sql.suppression.trim().replace(/;$/, '');
  await con.run(`COPY (\n${select}\n) TO ${lit(output)} (HEADER, DELIMITER ',')`);
  if (campaignsFile) writeFileSync(campaignsFile, JSON.stringify(campaigns));
  con.closeSync();
  db.closeSync();
  console.log(campaigns.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--write-sql') {
    writeFileSync(args[1], JSON.stringify(await generatedSql({ everyRow: args.includes('--every-row') })));
  } else if (args.length >= 3) {
    await run(args[0], args[1], args[2], args[3]);
  } else {
    process.stderr.write('usage: node bench/generated-sql-job.mjs --write-sql SQL.json [--every-row]\n       node bench/generated-sql-job.mjs IN.csv SQL.json OUT.csv [CAMPAIGNS.json]\n');
    process.exit(2);
  }
}
