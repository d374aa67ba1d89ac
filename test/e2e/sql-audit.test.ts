/**
 * The audit SQL that `bounce-audit sql --table …` prints, run in DuckDB and in Postgres (PGlite) over each
 * fixture's rows as the CLI's readers read them, gives the CLI's own JSON report per campaign and in total
 * (sent, delivered, bounced, each bucket, the rate, the verdict, the rows left out) and the CLI's
 * suppression CSV. Fixtures whose verdicts rest on a platform's own bounce type (or lead exports) are out of
 * scope for the SQL (docs/warehouse.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';
import { runCli } from '../helpers/run-cli.js';
import { fixtureFiles, type FixtureRows } from '../helpers/sql-cases.js';
import { fromTextCell } from '../../src/output/csv-record.js';
import { compileProgram } from '../../src/classify/program-runner.js';
import { DATE_PROGRAM } from '../../src/sql/date-program.js';

let duck: DuckDBConnection;
let duckDb: DuckDBInstance;
let pg: PGlite;
const dir = mkdtempSync(join(tmpdir(), 'bounce-audit-sql-audit-'));
let fixtures: FixtureRows[] = [];

beforeAll(async () => {
  duckDb = await DuckDBInstance.create(':memory:', { threads: '2' });
  duck = await duckDb.connect();
  pg = await PGlite.create();
  fixtures = (await fixtureFiles()).filter((f) => !f.usesHints);
}, 60_000);
afterAll(async () => {
  duck.closeSync();
  duckDb.closeSync();
  await pg.close();
  rmSync(dir, { recursive: true, force: true });
});

const COLUMNS = ['email', 'status', 'diagnostic', 'campaign', 'date', 'command'] as const;
const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

async function loadDuck(f: FixtureRows): Promise<void> {
  await duck.run(`CREATE OR REPLACE TABLE log (${COLUMNS.map((c) => `${c} VARCHAR`).join(', ')}, line INTEGER)`);
  const a = await duck.createAppender('log');
  for (const r of f.rows) {
    for (const c of COLUMNS) a.appendVarchar(r[c]);
    a.appendInteger(r.line);
    a.endRow();
  }
  a.closeSync();
}

async function loadPg(f: FixtureRows): Promise<void> {
  await pg.exec(`DROP TABLE IF EXISTS log; CREATE TABLE log (${COLUMNS.map((c) => `${c} text`).join(', ')}, line integer)`);
  if (f.rows.length) await pg.exec(`INSERT INTO log VALUES ${f.rows.map((r) => `(${COLUMNS.map((c) => lit(r[c])).join(', ')}, ${r.line})`).join(',')}`);
}

type Row = Record<string, unknown>;

/** Run the printed script; return the result rows of its last two statements (campaigns, suppression). */
async function runScript(engine: 'duckdb' | 'postgres', sql: string): Promise<{ campaigns: Row[]; suppression: Row[] }> {
  if (engine === 'postgres') {
    const results = await pg.exec(sql);
    const withRows = results.filter((r) => r.fields.length > 0);
    return { campaigns: withRows.at(-2)!.rows, suppression: withRows.at(-1)!.rows };
  }
  const extracted = await duck.extractStatements(sql);
  const out: Row[][] = [];
  for (let i = 0; i < extracted.count; i++) {
    const result = await (await extracted.prepare(i)).runAndReadAll();
    out.push(result.getRowObjectsJson() as Row[]);
  }
  return { campaigns: out.at(-2)!, suppression: out.at(-1)! };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

interface Case {
  name: string;
  fixture: string;
  flags: string[];
}

const CASES: Case[] = [
  { name: 'defaults', fixture: '*', flags: [] },
  { name: 'named --sent and thresholds', fixture: 'campaign-q3.csv', flags: ['--sent', 'Q3 launch=5000', '--warn-above', '0.1', '--fail-above', '2.4', '--min-sent', '10'] },
  { name: 'exactly the fail threshold is warn', fixture: 'campaign-q3.csv', flags: ['--fail-above', '2.4', '--min-sent', '10'] },
  { name: 'a bare --sent', fixture: 'bounces-only.csv', flags: ['--sent', '400'] },
  { name: 'low volume', fixture: 'cold-list-fail.csv', flags: ['--min-sent', '1000'] },
];

describe('the audit SQL equals the CLI', () => {
  for (const engine of ['duckdb', 'postgres'] as const) {
    for (const c of CASES) {
      it(`in ${engine}: ${c.name}`, async () => {
        const chosen = c.fixture === '*' ? fixtures : fixtures.filter((f) => basename(f.file) === c.fixture);
        expect(chosen.length).toBeGreaterThan(0);
        for (const f of chosen) {
          const out = join(dir, `${engine}-${basename(f.file)}.csv`);
          const cli = await runCli([f.file, '--json', '-o', out, ...c.flags]);
          expect([0, 1]).toContain(cli.code);
          const report = JSON.parse(cli.stdout) as {
            campaigns: Array<Record<string, unknown>>;
            totals: Record<string, unknown>;
            rows: { rejectedByReason: Record<string, number> };
          };
          const gen = await runCli([
            'sql', '--dialect', engine, '--table', 'log', '--email-column', 'email', '--status-column', 'status', '--diagnostic-column', 'diagnostic',
            '--campaign-column', 'campaign', '--date-column', 'date', '--command-column', 'command', '--order-column', 'line', '--campaign', f.campaign, ...c.flags,
          ]);
          expect(gen.stderr).toBe('');
          expect(gen.code).toBe(0);
          if (engine === 'duckdb') await loadDuck(f);
          else await loadPg(f);
          const sql = await runScript(engine, gen.stdout);

          const want = [...report.campaigns, report.totals].map((x) => ({
            campaign: x.campaign,
            rows: x.rows,
            sent: x.sent,
            sentSource: x.sentSource,
            delivered: x.delivered,
            bounced: x.bounced,
            invalidAddress: x.invalidAddress,
            softBounce: x.softBounce,
            blocked: x.blocked,
            unclassified: x.unclassified,
            invalidAddressRate: x.invalidAddressRate,
            status: x.status,
          }));
          const got = sql.campaigns.map((x) => ({
            campaign: x.campaign,
            rows: num(x.rows),
            sent: num(x.sent),
            sentSource: x.sent_source,
            delivered: num(x.delivered),
            bounced: num(x.bounced),
            invalidAddress: num(x.invalid_address),
            softBounce: num(x.soft_bounce),
            blocked: num(x.blocked),
            unclassified: num(x.unclassified),
            invalidAddressRate: num(x.invalid_address_rate),
            status: x.status,
          }));
          const byName = (a: { campaign: unknown }, b: { campaign: unknown }): number => String(a.campaign ?? '\uffff').localeCompare(String(b.campaign ?? '\uffff'));
          expect(got.sort(byName), basename(f.file)).toEqual(want.sort(byName));
          const totals = sql.campaigns.find((x) => x.campaign === null)!;
          expect([num(totals.missing_email), num(totals.invalid_email)], basename(f.file)).toEqual([
            report.rows.rejectedByReason['missing-email'] ?? 0,
            report.rows.rejectedByReason['invalid-email'] ?? 0,
          ]);

          // The suppression list, column for column (the CLI's CSV makes formula-like cells inert; undone here).
          const csv = parse(readFileSync(out), { columns: true, relax_column_count: false }) as Record<string, string>[];
          const dates = compileProgram(DATE_PROGRAM);
          const readable = f.rows.every((r) => r.date.trim() === '' || dates.run([r.date])[0] === 'yes');
          const columns = ['email', 'reason', 'enhanced_code', 'basic_code', 'receiver', 'campaigns', 'first_bounced_at', 'last_bounced_at', 'bounce_count', 'diagnostic', 'incident'].filter(
            (k) => readable || !k.endsWith('_bounced_at'),
          );
          const cliList = csv.map((r) => Object.fromEntries(columns.map((k) => [k, k === 'email' ? r[k]! : fromTextCell(r[k]!)])));
          const sqlList = sql.suppression.map((r) => Object.fromEntries(columns.map((k) => [k, r[k] === null || r[k] === undefined ? '' : String(r[k])])));
          expect(sqlList, basename(f.file)).toEqual(cliList);
          if (!readable) {
            // Dates the SQL cannot read are shown as written.
            for (const r of sql.suppression) expect(String(r.first_bounced_at)).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4}/);
          }
        }
      }, 120_000);
    }
  }

  it('covers fixtures with delivered rows, bounces only, several campaigns, an incident and rejected rows', () => {
    const names = fixtures.map((f) => basename(f.file));
    for (const n of ['campaign-q3.csv', 'bounces-only.csv', 'cold-list-fail.csv', 'icloud-incident.csv', 'sendgrid-bounces.csv', 'exim-mainlog']) expect(names).toContain(n);
  });
});

