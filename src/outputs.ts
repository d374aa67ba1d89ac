/**
 * The outputs and breakdowns added by issue #4, as observers of the audit's rows: `--rows-out`,
 * `--by domain|source`, `--merge` and `--clean`. The CLI creates them before the audit (so
 * unwritable targets and a malformed merge list fail before a long read), feeds them every row
 * through `onRow`, and finishes them after.
 */
import { resolve } from 'node:path';
import type { AuditResult, RowEvent } from './audit.js';
import type { Thresholds } from './count/campaigns.js';
import { checkWritable } from './output/atomic-write.js';
import { writeAtomic } from './output/atomic-write.js';
import { AtomicSink } from './output/atomic-sink.js';
import { BreakdownCounter, NONE_KEY, domainKey, type BreakdownSummary } from './count/breakdowns.js';
import type { MergeStats, MergedEntry } from './suppression/merge.js';
import type { CleanStats } from './suppression/clean.js';
import { parseStatus } from './classify/parse-status.js';
import { UsageError } from './errors.js';
import type { ExtraOptions } from './cli/options-extra.js';
import type { SuppressionEntry } from './suppression/list.js';
import { csvLine } from './output/csv-record.js';
import { ruleSource } from './classify/rules.js';
import { ACTIONS } from './classify/actions.js';

/** Columns --explain adds to --rows-out: why each row got its verdict, and what to do. */
export const EXPLAIN_COLUMNS = ['rule_source', 'guard', 'action'] as const;

/** Rule sources by id: a few dozen rules, looked up once each. */
const sourceCache = new Map<string, string>();

export function explainRecord(e: RowEvent): string[] {
  if (!e.cls) return ['', '', ''];
  let src = sourceCache.get(e.cls.ruleId);
  if (src === undefined) {
    const id = e.cls.ruleId;
    src = ruleSource(id) ?? (id.startsWith('hint') ? `the platform's own bounce type (${id.replace(/^[^:]*:/, '')}), no decisive reply text` : '');
    sourceCache.set(id, src);
  }
  return [src, e.cls.guard ?? '', ACTIONS[e.cls.bucket ?? 'delivered']];
}

/** `--rows-out` columns: where the row came from, what it said, and what we made of it. */
export const ROWS_OUT_COLUMNS = [
  'file',
  'line',
  'email',
  'campaign',
  'date',
  'status',
  'diagnostic',
  'source',
  'platform_hint',
  'basic_code',
  'enhanced_code',
  'outcome',
  'bucket',
  'reason',
  'rule_id',
  'receiver',
  'suppressed',
  'skipped',
] as const;

export function rowsOutRecord(e: RowEvent): string[] {
  const r = e.row;
  const parsed = r ? parseStatus(r.status, r.diagnostic) : null;
  return [
    e.file,
    String(e.line),
    e.email ?? r?.email ?? '',
    e.campaign ?? '',
    r?.date ?? '',
    r?.status ?? '',
    (r?.diagnostic ?? '').replace(/\s+/g, ' ').trim(),
    r?.source ?? '',
    r?.hint?.reason ?? '',
    parsed?.basic ?? '',
    parsed?.enhanced ?? '',
    e.cls ? e.cls.outcome : '',
    e.cls ? (e.cls.bucket ?? '') : '',
    e.cls?.reason ?? '',
    e.cls?.ruleId ?? '',
    e.cls?.receiver ?? '',
    e.suppressed ? 'yes' : 'no',
    e.skip ?? '',
  ];
}

/** What the extra outputs did, for the reports. */
export interface ExtrasReport {
  profile: ExtraOptions['profile'];
  breakdowns: BreakdownSummary[];
  merge: MergeStats | null;
  clean: CleanStats | null;
  rowsOut: { path: string; rows: number } | null;
}

export interface Extras {
  onRow: ((e: RowEvent) => void | Promise<void>) | undefined;
  /**
   * Finish after a successful audit: returns the suppression entries `-o` should hold when they
   * are not the run's own list (--merge), else null.
   */
  finish(result: AuditResult, t: Thresholds): Promise<{ entries: SuppressionEntry[] | null; report: ExtrasReport }>;
  abort(): Promise<void>;
}

