/**
 * How each SQL engine writes the steps of a decision program (classify/program.ts): string literals,
 * regular expression functions, lower-casing, rebuilding a string from its pieces, numbers, structs, and
 * how a named value is computed once (nested sub-selects, or, where a scalar sub-select is restricted,
 * lambdas over a one-element array). The regular expressions themselves are printed by regex.ts.
 *
 * Executed in the tests: DuckDB (embedded, @duckdb/node-api) and Postgres (PGlite). Generated only, and
 * checked by golden files and pattern compilation: BigQuery, Snowflake, Spark SQL.
 */
import { printRegex, SQUEEZED_DONT_CARE, type PrintedRegex, type RegexFlavor } from './regex.js';

export const DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake', 'spark'] as const;
export type DialectId = (typeof DIALECTS)[number];

export interface Dialect {
  readonly id: DialectId;
  readonly label: string;
  readonly flavor: RegexFlavor;
  readonly text: string;
  readonly bigint: string;
  readonly double: string;
  readonly bool: string;
  /** How named values are computed once inside one expression (a function body, a dbt macro). */
  readonly letForm: 'subquery' | 'lambda';
  /**
   * Written at the end of each nested sub-select so the planner keeps it (Postgres would otherwise pull
   * the sub-selects up and copy every named value into each place that uses it).
   */
  readonly fence: string;
  lit(s: string): string;
  /** A pattern as a string literal. */
  pattern(p: string): string;
  test(x: string, re: PrintedRegex): string;
  /** The capturing group of the first match, NULL when no match or empty. */
  extract(x: string, re: PrintedRegex): string;
  /** Every match replaced; `by` may hold `$1`. */
  replace(x: string, re: PrintedRegex, by: string): string;
  /** JavaScript's toLowerCase, as far as the classification can tell (see lowerCase in compile.ts). */
  lower(x: string, table: LowerTable): string;
  left(x: string, n: number): string;
  /** Join of `body` over the matches of `re` in `x`; `param` names one match inside `body`. */
  mapMatches(x: string, re: PrintedRegex, param: string, body: string): string;
  /** Join with `sep` of `body` over the pieces of `x` between `sep`s. */
  mapSplit(x: string, sep: string, param: string, body: string): string;
  /** How a body of mapMatches refers to the match, and a body of mapSplit to the piece. */
  matchRef(param: string): string;
  pieceRef(param: string): string;
  toInt(x: string): string;
  toFloat(x: string): string;
  floor(x: string): string;
  intText(x: string, width: number): string;
  /** A struct (or object) of named values. */
  struct(fields: ReadonlyArray<readonly [string, string]>): string;
  /** A field of a struct-valued expression. */
  field(x: string, name: string): string;
  /** Lambda-let: `body` with `name` bound to the struct `value`. */
  lambdaLet?(value: string, name: string, body: string): string;
  /** An error raised at run time with `message` (a SQL string expression), as a text-typed expression. */
  raise(message: string): string;
  /** A quoted identifier. */
  ident(name: string): string;
  /** Distinct values of `x` in code point order, joined with `sep` (an aggregate). */
  joinSorted(x: string, sep: string): string;
  /** `x` compared by code point (for ORDER BY). */
  binary(x: string): string;
  /** The statement that keeps a query's rows for the statements after it. */
  keep(name: string, query: string): string;
}

/** Characters that JavaScript lower-cases to a character the classification reads (see compile.ts). */
export interface LowerTable {
  /** Upper-case characters and their lower case, one each, for TRANSLATE. */
  readonly from: string;
  readonly to: string;
}

const quoteDouble = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Backslash-escaped literal (BigQuery, Snowflake, Spark): `\\`, `\'`, and control characters as `\uXXXX`. */
function quoteBackslash(s: string, unicodeEscape: (c: number) => string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0x2028 || c === 0x2029) out += unicodeEscape(c);
    else out += ch;
  }
  return `${out}'`;
}
const hex4 = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');

const DOTTED_I = '\u0130';
const I_WITH_DOT_ABOVE = 'i\u0307';

