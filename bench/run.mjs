// `npm run bench`: every job on the same generated file, each a whole process, in one run,
// so the ratios hold even on a noisy shared machine. Never part of `npm test`.
//
//   node bench/run.mjs [--rows N] [--runs K] [--rss-rows N1,N2] [--no-rss]
//
// Jobs: the floor (read the file, count newlines), csv-parse alone (stream API, counting
// records), the audit's own CSV reader alone (counting records), the audit (the real CLI: `node bin/bounce-audit.js FILE --json -o TMP`,
// on one thread and with the default threads), and the
// DuckDB job a power user would write instead (when @duckdb/node-api is installed).
// Prints a Markdown table and writes it to bench/out/results.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

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

async function ensureInput(n) {
  const path = join(outDir, `bounces-${n}.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${n.toLocaleString('en-US')} rows → ${path}\n`);
    await generate(path, { rows: n });
  }
  return path;
}

let hasDuckDb = false;
try {
  await import('@duckdb/node-api');
  hasDuckDb = true;
} catch {
  process.stderr.write('@duckdb/node-api is not installed: the DuckDB job is skipped\n');
}

const input = await ensureInput(rows);
const sizeMb = statSync(input).size / 1e6;
const tmpOut = join(outDir, 'suppression-bench.csv');
const node = process.execPath;
const jobs = [
  { name: 'floor: read the file in Node, count newlines', argv: [join(here, 'floor.mjs'), input] },
  { name: 'csv-parse alone, stream API, counting records', argv: [join(here, 'csv-parse-count.mjs'), input] },
  { name: "bounce-audit's CSV reader alone, counting records", argv: [join(here, 'reader-count.mjs'), input] },
  ...(hasDuckDb ? [{ name: 'DuckDB (2 threads): read_csv + regexp_extract + GROUP BY + COPY', argv: [join(here, 'duckdb-job.mjs'), input, join(outDir, 'duckdb-suppression.csv')], isDuckDb: true }] : []),
  { name: 'bounce-audit on one thread (`--threads 1`)', argv: [join(root, 'bin', 'bounce-audit.js'), input, '--json', '-o', tmpOut, '--threads', '1'], okCodes: [0, 1] },
  { name: '**bounce-audit** (whole CLI, default threads: parse, classify, aggregate, write suppression CSV)', argv: [join(root, 'bin', 'bounce-audit.js'), input, '--json', '-o', tmpOut], okCodes: [0, 1], isAudit: true },
];

const results = new Map(jobs.map((j) => [j, []]));
// Interleave the jobs run by run, so a burst of noise on the shared machine hits all of them.
for (let r = 0; r < runs; r++) {
  for (const job of jobs) {
    process.stderr.write(`run ${r + 1}/${runs}: ${job.name.replaceAll('*', '')}… `);
    const m = await measure(node, job.argv, { okCodes: job.okCodes });
    process.stderr.write(`${m.seconds.toFixed(2)} s\n`);
    results.get(job).push(m);
  }
}

const floorS = median(results.get(jobs[0]).map((m) => m.seconds));
const duck = jobs.find((j) => j.isDuckDb);
const duckS = duck ? median(results.get(duck).map((m) => m.seconds)) : null;
const lines = [];
lines.push(`Input: ${rows.toLocaleString('en-US')} rows, ${sizeMb.toFixed(0)} MB (bench/generate.mjs, seed 20260905). Median of ${runs} runs, each a whole process.`);
lines.push('');
lines.push('| job | median | rows/s | × floor | vs DuckDB | peak RSS |');
lines.push('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const job of jobs) {
  const ms = results.get(job);
  const s = median(ms.map((m) => m.seconds));
  const rss = ms.every((m) => m.rssKb !== null) ? `${(median(ms.map((m) => m.rssKb)) / 1024).toFixed(0)} MB` : 'n/a';
  const vsDuck = duckS === null ? 'n/a' : `${(s / duckS).toFixed(2)}×`;
  lines.push(`| ${job.name} | ${s.toFixed(2)} s | ${Math.round(rows / s).toLocaleString('en-US')} | ${(s / floorS).toFixed(1)}× | ${vsDuck} | ${rss} |`);
}
const audit = jobs.find((j) => j.isAudit);
const auditS = median(results.get(audit).map((m) => m.seconds));
lines.push('');
if (duckS !== null) {
  lines.push(`Audit / DuckDB: **${(auditS / duckS).toFixed(2)}×** the DuckDB job's time (below 1.00 is faster). Audit / floor: ${(auditS / floorS).toFixed(1)}×.`);
} else {
  lines.push(`Audit / floor: ${(auditS / floorS).toFixed(1)}×. DuckDB not installed: no DuckDB ratio.`);
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