export async function prepareExtras(opts: ExtraOptions, out: string | null): Promise<Extras> {
  if (opts.merge !== null && out !== null && out !== '-' && resolve(out) === resolve(opts.merge)) {
    throw new UsageError('-o and --merge name the same file: --merge already updates that list in place; give -o another path or --no-out');
  }
  if (opts.rowsOut !== null) await checkWritable(opts.rowsOut, 'rows CSV');
  if (opts.cleanOut !== null) await checkWritable(opts.cleanOut, 'cleaned lead list');
  if (opts.merge !== null) await checkWritable(opts.merge, 'merged suppression list');
  // --merge and --clean bring their own modules, loaded only when asked for.
  const merging = opts.merge !== null ? await import('./suppression/merge.js') : null;
  const list = merging !== null && opts.merge !== null ? await merging.readMergeList(opts.merge) : null;

  const counters = opts.by.map((b) => new BreakdownCounter(b));
  const byDomain = counters.find((c) => c.by === 'domain');
  const bySource = counters.find((c) => c.by === 'source');
  /** This run's invalid-address bounces per address and campaign, for an idempotent merge. */
  const runCounts = new Map<string, Map<string, number>>();

  let sink: AtomicSink | null = null;
  let rowsWritten = 0;
  if (opts.rowsOut !== null) {
    sink = new AtomicSink(opts.rowsOut, 'rows CSV');
    await sink.open();
    await sink.write(csvLine(opts.explain ? [...ROWS_OUT_COLUMNS, ...EXPLAIN_COLUMNS] : [...ROWS_OUT_COLUMNS]));
  }

  const needRows = sink !== null || counters.length > 0 || list !== null;
  const onRow = needRows
    ? (e: RowEvent): void | Promise<void> => {
        if (e.cls && e.email) {
          byDomain?.add(domainKey(e.email, e.cls.receiver), e.cls);
          bySource?.add(e.row?.source.trim() || NONE_KEY, e.cls);
          if (list !== null && e.suppressed && e.campaign !== null) {
            let m = runCounts.get(e.email);
            if (!m) runCounts.set(e.email, (m = new Map()));
            m.set(e.campaign, (m.get(e.campaign) ?? 0) + 1);
          }
        }
        if (sink) {
          rowsWritten++;
          return sink.write(csvLine(opts.explain ? [...rowsOutRecord(e), ...explainRecord(e)] : rowsOutRecord(e)));
        }
      }
    : undefined;

  return {
    onRow,
    async finish(result, t) {
      if (sink) await sink.commit();
      // Null: -o gets this run's list as it is (SuppressionList.csvChunks writes it without
      // turning every address into an object first).
      let entries: SuppressionEntry[] | null = null;
      let merge: MergeStats | null = null;
      if (list !== null && merging !== null && opts.merge !== null) {
        const before = list.entries.size;
        const merged = merging.mergeLists(list.entries, result.suppression.entries(), runCounts);
        // csv-stringify is loaded only here: ~20 ms of start-up that runs without --merge do not need.
        const { stringify } = await import('csv-stringify/sync');
        await writeAtomic(opts.merge, mergeChunks(merged.entries, stringify, merging), 'merged suppression list');
        entries = merged.entries;
        merge = {
          path: opts.merge,
          created: list.created,
          before,
          added: merged.added,
          updated: merged.updated,
          after: merged.entries.length,
          skipped: list.skipped,
          skippedLines: list.skippedLines,
        };
      }
      let clean: CleanStats | null = null;
      if (opts.clean !== null && opts.cleanOut !== null) {
        const held = entries !== null ? new Set(entries.map((e) => e.email)) : result.suppression;
        const { cleanLeads } = await import('./suppression/clean.js');
        clean = await cleanLeads(opts.clean, opts.cleanOut, (email) => held.has(email));
      }
      return {
        entries,
        report: {
          profile: opts.profile,
          breakdowns: counters.map((c) => c.summary(t)),
          merge,
          clean,
          rowsOut: opts.rowsOut !== null ? { path: opts.rowsOut, rows: rowsWritten } : null,
        },
      };
    },
    async abort() {
      await sink?.abort();
    },
  };
}

function* mergeChunks(
  entries: readonly MergedEntry[],
  stringify: typeof import('csv-stringify/sync').stringify,
  { MERGE_COLUMNS, mergeRecord }: typeof import('./suppression/merge.js'),
): Generator<string> {
  yield stringify([[...MERGE_COLUMNS]], { record_delimiter: '\n' });
  const BATCH = 500;
  for (let i = 0; i < entries.length; i += BATCH) {
    yield stringify(entries.slice(i, i + BATCH).map(mergeRecord), { record_delimiter: '\n' });
  }
}
