// What a power user would write instead of the audit: DuckDB (2 threads) reads the CSV,
// extracts the codes with regexp_extract, groups per campaign, and COPYs a de-duplicated
// suppression list.   node bench/duckdb-job.mjs IN.csv OUT.csv
import { DuckDBInstance } from '@duckdb/node-api';

const [input, output] = process.argv.slice(2);
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`
  CREATE TEMP TABLE rows AS
  SELECT lower(trim(email)) AS email, campaign, date,
         regexp_extract(status || ' ' || diagnostic, '([245]\\.\\d{1,3}\\.\\d{1,3})', 1) AS enhanced,
         regexp_extract(status || ' ' || diagnostic, '(^|[^\\d.])([245]\\d\\d)([^\\d.]|$)', 2) AS basic,
         diagnostic
  FROM read_csv(${lit(input)}, header = true, all_varchar = true, quote = '"', escape = '"')`);
const perCampaign = await con.runAndReadAll(`
  SELECT campaign, count(*) AS sent,
         count(*) FILTER (WHERE enhanced IN ('5.1.1', '5.1.2', '5.1.10')) AS invalid,
         count(*) FILTER (WHERE enhanced IN ('5.1.1', '5.1.2', '5.1.10')) / count(*) AS rate
  FROM rows GROUP BY campaign ORDER BY campaign`);
await con.run(`
  COPY (SELECT email, min(enhanced) AS enhanced_code, min(basic) AS basic_code,
               string_agg(DISTINCT campaign, '; ') AS campaigns, min(date) AS first_bounced_at,
               max(date) AS last_bounced_at, count(*) AS bounce_count, first(diagnostic) AS diagnostic
        FROM rows WHERE enhanced IN ('5.1.1', '5.1.2', '5.1.10')
        GROUP BY email ORDER BY email) TO ${lit(output)} (HEADER, DELIMITER ',')`);
console.log(perCampaign.getRows().length);