describe('rows that are other events of a message', () => {
  it('are left out as the CLI leaves them out, and counted apart in the totals', async () => {
    // A log as a warehouse holds it: event rows ("opened", "Unsubscribed") beside bounces and deliveries.
    const lines = [
      'email,status,diagnostic,campaign',
      'a@example.com,delivered,,launch',
      'b@example.com,,opened,launch',
      'c@example.com,Unsubscribed,,launch',
      'd@example.com,550,5.1.1 User unknown,launch',
      'e@example.com,, Spam Complaint ,launch',
      'f@example.com,250,OK,launch',
    ];
    const file = join(dir, 'events.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const cli = await runCli([file, '--json', '-o', join(dir, 'events-suppression.csv')]);
    const report = JSON.parse(cli.stdout) as { totals: Record<string, unknown>; rows: { rejectedByReason: Record<string, number> } };
    expect(report.rows.rejectedByReason['not-a-bounce']).toBe(3);

    await duck.run(`CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv(${lit(file)}, all_varchar = true, header = true)`);
    const gen = await runCli(['sql', '--dialect', 'duckdb', '--table', 'events', '--campaign-column', 'campaign']);
    expect(gen.code).toBe(0);
    const sql = await runScript('duckdb', gen.stdout);
    const totals = sql.campaigns.find((x) => x.campaign === null)!;
    expect(num(totals.not_a_bounce)).toBe(3);
    expect([num(totals.rows), num(totals.bounced), num(totals.invalid_address)]).toEqual([report.totals.rows, report.totals.bounced, report.totals.invalidAddress]);
    expect(num(totals.rows)).toBe(3);
  }, 120_000);
});
