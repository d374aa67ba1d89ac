/**
 * The DuckDB SQL, run in embedded DuckDB: bounce_audit_classify gives the CLI's bucket, reason and rule id
 * on every corpus row, every fixture row and more than 10,000 generated replies; the audit's classified rows
 * (each distinct reply classified once) are the same. Failures print the rows that differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { classifyFunctionSql } from '../../src/sql/classify-function.js';
import { rowsSql, ROWS_TABLE } from '../../src/sql/audit-query.js';
import type { Policies } from '../../src/classify/policies.js';
import { normaliseEmail } from '../../src/suppression/address.js';
import { benchShapeCases, cliVerdict, corpusCases, fixtureCases, mixedCases, type ReplyCase } from '../helpers/sql-cases.js';

let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  con = await instance.connect();
  await con.run(classifyFunctionSql('duckdb', undefined, null));
});
afterAll(() => {
  con.closeSync();
  instance.closeSync();
});

async function load(table: string, cases: readonly ReplyCase[]): Promise<void> {
  await con.run(`CREATE OR REPLACE TABLE ${table} (i INTEGER, status VARCHAR, diagnostic VARCHAR, email VARCHAR, smtp_command VARCHAR)`);
  const a = await con.createAppender(table);
  cases.forEach((c, i) => {
    a.appendInteger(i);
    a.appendVarchar(c.status);
    a.appendVarchar(c.diagnostic);
    a.appendVarchar(c.email);
    a.appendVarchar(c.command);
    a.endRow();
  });
  a.closeSync();
}

/** The rows whose SQL verdict differs from the CLI's, described. */
function differences(cases: readonly ReplyCase[], got: ReadonlyArray<{ i: number; bucket: string | null; reason: string | null; rule_id: string | null }>, policies?: Partial<Policies>): string[] {
  const out: string[] = [];
  for (const g of got) {
    const c = cases[g.i]!;
    const want = cliVerdict(c, policies);
    if (want.bucket !== g.bucket || want.reason !== g.reason || want.rule_id !== g.rule_id) {
      out.push(`${c.from}: SQL ${g.bucket}/${g.reason}/${g.rule_id}, CLI ${want.bucket}/${want.reason}/${want.rule_id}: ${JSON.stringify([c.status, c.diagnostic.slice(0, 160), c.email, c.command])}`);
    }
  }
  return out;
}

async function viaFunction(cases: readonly ReplyCase[], fn = 'bounce_audit_classify'): Promise<string[]> {
  await load('cases', cases);
  const r = await con.runAndReadAll(`SELECT i, v.bucket AS bucket, v.reason AS reason, v.rule_id AS rule_id FROM (SELECT i, ${fn}(status, diagnostic, email, smtp_command) AS v FROM cases) ORDER BY i`);
  const rows = r.getRowObjectsJson() as never[];
  expect(rows.length).toBe(cases.length);
  return differences(cases, rows);
}

describe('bounce_audit_classify in DuckDB', () => {
  it('gives the CLI’s verdict on every corpus row', async () => {
    const cases = corpusCases();
    expect(cases.length).toBeGreaterThan(1000);
    expect(await viaFunction(cases)).toEqual([]);
  });

  it('gives the CLI’s verdict on every fixture row', async () => {
    const cases = await fixtureCases();
    expect(cases.length).toBeGreaterThan(1000);
    expect(await viaFunction(cases)).toEqual([]);
  });

  it('gives the CLI’s verdict on more than 10,000 generated replies', async () => {
    const cases = [...(await benchShapeCases(1000)), ...mixedCases(6000)];
    expect(cases.length).toBeGreaterThan(10_000);
    expect(await viaFunction(cases)).toEqual([]);
  });

  it('bakes in the policy flags', async () => {
    const policies: Partial<Policies> = { disabledMailbox: 'soft', recipientAccessDenied: 'unclassified', icloudInactive: 'soft', userUnknownAfterData: 'invalid-address', mailboxFull5xx: 'invalid-address' };
    await con.run(classifyFunctionSql('duckdb', policies, null).replace('MACRO bounce_audit_classify(', 'MACRO bounce_audit_flagged('));
    const cases = [...corpusCases(), ...mixedCases(2000, 7)];
    await load('cases', cases);
    const r = await con.runAndReadAll(`SELECT i, v.bucket AS bucket, v.reason AS reason, v.rule_id AS rule_id FROM (SELECT i, bounce_audit_flagged(status, diagnostic, email, smtp_command) AS v FROM cases) ORDER BY i`);
    const diff = differences(cases, r.getRowObjectsJson() as never, policies);
    expect(diff).toEqual([]);
    // The flags change verdicts, so the comparison above can fail.
    expect(cases.filter((c) => cliVerdict(c, policies).bucket !== cliVerdict(c).bucket).length).toBeGreaterThan(10);
  });
});

describe('the audit’s classified rows in DuckDB', () => {
  for (const mode of ['each distinct reply once', 'every row'] as const) {
    it(`equal the CLI’s verdicts, classifying ${mode}`, async () => {
      const cases = [...corpusCases(), ...mixedCases(3000, 11)];
      await load('audited', cases);
      await con.run(
        rowsSql({
          dialect: 'duckdb',
          table: 'audited',
          columns: { email: 'email', status: 'status', diagnostic: 'diagnostic', campaign: null, date: null, command: 'smtp_command', order: 'i' },
          campaign: 'all',
          thresholds: { warnAbove: 0.02, failAbove: 0.05, minSent: 100 },
          sent: { byCampaign: new Map(), bare: null },
          classifyEachRow: mode === 'every row',
        }),
      );
      const r = await con.runAndReadAll(`SELECT ba_order AS i, ba_bucket AS bucket, ba_reason AS reason, ba_rule_id AS rule_id, ba_address IS NULL AS skipped FROM ${ROWS_TABLE} ORDER BY ba_order`);
      const rows = r.getRowObjectsJson() as unknown as Array<{ i: number; bucket: string | null; reason: string | null; rule_id: string | null; skipped: boolean }>;
      expect(rows.length).toBe(cases.length);
      // Rows the CLI rejects (no address, or not an address) are the rows the SQL leaves out.
      const wrongSkips = rows.filter((x) => x.skipped !== (normaliseEmail(cases[Number(x.i)]!.email) === null)).map((x) => cases[Number(x.i)]!.email);
      expect(wrongSkips).toEqual([]);
      const classified = rows.filter((x) => !x.skipped);
      expect(classified.length).toBeGreaterThan(cases.length * 0.7);
      expect(differences(cases, classified.map((x) => ({ ...x, i: Number(x.i) })))).toEqual([]);
    });
  }
});