/** DuckDB: RE2, macros, lambdas. */
const duckdb: Dialect = {
  id: 'duckdb',
  label: 'DuckDB',
  flavor: 're2',
  text: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  letForm: 'subquery',
  fence: '',
  lit: quoteDouble,
  pattern: quoteDouble,
  test: (x, re) => `regexp_matches(${x}, ${quoteDouble(re.pattern)})`,
  extract: (x, re) => `NULLIF(regexp_extract(${x}, ${quoteDouble(re.pattern)}, ${re.group}), '')`,
  replace: (x, re, by) => `regexp_replace(${x}, ${quoteDouble(re.pattern)}, ${quoteDouble(by.replaceAll('$1', `\\${re.group}`))}, 'g')`,
  // DuckDB's lower() is Unicode-aware and locale-free; JavaScript maps İ to i + combining dot.
  lower: (x) => `lower(replace(${x}, '${DOTTED_I}', '${I_WITH_DOT_ABOVE}'))`,
  left: (x, n) => `left(${x}, ${n})`,
  mapMatches: (x, re, param, body) => `array_to_string(list_transform(regexp_extract_all(${x}, ${quoteDouble(re.pattern)}), ${param} -> ${body}), '')`,
  mapSplit: (x, sep, param, body) => `array_to_string(list_transform(string_split(${x}, ${quoteDouble(sep)}), ${param} -> ${body}), ${quoteDouble(sep)})`,
  matchRef: (p) => p,
  pieceRef: (p) => p,
  toInt: (x) => `CAST(${x} AS BIGINT)`,
  toFloat: (x) => `CAST(${x} AS DOUBLE)`,
  floor: (x) => `CAST(floor(${x}) AS BIGINT)`,
  intText: (x, w) => `lpad(CAST(${x} AS VARCHAR), ${w}, '0')`,
  struct: (fields) => `struct_pack(${fields.map(([n, v]) => `${n} := ${v}`).join(', ')})`,
  field: (x, name) => `(${x}).${name}`,
  raise: (m) => `error(${m})`,
  ident: (n) => `"${n.replaceAll('"', '""')}"`,
  joinSorted: (x, sep) => `string_agg(DISTINCT ${x}, ${quoteDouble(sep)} ORDER BY ${x})`,
  binary: (x) => x,
  keep: (name, q) => `CREATE OR REPLACE TEMP TABLE ${name} AS\n${q};`,
};

/** Postgres: ARE regexes, SQL functions, the C collation for a locale-free lower(). */
const postgres: Dialect = {
  id: 'postgres',
  label: 'Postgres',
  flavor: 'postgres',
  text: 'text',
  bigint: 'bigint',
  double: 'double precision',
  bool: 'boolean',
  letForm: 'subquery',
  fence: ' OFFSET 0',
  lit: quoteDouble,
  pattern: quoteDouble,
  test: (x, re) => `(${x} ~ ${quoteDouble(re.pattern)})`,
  extract: (x, re) => `NULLIF((regexp_match(${x}, ${quoteDouble(re.pattern)}))[${re.group}], '')`,
  replace: (x, re, by) => `regexp_replace(${x}, ${quoteDouble(re.pattern)}, ${quoteDouble(by.replaceAll('$1', `\\${re.group}`))}, 'g')`,
  // lower() under the C collation changes ASCII letters only, whatever the database's locale (a Turkish
  // locale would turn I into ı); TRANSLATE maps the other characters the classification reads.
  lower: (x, t) => `translate(lower(replace(${x}, '${DOTTED_I}', '${I_WITH_DOT_ABOVE}') COLLATE "C"), ${quoteDouble(t.from)}, ${quoteDouble(t.to)})`,
  left: (x, n) => `left(${x}, ${n})`,
  mapMatches: (x, re, param, body) =>
    `COALESCE((SELECT string_agg(${body}, '' ORDER BY ${param}_n) FROM regexp_matches(${x}, ${quoteDouble(re.pattern)}, 'g') WITH ORDINALITY AS ${param}_r(${param}_m, ${param}_n)), '')`,
  mapSplit: (x, sep, param, body) =>
    `array_to_string(ARRAY(SELECT ${body} FROM unnest(string_to_array(${x}, ${quoteDouble(sep)})) WITH ORDINALITY AS ${param}_r(${param}, ${param}_n) ORDER BY ${param}_n), ${quoteDouble(sep)})`,
  matchRef: (p) => `${p}_m[1]`,
  pieceRef: (p) => p,
  toInt: (x) => `CAST(${x} AS bigint)`,
  toFloat: (x) => `CAST(${x} AS double precision)`,
  floor: (x) => `CAST(floor(${x}) AS bigint)`,
  intText: (x, w) => `lpad(CAST(${x} AS text), ${w}, '0')`,
  struct: (fields) => `ROW(${fields.map(([, v]) => v).join(', ')})`,
  field: (x, name) => `(${x}).${name}`,
  raise: (m) => `bounce_audit_raise(${m})`,
  ident: (n) => `"${n.replaceAll('"', '""')}"`,
  joinSorted: (x, sep) => `string_agg(DISTINCT ${x} COLLATE "C", ${quoteDouble(sep)} ORDER BY ${x} COLLATE "C")`,
  binary: (x) => `${x} COLLATE "C"`,
  keep: (name, q) => `DROP TABLE IF EXISTS ${name};\nCREATE TEMP TABLE ${name} AS\n${q};`,
};

