/**
 * The files a run writes besides the report: the suppression CSV (`-o`), the rows CSV
 * (`--rows-out`), the account-wide list (`--merge`) and the cleaned lead list (`--clean`).
 * Prepared before the audit reads anything (so an unwritable target or a malformed merge list
 * fails before a long read), fed every row when a row-level output needs it, and finished after.
 */
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import type { RowEvent } from './count/tally.js';
import { checkWritable, writeAtomic } from './output/atomic-write.js';
import { AtomicSink } from './output/atomic-sink.js';
import { writeChunk } from './output/back-pressure.js';
import { csvRecord } from './output/csv-record.js';
import { ROWS_OUT_EMAIL, rowsOutHeader, rowsOutRecord } from './output/rows-out.js';
import { profileHeader, profileLine, type Profile } from './suppression/profiles.js';
import type { SuppressionEntry, SuppressionList } from './suppression/list.js';
import type { MergeStats } from './suppression/merge.js';
import type { CleanStats } from './suppression/clean.js';
import { UsageError } from './errors.js';

export interface OutputOptions {
  /** Suppression CSV target: a path, '-' for standard output, or null for none. */
  out: string | null;
  profile: Profile;
  merge: string | null;
  clean: string | null;
  cleanOut: string | null;
  rowsOut: string | null;
  explain: boolean;
}

/** What the outputs did, for the reports. */
export interface OutputsReport {
  /** Where the suppression CSV went: a path, "-" for standard output, or null (--no-out). */
  suppressionPath: string | null;
  /** Addresses the suppression CSV holds (the whole merged list with --merge). */
  suppressionAddresses: number;
  profile: Profile;
  merge: MergeStats | null;
  clean: CleanStats | null;
  rowsOut: { path: string; rows: number } | null;
}

export interface Outputs {
  /** Observer of every row, when an output needs rows (--rows-out, --merge); else undefined. */
  onRow: ((e: RowEvent) => void | Promise<void>) | undefined;
  /** Write every output of a finished audit. */
  finish(list: SuppressionList, stdout: Writable): Promise<OutputsReport>;
  /** Remove what was staged after a failed audit. */
  abort(): Promise<void>;
}

export async function prepareOutputs(opts: OutputOptions): Promise<Outputs> {
  if (opts.merge !== null && opts.out !== null && opts.out !== '-' && resolve(opts.out) === resolve(opts.merge)) {
    throw new UsageError('-o and --merge name the same file: --merge already updates that list in place; give -o another path or --no-out');
  }
  if (opts.out !== null && opts.out !== '-') await checkWritable(opts.out, 'suppression CSV');
  if (opts.rowsOut !== null) await checkWritable(opts.rowsOut, 'rows CSV');
  if (opts.cleanOut !== null) await checkWritable(opts.cleanOut, 'cleaned lead list');
  if (opts.merge !== null) await checkWritable(opts.merge, 'merged suppression list');
  // --merge and --clean bring their own modules, loaded only when asked for.
  const merging = opts.merge !== null ? await import('./suppression/merge.js') : null;
  const list = merging !== null && opts.merge !== null ? await merging.readMergeList(opts.merge) : null;
  /** This run's invalid-address bounces per address and campaign, for an idempotent merge. */
  const runCounts = new Map<string, Map<string, number>>();

  let sink: AtomicSink | null = null;
  let rowsWritten = 0;
  if (opts.rowsOut !== null) {
    sink = new AtomicSink(opts.rowsOut, 'rows CSV');
    await sink.open();
    await sink.write(csvRecord(rowsOutHeader(opts.explain)));
  }

  const onRow =
    sink !== null || list !== null
      ? (e: RowEvent): void | Promise<void> => {
          if (list !== null && e.suppressed && e.email !== null && e.campaign !== null) {
            let m = runCounts.get(e.email);
            if (!m) runCounts.set(e.email, (m = new Map()));
            m.set(e.campaign, (m.get(e.campaign) ?? 0) + 1);
          }
          if (sink) {
            rowsWritten++;
            return sink.write(csvRecord(rowsOutRecord(e, opts.explain), { address: e.email !== null ? ROWS_OUT_EMAIL : -1 }));
          }
        }
      : undefined;

  return {
    onRow,
    async finish(run, stdout) {
      if (sink) await sink.commit();
      // Null: -o gets this run's list as it is (SuppressionList.csvChunks writes it without
      // turning every address into an object first).
      let entries: SuppressionEntry[] | null = null;
      let merge: MergeStats | null = null;
      if (list !== null && merging !== null && opts.merge !== null) {
        const before = list.entries.size;
        const merged = merging.mergeLists(list.entries, run.entries(), runCounts);
        await writeAtomic(opts.merge, merging.mergeCsv(merged.entries), 'merged suppression list');
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
        const held = entries !== null ? new Set(entries.map((e) => e.email)) : run;
        const { cleanLeads } = await import('./suppression/clean.js');
        clean = await cleanLeads(opts.clean, opts.cleanOut, (email) => held.has(email));
      }
      if (opts.out !== null) {
        const csv = entries !== null ? suppressionCsv(entries, opts.profile) : run.csvChunks(profileLine(opts.profile), profileHeader(opts.profile));
        if (opts.out === '-') {
          // A copy of bytes: their buffer may be filled anew once the next chunk is asked for.
          for (const chunk of csv) await writeChunk(stdout, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
        } else {
          await writeAtomic(opts.out, csv, 'suppression CSV');
        }
      }
      return {
        suppressionPath: opts.out,
        suppressionAddresses: entries !== null ? entries.length : run.size,
        profile: opts.profile,
        merge,
        clean,
        rowsOut: opts.rowsOut !== null ? { path: opts.rowsOut, rows: rowsWritten } : null,
      };
    },
    async abort() {
      await sink?.abort();
    },
  };
}

/** The suppression CSV of `entries` in a profile, as text chunks of ~1,000 records (header first). */
function* suppressionCsv(entries: readonly SuppressionEntry[], profile: Profile): Generator<string> {
  const line = profileLine(profile);
  let chunk = profileHeader(profile);
  for (let i = 0; i < entries.length; i++) {
    chunk += line(entries[i]!);
    if (i % 1000 === 999) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
