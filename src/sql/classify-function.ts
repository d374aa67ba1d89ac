/**
 * The `bounce_audit_classify(status, diagnostic, email, smtp_command)` function of each engine, compiled
 * from the row program (row-program.ts) with the policies baked in. It returns bucket (NULL for a
 * delivered row), reason and rule_id: a DuckDB macro returning a STRUCT, a Postgres SQL function returning
 * a composite, a BigQuery SQL UDF returning a STRUCT, a Snowflake SQL UDF returning an OBJECT, a Spark /
 * Databricks SQL function returning a STRUCT.
 */
import { DIALECT, type DialectId } from './dialects.js';
import { asExpression, compileSql, type CompiledSql } from './compile.js';
import { ROW_PROGRAM, policyConstants } from './row-program.js';
import type { Policies } from '../classify/policies.js';

export const FUNCTION_NAME = 'bounce_audit_classify';
/** The function's parameters, in order, and the row program's input each feeds. */
export const FUNCTION_PARAMS = [
  ['status', 'status'],
  ['diagnostic', 'diagnostic'],
  ['email', 'email'],
  ['smtp_command', 'command'],
] as const;
/** The fields the function returns. */
export const VERDICT_FIELDS = ['bucket', 'reason', 'rule_id'] as const;

const cache = new Map<string, CompiledSql>();

/** The row program compiled for a dialect with these policies (compiled once per process). */
export function compiledRow(dialect: DialectId, policies?: Partial<Policies>): CompiledSql {
  const constants = policyConstants(policies);
  const key = `${dialect}\u0000${JSON.stringify(constants)}`;
  let c = cache.get(key);
  if (c === undefined) cache.set(key, (c = compileSql(ROW_PROGRAM, DIALECT[dialect], constants)));
  return c;
}

/** The classification of one row as one expression over SQL expressions for the four inputs. */
export function classifyExpression(
  dialect: DialectId,
  policies: Partial<Policies> | undefined,
  args: Readonly<Record<'status' | 'diagnostic' | 'email' | 'command', string>>,
  postgresAs: 'composite' | 'jsonb' = 'composite',
): string {
  const d = DIALECT[dialect];
  const c = compiledRow(dialect, policies);
  const inputs = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, `COALESCE(CAST(${v} AS ${d.text}), '')`]));
  if (dialect === 'postgres') {
    if (postgresAs === 'jsonb') return asExpression(c, inputs, (o) => `jsonb_build_object(${VERDICT_FIELDS.map((f) => `'${f}', ${o[f]}`).join(', ')})`);
    return asExpression(c, inputs, (o) => `ROW(${VERDICT_FIELDS.map((f) => o[f]).join(', ')})::bounce_audit_verdict`);
  }
  return asExpression(c, inputs, (o) => d.struct(VERDICT_FIELDS.map((f) => [f, o[f]!] as const)));
}

/** `name` qualified by a schema (dataset, database) when one is given. */
export function qualified(name: string, schema: string | null): string {
  return schema ? `${schema}.${name}` : name;
}

/** The statements that create the function. `schema`: where to create it (else a temporary function where the engine has them). */
export function classifyFunctionSql(dialect: DialectId, policies: Partial<Policies> | undefined, schema: string | null): string {
  const name = qualified(FUNCTION_NAME, schema);
  const args = { status: 'status', diagnostic: 'diagnostic', email: 'email', command: 'smtp_command' } as const;
  const body = classifyExpression(dialect, policies, args);
  const params = (type: string): string => FUNCTION_PARAMS.map(([p]) => `${p} ${type}`).join(', ');
  switch (dialect) {
    case 'duckdb':
      return `CREATE OR REPLACE ${schema ? '' : 'TEMP '}MACRO ${name}(${FUNCTION_PARAMS.map(([p]) => p).join(', ')}) AS\n${body};\n`;
    case 'postgres': {
      const type = qualified('bounce_audit_verdict', schema);
      return (
        `DO $do$ BEGIN\n  CREATE TYPE ${type} AS (bucket text, reason text, rule_id text);\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND $do$;\n\n` +
        `CREATE OR REPLACE FUNCTION ${name}(${params('text')})\nRETURNS ${type}\nLANGUAGE sql IMMUTABLE PARALLEL SAFE\nAS $fn$\nSELECT ${body.replaceAll('::bounce_audit_verdict', `::${type}`)}\n$fn$;\n`
      );
    }
    case 'bigquery':
      return `CREATE ${schema ? 'OR REPLACE ' : 'TEMP '}FUNCTION ${name}(${params('STRING')})\nRETURNS STRUCT<bucket STRING, reason STRING, rule_id STRING>\nAS (\n${body}\n);\n`;
    case 'snowflake':
      return `CREATE OR REPLACE ${schema ? '' : 'TEMPORARY '}FUNCTION ${name}(${params('VARCHAR')})\nRETURNS OBJECT\nAS $$\n${body}\n$$;\n`;
    case 'spark':
      return `CREATE OR REPLACE ${schema ? '' : 'TEMPORARY '}FUNCTION ${name}(${params('STRING')})\nRETURNS STRUCT<bucket: STRING, reason: STRING, rule_id: STRING>\nRETURN ${body};\n`;
  }
}