/** BigQuery: RE2, one capturing group per REGEXP_EXTRACT, temporary or dataset functions. */
const bigquery: Dialect = {
  id: 'bigquery',
  label: 'BigQuery',
  flavor: 're2',
  text: 'STRING',
  bigint: 'INT64',
  double: 'FLOAT64',
  bool: 'BOOL',
  letForm: 'subquery',
  fence: '',
  lit: (s) => quoteBackslash(s, (c) => `\\u${hex4(c)}`),
  // A raw string when the pattern allows one (no quote of the kind, no trailing backslash), else escaped.
  pattern: (p) => (!p.includes("'") && !p.endsWith('\\') ? `r'${p}'` : !p.includes('"') && !p.endsWith('\\') ? `r"${p}"` : quoteBackslash(p, (c) => `\\u${hex4(c)}`)),
  test: (x, re) => `REGEXP_CONTAINS(${x}, ${bigquery.pattern(re.pattern)})`,
  extract: (x, re) => `NULLIF(REGEXP_EXTRACT(${x}, ${bigquery.pattern(re.pattern)}), '')`,
  replace: (x, re, by) => `REGEXP_REPLACE(${x}, ${bigquery.pattern(re.pattern)}, ${bigquery.pattern(by.replaceAll('$1', `\\${re.group}`))})`,
  lower: (x) => `LOWER(REPLACE(${x}, '${DOTTED_I}', '${I_WITH_DOT_ABOVE}'))`,
  left: (x, n) => `LEFT(${x}, ${n})`,
  mapMatches: (x, re, param, body) =>
    `ARRAY_TO_STRING(ARRAY(SELECT ${body} FROM UNNEST(REGEXP_EXTRACT_ALL(${x}, ${bigquery.pattern(re.pattern)})) AS ${param} WITH OFFSET AS ${param}_n ORDER BY ${param}_n), '')`,
  mapSplit: (x, sep, param, body) =>
    `ARRAY_TO_STRING(ARRAY(SELECT ${body} FROM UNNEST(SPLIT(${x}, ${bigquery.lit(sep)})) AS ${param} WITH OFFSET AS ${param}_n ORDER BY ${param}_n), ${bigquery.lit(sep)})`,
  matchRef: (p) => p,
  pieceRef: (p) => p,
  toInt: (x) => `CAST(${x} AS INT64)`,
  toFloat: (x) => `CAST(${x} AS FLOAT64)`,
  floor: (x) => `CAST(FLOOR(${x}) AS INT64)`,
  intText: (x, w) => `LPAD(CAST(${x} AS STRING), ${w}, '0')`,
  struct: (fields) => `STRUCT(${fields.map(([n, v]) => `${v} AS ${n}`).join(', ')})`,
  field: (x, name) => `(${x}).${name}`,
  raise: (m) => `ERROR(${m})`,
  ident: (n) => `\`${n.replaceAll('`', '\\`')}\``,
  joinSorted: (x, sep) => `STRING_AGG(DISTINCT ${x}, ${bigquery.lit(sep)} ORDER BY ${x})`,
  binary: (x) => x,
  keep: (name, q) => `CREATE TEMP TABLE ${name} AS\n${q};`,
};

/** Snowflake: POSIX regexes with Perl escapes (groups capture; the group to extract is numbered). */
const snowflake: Dialect = {
  id: 'snowflake',
  label: 'Snowflake',
  flavor: 'snowflake',
  text: 'VARCHAR',
  bigint: 'NUMBER(38, 0)',
  double: 'FLOAT',
  bool: 'BOOLEAN',
  letForm: 'subquery',
  fence: '',
  lit: (s) => quoteBackslash(s, (c) => `\\u${hex4(c)}`),
  pattern: (p) => quoteBackslash(p, (c) => `\\u${hex4(c)}`),
  test: (x, re) => `(REGEXP_INSTR(${x}, ${snowflake.pattern(re.pattern)}) > 0)`,
  extract: (x, re) => `NULLIF(REGEXP_SUBSTR(${x}, ${snowflake.pattern(re.pattern)}, 1, 1, 'e', ${re.group}), '')`,
  replace: (x, re, by) => `REGEXP_REPLACE(${x}, ${snowflake.pattern(re.pattern)}, ${snowflake.lit(by.replaceAll('$1', `\\${re.group}`))})`,
  lower: (x) => `LOWER(REPLACE(${x}, '${DOTTED_I}', '${I_WITH_DOT_ABOVE}'))`,
  left: (x, n) => `LEFT(${x}, ${n})`,
  mapMatches: (x, re, param, body) => `ARRAY_TO_STRING(TRANSFORM(REGEXP_SUBSTR_ALL(${x}, ${snowflake.pattern(re.pattern)}), ${param} VARCHAR -> ${body}), '')`,
  mapSplit: (x, sep, param, body) => `ARRAY_TO_STRING(TRANSFORM(SPLIT(${x}, ${snowflake.lit(sep)}), ${param} VARCHAR -> ${body}), ${snowflake.lit(sep)})`,
  matchRef: (p) => p,
  pieceRef: (p) => p,
  toInt: (x) => `CAST(${x} AS NUMBER(38, 0))`,
  toFloat: (x) => `CAST(${x} AS FLOAT)`,
  floor: (x) => `CAST(FLOOR(${x}) AS NUMBER(38, 0))`,
  intText: (x, w) => `LPAD(CAST(${x} AS VARCHAR), ${w}, '0')`,
  struct: (fields) => `OBJECT_CONSTRUCT_KEEP_NULL(${fields.map(([n, v]) => `'${n}', ${v}`).join(', ')})`,
  field: (x, name) => `${x}:${name}::VARCHAR`,
  // No RAISE in an expression: a failed cast carries the message.
  raise: (m) => `CAST(${m} AS NUMBER)::VARCHAR`,
  ident: (n) => `"${n.replaceAll('"', '""')}"`,
  joinSorted: (x, sep) => `LISTAGG(DISTINCT ${x}, ${snowflake.lit(sep)}) WITHIN GROUP (ORDER BY ${x} COLLATE 'utf8')`,
  binary: (x) => `COLLATE(${x}, 'utf8')`,
  keep: (name, q) => `CREATE OR REPLACE TEMPORARY TABLE ${name} AS\n${q};`,
};

