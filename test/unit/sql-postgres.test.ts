/**
 * The Postgres SQL, run in PGlite (Postgres 18 compiled to WebAssembly). The classification program is
 * compiled as the Postgres audit runs it — in tables of at most 30 patterns each, since Postgres keeps 32
 * compiled patterns — and gives the CLI's bucket, reason and rule id on every corpus row, every fixture row
 * and more than 10,000 generated replies. The bounce_audit_classify function itself (which recompiles its
 * patterns on each call, so it is slow) is run on a sample. Failures print the rows that differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { classifyFunctionSql } from '../../src/sql/classify-function.js';
import { asStages, compileSql } from '../../src/sql/compile.js';
import { DIALECT } from '../../src/sql/dialects.js';
import { ROW_PROGRAM, policyConstants } from '../../src/sql/row-program.js';
import { rowsSql, ROWS_TABLE } from '../../src/sql/audit-query.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import { benchShapeCases, cliVerdict, corpusCases, fixtureCases, mixedCases, type ReplyCase } from '../helpers/sql-cases.js';

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(classifyFunctionSql('postgres', undefined, null));
}, 60_000);
afterAll(async () => {
  await db.close();
});

const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Postgres text holds no NUL character: such cases cannot be stored (docs/warehouse.md). */
const storable = (cases: readonly ReplyCase[]): ReplyCase[] => cases.filter((c) => !`${c.status}${c.diagnostic}${c.email}${c.command}`.includes('\u0000'));

async function load(table: string, cases: readonly ReplyCase[]): Promise<void> {
  await db.exec(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (i integer, status text, diagnostic text, email text, smtp_command text)`);
  for (let at = 0; at < cases.length; at += 2000) {
    const values = cases.slice(at, at + 2000).map((c, k) => `(${at + k}, ${lit(c.status)}, ${lit(c.diagnostic)}, ${lit(c.email)}, ${lit(c.command)})`);
    await db.exec(`INSERT INTO ${table} VALUES ${values.join(',')}`);
  }
}

function differences(cases: readonly ReplyCase[], got: ReadonlyArray<{ i: number; bucket: string | null; reason: string | null; rule_id: string | null }>): string[] {
  const out: string[] = [];
  for (const g of got) {
    const c = cases[g.i]!;
    const want = cliVerdict(c);
    if (want.bucket !== g.bucket || want.reason !== g.reason || want.rule_id !== g.rule_id) {
      out.push(`${c.from}: SQL ${g.bucket}/${g.reason}/${g.rule_id}, CLI ${want.bucket}/${want.reason}/${want.rule_id}: ${JSON.stringify([c.status, c.diagnostic.slice(0, 160), c.email, c.command])}`);
    }
  }
  return out;
}

/** Classify every case with the row program in pattern-column stages, as the Postgres audit does. */
async function viaStages(cases: readonly ReplyCase[]): Promise<string[]> {
  await load('cases', cases);
  const c = compileSql(ROW_PROGRAM, DIALECT.postgres, policyConstants(), { patternColumns: true });
  const input = (col: string): string => `COALESCE(${col}, '')`;
  const s = asStages(c, 'st', 'cases', { status: input('status'), diagnostic: input('diagnostic'), email: input('email'), command: input('smtp_command') }, 30);
  for (const stage of s.stages) await db.exec(`DROP TABLE IF EXISTS ${stage.name}; CREATE TEMP TABLE ${stage.name} AS ${stage.sql}`);
  const r = await db.query<{ i: number; bucket: string | null; reason: string; rule_id: string }>(
    `SELECT i, ${s.outputs.bucket} AS bucket, ${s.outputs.reason} AS reason, ${s.outputs.rule_id} AS rule_id FROM ${s.last} ORDER BY i`,
  );
  expect(r.rows.length).toBe(cases.length);
  return differences(cases, r.rows);
}

describe('the Postgres classification', () => {
  it('gives the CLI’s verdict on every corpus row', async () => {
    const cases = storable(corpusCases());
    expect(cases.length).toBeGreaterThan(1000);
    expect(await viaStages(cases)).toEqual([]);
  }, 120_000);

  it('gives the CLI’s verdict on every fixture row', async () => {
    const cases = storable(await fixtureCases());
    expect(cases.length).toBeGreaterThan(1000);
    expect(await viaStages(cases)).toEqual([]);
  }, 120_000);

  it('gives the CLI’s verdict on more than 10,000 generated replies', async () => {
    const cases = storable([...(await benchShapeCases(1000)), ...mixedCases(6000)]);
    expect(cases.length).toBeGreaterThan(10_000);
    expect(await viaStages(cases)).toEqual([]);
  }, 300_000);

  it('bounce_audit_classify gives the CLI’s verdict (on a sample: the function recompiles its patterns on every call)', async () => {
    const all = storable([...corpusCases(), ...mixedCases(400, 3)]);
    const cases = all.filter((_, i) => i % 15 === 0);
    await load('sample', cases);
    const r = await db.query<{ i: number; bucket: string | null; reason: string; rule_id: string }>(
      'SELECT i, (v).bucket, (v).reason, (v).rule_id FROM (SELECT i, bounce_audit_classify(status, diagnostic, email, smtp_command) AS v FROM sample) AS x ORDER BY i',
    );
    expect(r.rows.length).toBe(cases.length);
    expect(differences(cases, r.rows)).toEqual([]);
  }, 120_000);

  it('the audit’s classified rows (each distinct reply once, in tables of 30 patterns) equal the CLI’s verdicts', async () => {
    const cases = storable([...corpusCases(), ...mixedCases(1500, 5)]);
    await load('audited', cases);
    await db.exec(`CREATE OR REPLACE FUNCTION bounce_audit_raise(message text) RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION '%', message; END $fn$;`);
    await db.exec(
      rowsSql({
        dialect: 'postgres',
        table: 'audited',
        columns: { email: 'email', status: 'status', diagnostic: 'diagnostic', campaign: null, date: null, command: 'smtp_command', order: 'i' },
        campaign: 'all',
        thresholds: { warnAbove: 0.02, failAbove: 0.05, minSent: 100 },
        sent: { byCampaign: new Map(), bare: null },
      }),
    );
    const r = await db.query<{ i: number; bucket: string | null; reason: string | null; rule_id: string | null; skipped: boolean }>(
      `SELECT ba_order AS i, ba_bucket AS bucket, ba_reason AS reason, ba_rule_id AS rule_id, ba_address IS NULL AS skipped FROM ${ROWS_TABLE} ORDER BY ba_order`,
    );
    expect(r.rows.length).toBe(cases.length);
    expect(r.rows.filter((x) => x.skipped !== (normaliseEmail(cases[x.i]!.email) === null)).map((x) => cases[x.i]!.email)).toEqual([]);
    expect(differences(cases, r.rows.filter((x) => !x.skipped))).toEqual([]);
  }, 120_000);
});
