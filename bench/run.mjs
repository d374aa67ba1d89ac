// `npm run bench`: every job on the same generated file, each a whole process, in one run,
// so the ratios hold even on a noisy shared machine. Never part of `npm test`.
//
//   node bench/run.mjs [--rows N] [--runs K] [--shapes NAME,…|none] [--baseline DIR]
//                      [--rss-rows N1,N2] [--no-rss] [--no-generated-sql]
//
// Main table, on the default shape: the floor (read the file, count newlines), csv-parse alone
// (stream API, counting records), the audit's own CSV reader alone (counting records), the audit
// (the real CLI: `node bin/bounce-audit.js FILE --json -o TMP`, on one thread and with the
// default threads), the DuckDB job a power user would write instead, and the audit's own
// generated SQL on DuckDB (bench/generated-sql-job.mjs: what `bounce-audit sql --dialect duckdb`
// prints, compiled from dist/), the last two when @duckdb/node-api is installed. The bench checks
// once that the generated SQL's per-campaign figures and suppression CSV are the CLI's. The
// generated SQL runs in its two variants: each distinct masked reply classified once and joined
// back (what the CLI prints), and every row classified; the summary gives every-row /
// distinct-first. They take minutes a run at 1 M rows: --no-generated-sql leaves them out.
// By shape: for each log shape of bench/generate.mjs (--shapes, default all; --rows applies to
// each), the audit with the default threads and the DuckDB job on the same file; the summary
// gives the median and the worst audit / DuckDB ratio across shapes.
// --baseline DIR: DIR is another built checkout of the project (its own bin/ and node_modules);
// its CLI runs the same way next to the current one, in the main table and on every shape, and
// the summary gives current / baseline per shape and across shapes.
// All jobs are interleaved run by run. Prints Markdown and writes it to bench/out/results.md.
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, SHAPES, SHAPE_NAMES } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const rows = Number(flag('--rows', '1000000'));
const runs = Number(flag('--runs', '3'));
const rssRows = args.includes('--no-rss') ? [] : flag('--rss-rows', '1000000,5000000').split(',').map(Number).filter((n) => n > 0);
const shapesFlag = flag('--shapes', 'all');
const shapeNames = shapesFlag === 'all' ? SHAPE_NAMES : shapesFlag === 'none' ? [] : shapesFlag.split(',').map((x) => x.trim()).filter(Boolean);
const unknownShapes = shapeNames.filter((n) => !SHAPE_NAMES.includes(n));
if (unknownShapes.length) {
  process.stderr.write(`unknown shape(s): ${unknownShapes.join(', ')}; shapes: ${SHAPE_NAMES.join(', ')}\n`);
  process.exit(2);
}
const baselineDir = flag('--baseline', null) === null ? null : resolve(flag('--baseline'));
const baselineBin = baselineDir === null ? null : join(baselineDir, 'bin', 'bounce-audit.js');
if (baselineBin !== null && !existsSync(baselineBin)) {
  process.stderr.write(`--baseline: ${baselineBin} does not exist (DIR must be a built checkout of the project)\n`);
  process.exit(2);
}
/** The baseline's commit, for the record (null when DIR is not a git checkout). */
let baselineRev = null;
if (baselineDir !== null) {
  try {
    baselineRev = execFileSync('git', ['-C', baselineDir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    baselineRev = null;
  }
}

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Run one process; resolve to { seconds, rssKb, code }. */
function measure(cmd, cmdArgs, { okCodes = [0] } = {}) {
  const rssFile = join(outDir, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  let file = cmd;
  let argv = cmdArgs;
  const env = { ...process.env, NO_COLOR: '1' };
  if (TIME) {
    file = TIME;
    argv = ['-f', '%M', '-o', rssFile, cmd, ...cmdArgs];
  } else if (cmd === process.execPath) {
    argv = ['--import', join(here, 'report-rss.mjs'), ...cmdArgs];
    env.BOUNCE_AUDIT_RSS_FILE = rssFile;
  }
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let rssKb = null;
      if (existsSync(rssFile)) {
        const nums = readFileSync(rssFile, 'utf8').match(/\d+/g);
        rssKb = nums ? Math.max(...nums.map(Number)) : null;
        rmSync(rssFile, { force: true });
      }
      if (!okCodes.includes(code)) reject(new Error(`${cmdArgs.join(' ')} exited ${code}: ${stderr.slice(0, 2000)}`));
      else resolve({ seconds, rssKb, code });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const generatorMtime = statSync(join(here, 'generate.mjs')).mtimeMs;
/**
 * The generated log of n rows in a shape, kept in bench/out between runs. Written again when
 * generate.mjs is newer than the file, and written under a temporary name first, so an
 * interrupted run never leaves a short file behind to be measured next time.
 */
async function ensureInput(n, shape = 'default') {
  const path = join(outDir, shape === 'default' ? `bounces-${n}.csv` : `bounces-${shape}-${n}.csv`);
  if (!existsSync(path) || statSync(path).mtimeMs < generatorMtime) {
    process.stderr.write(`generating ${n.toLocaleString('en-US')} rows (${shape}) → ${path}\n`);
    await generate(`${path}.tmp`, { rows: n, shape });
    renameSync(`${path}.tmp`, path);
  }
  return path;
}

/** Read a file once, untimed, so that the first job timed on it does not pay for the disk. */
async function warm(path) {
  for await (const _ of createReadStream(path, { highWaterMark: 1 << 20 }));
}

let hasDuckDb = false;
try {
  await import('@duckdb/node-api');
  hasDuckDb = true;
} catch {
  process.stderr.write('@duckdb/node-api is not installed: the DuckDB jobs are skipped\n');
}
const hasGeneratedSql = hasDuckDb && !args.includes('--no-generated-sql');

const input = await ensureInput(rows);
const sizeMb = statSync(input).size / 1e6;
const tmpOut = join(outDir, 'suppression-bench.csv');
const baselineOut = join(outDir, 'suppression-baseline.csv');
const node = process.execPath;
const auditJob = (file, name) => ({ name, argv: [join(root, 'bin', 'bounce-audit.js'), file, '--json', '-o', tmpOut], okCodes: [0, 1], isAudit: true });
const duckJob = (file, name) => ({ name, argv: [join(here, 'duckdb-job.mjs'), file, join(outDir, 'duckdb-suppression.csv')], isDuckDb: true });
// The generated SQL, compiled once from dist/ before the timed runs (as a user compiles it once).
const sqlJson = { distinct: join(outDir, 'generated-sql-distinct.sql.json'), everyRow: join(outDir, 'generated-sql-every-row.sql.json') };
if (hasGeneratedSql) {
  const { generatedSql } = await import('./generated-sql-job.mjs');
  writeFileSync(sqlJson.distinct, JSON.stringify(await generatedSql()));
  writeFileSync(sqlJson.everyRow, JSON.stringify(await generatedSql({ everyRow: true })));
}
/** A run of the generated SQL; `tag` names its suppression CSV and per-campaign JSON in bench/out. */
const sqlJob = (file, name, variant, tag) => ({
  name,
  argv: [join(here, 'generated-sql-job.mjs'), file, sqlJson[variant], join(outDir, `generated-sql-${tag}-suppression.csv`), join(outDir, `generated-sql-${tag}-campaigns.json`)],
  isGeneratedSql: true,
  variant,
  suppression: join(outDir, `generated-sql-${tag}-suppression.csv`),
  campaigns: join(outDir, `generated-sql-${tag}-campaigns.json`),
});
const baselineJob = (file, name) => ({ name, argv: [baselineBin, file, '--json', '-o', baselineOut], okCodes: [0, 1], isBaseline: true });
const jobs = [
  { name: 'floor: read the file in Node, count newlines', argv: [join(here, 'floor.mjs'), input] },
  { name: 'csv-parse alone, stream API, counting records', argv: [join(here, 'csv-parse-count.mjs'), input] },
  { name: "bounce-audit's CSV reader alone, counting records", argv: [join(here, 'reader-count.mjs'), input] },
  ...(hasDuckDb ? [duckJob(input, 'DuckDB (2 threads): read_csv + regexp_extract + GROUP BY + COPY')] : []),
  ...(hasGeneratedSql
    ? [
        sqlJob(input, 'the generated SQL on DuckDB (2 threads): read_csv + `bounce-audit sql --dialect duckdb` + COPY', 'distinct', 'distinct'),
        sqlJob(input, 'the generated SQL, variant classifying every row instead of each distinct reply', 'everyRow', 'every-row'),
      ]
    : []),
  { name: 'bounce-audit on one thread (`--threads 1`)', argv: [join(root, 'bin', 'bounce-audit.js'), input, '--json', '-o', tmpOut, '--threads', '1'], okCodes: [0, 1] },
  auditJob(input, '**bounce-audit** (whole CLI, default threads: parse, classify, aggregate, write suppression CSV)'),
  ...(baselineBin !== null ? [baselineJob(input, `baseline: the CLI of \`${baselineDir}\`, default threads`)] : []),
];

// One group per shape: the audit, DuckDB and the baseline on that shape's file. The default
// shape's group is the main table's jobs, measured once for both.
const groups = [];
for (const shape of shapeNames) {
  if (shape === 'default') {
    groups.push({ shape, file: input, jobs, main: true });
    continue;
  }
  const file = await ensureInput(rows, shape);
  groups.push({
    shape,
    file,
    jobs: [auditJob(file, 'bounce-audit'), ...(hasDuckDb ? [duckJob(file, 'DuckDB')] : []), ...(baselineBin !== null ? [baselineJob(file, 'baseline')] : [])],
  });
}

const results = new Map([...jobs, ...groups.flatMap((g) => g.jobs)].map((j) => [j, []]));
async function measureJob(job, label) {
  process.stderr.write(`${label}${job.name.replaceAll('*', '')}… `);
  const m = await measure(node, job.argv, { okCodes: job.okCodes });
  process.stderr.write(`${m.seconds.toFixed(2)} s\n`);
  results.get(job).push(m);
}
// Interleave the jobs run by run, so a burst of noise on the shared machine hits all of them.
// On a shape, the jobs' order turns by one each run, so none is always first after the switch
// to a new file; in the main table the audit and the baseline (its last two jobs), and the
// generated SQL's two variants, swap places every other run.
const swapped = (list, a, b) => list.map((j) => (j === a ? b : j === b ? a : j));
for (let r = 0; r < runs; r++) {
  let main = baselineBin !== null && r % 2 === 1 ? [...jobs.slice(0, -2), jobs.at(-1), jobs.at(-2)] : jobs;
  if (r % 2 === 1 && hasGeneratedSql) main = swapped(main, ...jobs.filter((j) => j.isGeneratedSql));
  for (const job of main) await measureJob(job, `run ${r + 1}/${runs}: `);
  for (const g of groups) {
    if (g.main) continue;
    await warm(g.file);
    for (let k = 0; k < g.jobs.length; k++) await measureJob(g.jobs[(k + r) % g.jobs.length], `run ${r + 1}/${runs} [${g.shape}]: `);
  }
}

/**
 * The differences between the generated SQL's per-campaign rows (then the totals row, campaign
 * NULL) and the CLI's JSON report, described; none when they agree.
 */
function campaignDifferences(sqlRows, report) {
  const fields = [
    ['rows', 'rows'], ['sent', 'sent'], ['sent_source', 'sentSource'], ['delivered', 'delivered'], ['bounced', 'bounced'],
    ['invalid_address', 'invalidAddress'], ['soft_bounce', 'softBounce'], ['blocked', 'blocked'], ['unclassified', 'unclassified'],
    ['invalid_address_rate', 'invalidAddressRate'], ['status', 'status'],
  ];
  // DuckDB hands BIGINTs over as strings.
  const value = (v) => (v === null || v === undefined ? null : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  const out = [];
  const cli = new Map(report.campaigns.map((c) => [c.campaign, c]));
  const seen = new Set();
  for (const row of sqlRows) {
    const want = row.campaign === null ? report.totals : cli.get(row.campaign);
    const name = row.campaign === null ? 'the totals' : `campaign "${row.campaign}"`;
    seen.add(row.campaign);
    if (!want) {
      out.push(`${name} is not in the CLI's report`);
      continue;
    }
    for (const [sqlKey, cliKey] of fields) {
      if (value(row[sqlKey]) !== value(want[cliKey])) out.push(`${name} ${cliKey}: SQL ${row[sqlKey]}, CLI ${want[cliKey]}`);
    }
  }
  for (const name of cli.keys()) if (!seen.has(name)) out.push(`campaign "${name}" is missing from the SQL's rows`);
  if (!seen.has(null)) out.push("the SQL's totals row is missing");
  return out;
}

/** Whether two files hold the same bytes. */
const sameBytes = (a, b) => existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));

// Once, untimed: the CLI's JSON report and suppression CSV of the main file, for the generated
// SQL's last run on it to be held to, so that a wrong result cannot pass for a fast one.
let sqlCheck = null;
const mainSql = jobs.find((j) => j.isGeneratedSql && j.variant === 'distinct');
const everyRowSql = jobs.find((j) => j.isGeneratedSql && j.variant === 'everyRow');
if (mainSql) {
  process.stderr.write('checking the generated SQL against the CLI… ');
  const cliOut = join(outDir, 'generated-sql-check-cli.csv');
  const report = JSON.parse(
    await new Promise((resolve, reject) => {
      const child = spawn(node, [join(root, 'bin', 'bounce-audit.js'), input, '--json', '-o', cliOut], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('error', reject);
      child.on('close', (code) => ([0, 1].includes(code) ? resolve(stdout) : reject(new Error(`the CLI exited ${code}`))));
    }),
  );
  const differences = campaignDifferences(JSON.parse(readFileSync(mainSql.campaigns, 'utf8')), report);
  const suppressionSame = sameBytes(mainSql.suppression, cliOut);
  const lineCount = (f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).length - 1;
  sqlCheck = { campaigns: report.campaigns.length, differences, suppressionSame, sqlAddresses: lineCount(mainSql.suppression), cliAddresses: lineCount(cliOut) };
  process.stderr.write(`${differences.length === 0 && suppressionSame ? 'agrees' : 'DISAGREES'}\n`);
  rmSync(cliOut, { force: true });
}

const seconds = (job) => results.get(job).map((m) => m.seconds);
/** Median over the runs of a's time over b's in the same run. */
const pairedRatio = (a, b) => median(results.get(a).map((m, r) => m.seconds / results.get(b)[r].seconds));
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const medianRss = (job) => {
  const ms = results.get(job);
  return ms.every((m) => m.rssKb !== null) ? mb(median(ms.map((m) => m.rssKb))) : 'n/a';
};
const x = (ratio) => `${ratio.toFixed(2)}×`;

const floorS = median(seconds(jobs[0]));
const duck = jobs.find((j) => j.isDuckDb);
const duckS = duck ? median(seconds(duck)) : null;
const lines = [];
lines.push(`Input: ${rows.toLocaleString('en-US')} rows, ${sizeMb.toFixed(0)} MB (bench/generate.mjs, seed 20260905). Median of ${runs} runs, each a whole process.`);
lines.push('');
lines.push('| job | median | rows/s | × floor | vs DuckDB | peak RSS |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const job of jobs) {
  const s = median(seconds(job));
  const vsDuck = duckS === null ? 'n/a' : x(s / duckS);
  lines.push(`| ${job.name} | ${s.toFixed(2)} s | ${Math.round(rows / s).toLocaleString('en-US')} | ${(s / floorS).toFixed(1)}× | ${vsDuck} | ${medianRss(job)} |`);
}
const audit = jobs.find((j) => j.isAudit);
const auditS = median(seconds(audit));
lines.push('');
if (duckS !== null) {
  lines.push(`Audit / DuckDB: **${(auditS / duckS).toFixed(2)}×** the DuckDB job's time (below 1.00 is faster). Audit / floor: ${(auditS / floorS).toFixed(1)}×.`);
} else {
  lines.push(`Audit / floor: ${(auditS / floorS).toFixed(1)}×. DuckDB not installed: no DuckDB ratio.`);
}
if (mainSql) {
  lines.push('');
  lines.push(
    `Generated SQL / DuckDB job: **${x(pairedRatio(mainSql, duck))}**; audit / generated SQL: **${x(pairedRatio(audit, mainSql))}** (medians of each run's ratio; below 1.00 the first is faster). ` +
      'The generated SQL is compiled once from dist/ before the runs (`bench/generated-sql-job.mjs`) and classifies each distinct masked reply once.',
  );
  const c = sqlCheck;
  const agrees = c.differences.length === 0 && c.suppressionSame;
  lines.push('');
  lines.push(
    `Generated SQL agrees with the CLI: **${agrees ? 'yes' : 'NO'}** (${c.campaigns} campaigns and the totals: ${c.differences.length === 0 ? 'the same figures' : `${c.differences.length} differences`}; ` +
      `suppression CSV ${c.suppressionSame ? `byte for byte the CLI's, ${c.sqlAddresses.toLocaleString('en-US')} addresses` : `differs: ${c.sqlAddresses.toLocaleString('en-US')} addresses in the SQL's, ${c.cliAddresses.toLocaleString('en-US')} in the CLI's`}).`,
  );
  for (const d of c.differences.slice(0, 10)) lines.push(`- ${d}`);
  if (c.differences.length > 10) lines.push(`- … and ${c.differences.length - 10} more`);
}
if (everyRowSql) {
  const ratio = pairedRatio(everyRowSql, mainSql);
  const sameOutput = sameBytes(mainSql.campaigns, everyRowSql.campaigns) && sameBytes(mainSql.suppression, everyRowSql.suppression);
  lines.push('');
  lines.push(
    `Generated SQL, every row / distinct replies first: **${x(ratio)}** (median of each run's ratio, the two back to back in each run). ` +
      `Distinct-first beats every-row: **${ratio > 1 ? 'yes' : 'no'}**. The two give the same per-campaign figures and suppression CSV: ${sameOutput ? 'yes' : '**NO**'}.`,
  );
}
const baseline = jobs.find((j) => j.isBaseline);
if (baseline) {
  lines.push('');
  lines.push(`Current / baseline: **${x(pairedRatio(audit, baseline))}** (median of each run's ratio; below 1.00 is faster). Baseline: \`${baselineDir}\`${baselineRev ? ` at ${baselineRev}` : ''}.`);
}

if (groups.length) {
  const rowsOf = groups.map((g) => {
    const a = g.jobs.find((j) => j.isAudit);
    const d = g.jobs.find((j) => j.isDuckDb);
    const b = g.jobs.find((j) => j.isBaseline);
    return {
      shape: g.shape,
      mb: statSync(g.file).size / 1e6,
      auditS: median(seconds(a)),
      duckS: d ? median(seconds(d)) : null,
      baseS: b ? median(seconds(b)) : null,
      vsDuck: d ? pairedRatio(a, d) : null,
      vsBase: b ? pairedRatio(a, b) : null,
      rss: medianRss(a),
    };
  });
  lines.push('');
  lines.push(`By log shape: ${rows.toLocaleString('en-US')} rows each (\`node bench/generate.mjs --shape NAME\`, seed 20260905), the audit with the default threads. Median of ${runs} runs; each ratio is the median of the runs' ratios, a run's jobs on a shape having run back to back (below 1.00: the audit, or the current CLI, is faster).`);
  lines.push('');
  const head = ['shape', 'input', 'audit', ...(hasDuckDb ? ['DuckDB', 'audit / DuckDB'] : []), ...(baselineBin !== null ? ['baseline', 'current / baseline'] : []), 'audit peak RSS'];
  lines.push(`| ${head.join(' | ')} |`);
  lines.push(`| --- | ${head.slice(1).map(() => '---:').join(' | ')} |`);
  for (const s of rowsOf) {
    const cells = [`\`${s.shape}\``, `${s.mb.toFixed(0)} MB`, `${s.auditS.toFixed(2)} s`];
    if (hasDuckDb) cells.push(`${s.duckS.toFixed(2)} s`, x(s.vsDuck));
    if (baselineBin !== null) cells.push(`${s.baseS.toFixed(2)} s`, x(s.vsBase));
    cells.push(s.rss);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const across = (key, label) => {
    const worst = rowsOf.reduce((w, s) => (s[key] > w[key] ? s : w));
    lines.push(`Across ${rowsOf.length} shape${rowsOf.length === 1 ? '' : 's'}, ${label}: median **${x(median(rowsOf.map((s) => s[key])))}**, worst **${x(worst[key])}** (\`${worst.shape}\`).`);
  };
  lines.push('');
  if (hasDuckDb) across('vsDuck', 'audit / DuckDB');
  if (baselineBin !== null) {
    if (hasDuckDb) lines.push('');
    across('vsBase', 'current / baseline');
  }
  lines.push('');
  lines.push('Shapes:');
  for (const s of rowsOf) lines.push(`- \`${s.shape}\`: ${SHAPES[s.shape].about}`);
}

if (rssRows.length) {
  lines.push('');
  lines.push('Peak RSS of the audit by input size (one run each; the input is generated, measured, deleted):');
  lines.push('');
  lines.push('| rows | input | audit time | peak RSS | suppressed addresses |');
  lines.push('| ---: | ---: | ---: | ---: | ---: |');
  for (const n of rssRows) {
    const path = join(outDir, `rss-input-${n}.csv`);
    process.stderr.write(`RSS: generating ${n.toLocaleString('en-US')} rows… `);
    await generate(path, { rows: n });
    const mb = statSync(path).size / 1e6;
    const out = join(outDir, 'suppression-rss.csv');
    try {
      const m = await measure(node, [join(root, 'bin', 'bounce-audit.js'), path, '--json', '-o', out], { okCodes: [0, 1] });
      const suppressed = readFileSync(out, 'utf8').split('\n').filter((l) => l.includes('@')).length;
      process.stderr.write(`${m.seconds.toFixed(1)} s, ${m.rssKb === null ? 'n/a' : `${(m.rssKb / 1024).toFixed(0)} MB`}\n`);
      lines.push(`| ${n.toLocaleString('en-US')} | ${mb.toFixed(0)} MB | ${m.seconds.toFixed(1)} s | ${m.rssKb === null ? 'n/a' : `${(m.rssKb / 1024).toFixed(0)} MB`} | ${suppressed.toLocaleString('en-US')} |`);
    } finally {
      rmSync(path, { force: true });
      rmSync(out, { force: true });
    }
  }
}

const cpu = cpus();
lines.push('');
lines.push(`Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${platform()} ${release()}, Node ${process.versions.node}. RSS from ${TIME ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS'}.`);
const md = lines.join('\n') + '\n';
process.stdout.write(`\n${md}`);
writeFileSync(join(outDir, 'results.md'), md);
rmSync(tmpOut, { force: true });
rmSync(baselineOut, { force: true });
for (const job of jobs.filter((j) => j.isGeneratedSql)) {
  rmSync(job.suppression, { force: true });
  rmSync(job.campaigns, { force: true });
}