/** Spark SQL / Databricks: Java regexes, lambdas (correlated scalar sub-selects must aggregate there). */
const spark: Dialect = {
  id: 'spark',
  label: 'Spark SQL / Databricks',
  flavor: 'java',
  text: 'STRING',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  bool: 'BOOLEAN',
  letForm: 'lambda',
  fence: '',
  lit: (s) => quoteBackslash(s, (c) => `\\u${hex4(c)}`),
  pattern: (p) => quoteBackslash(p, (c) => `\\u${hex4(c)}`),
  test: (x, re) => `(${x} RLIKE ${spark.pattern(re.pattern)})`,
  extract: (x, re) => `NULLIF(regexp_extract(${x}, ${spark.pattern(re.pattern)}, ${re.group}), '')`,
  replace: (x, re, by) => `regexp_replace(${x}, ${spark.pattern(re.pattern)}, ${spark.lit(by.replaceAll('$1', `$${re.group}`))})`,
  lower: (x) => `lower(replace(${x}, '${DOTTED_I}', '${I_WITH_DOT_ABOVE}'))`,
  left: (x, n) => `left(${x}, ${n})`,
  mapMatches: (x, re, param, body) => `array_join(transform(regexp_extract_all(${x}, ${spark.pattern(re.pattern)}, 0), ${param} -> ${body}), '')`,
  mapSplit: (x, sep, param, body) => `array_join(transform(split(${x}, ${spark.lit(`[${sep}]`)}, -1), ${param} -> ${body}), ${spark.lit(sep)})`,
  matchRef: (p) => p,
  pieceRef: (p) => p,
  toInt: (x) => `CAST(${x} AS BIGINT)`,
  toFloat: (x) => `CAST(${x} AS DOUBLE)`,
  floor: (x) => `CAST(floor(${x}) AS BIGINT)`,
  intText: (x, w) => `lpad(CAST(${x} AS STRING), ${w}, '0')`,
  struct: (fields) => `named_struct(${fields.map(([n, v]) => `'${n}', ${v}`).join(', ')})`,
  field: (x, name) => `${x}.${name}`,
  lambdaLet: (value, name, body) => `element_at(transform(array(${value}), ${name} -> ${body}), 1)`,
  raise: (m) => `CAST(raise_error(${m}) AS STRING)`,
  ident: (n) => `\`${n.replaceAll('`', '``')}\``,
  joinSorted: (x, sep) => `array_join(array_sort(collect_set(${x})), ${spark.lit(sep)})`,
  binary: (x) => x,
  keep: (name, q) => `CREATE OR REPLACE TEMPORARY VIEW ${name} AS\n${q};\nCACHE TABLE ${name};`,
};

export const DIALECT: Readonly<Record<DialectId, Dialect>> = { duckdb, postgres, bigquery, snowflake, spark };

/**
 * A JavaScript pattern printed for a dialect (see regex.ts). `squeezed`: the text it reads holds no
 * whitespace but the space, so the printer may write classes without the other whitespace characters.
 */
export function printFor(d: Dialect, re: RegExp, use: 'test' | 'extract' | 'scan' | 'replace', squeezed = false): PrintedRegex {
  return printRegex(re, d.flavor, use, squeezed ? SQUEEZED_DONT_CARE : undefined);
}
