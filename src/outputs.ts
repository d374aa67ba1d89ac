/**
 * The files a run writes besides the report: the suppression CSV (`-o`), the rows CSV
 * (`--rows-out`), the account-wide list (`--merge`) and the cleaned lead list (`--clean`).
 *
 * Before anything is read, every output path is resolved (symlinks followed, pipes and devices
 * told from files, read-only files and missing folders refused) and every input and output is
 * compared by device and inode (or real path, for a file not there yet): no output may be an
 * input or another output. The `--merge` list's header is checked to be a suppression list's.
 *
 * At the end, every file output is staged (written to a synced temp file), and only when all
 * are staged are they renamed into place, one after the other: a failure before that (a full
 * disk) commits nothing. The `--merge` list is read, merged and committed under its lock, and
 * committed only if it did not change since it was read (another program writing it meanwhile
 * makes the merge start again). Outputs that are not files (standard output, a pipe, a device)
 * are written after the commit: they cannot be staged, and nothing after them can fail.
 */
import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { RowEvent } from './count/tally.js';
import { pump, resolveTarget, writtenOutputs, type OutputSink, type OutputTarget } from './output/atomic-write.js';
import { openSink } from './output/in-place-sink.js';
import { lockList } from './output/list-lock.js';
import { writeChunk } from './output/back-pressure.js';
import { csvRecord } from './output/csv-record.js';
import { ROWS_OUT_EMAIL, rowsOutHeader, rowsOutRecord } from './output/rows-out.js';
import { profileHeader, profileLine, type Profile } from './suppression/profiles.js';
import type { SuppressionEntry, SuppressionList } from './suppression/list.js';
import type { MergeStats } from './suppression/merge.js';
import type { CleanStats } from './suppression/clean.js';
import { InputError, OutputError, UsageError, describeFsError } from './errors.js';

export interface OutputOptions {
  /** The audit's inputs (`-` is standard input), compared with every output. */
  inputs: readonly string[];
  /** Suppression CSV target: a path, '-' for standard output, or null for none. */
  out: string | null;
  /** -o was not given: the default name, which the messages say. */
  outIsDefault?: boolean;
  profile: Profile;
  merge: string | null;
  clean: string | null;
  cleanOut: string | null;
  rowsOut: string | null;
  explain: boolean;
  /** How long to wait for another run's lock on the --merge list, in ms. */
  lockWaitMs: number;
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

/** Diagnostics for stderr while outputs are prepared and written (a hard link, a lock wait). */
export type Notice = (message: string) => void;

/** How the options name each output, for messages. */
const NAMES = { out: '-o', rowsOut: '--rows-out', cleanOut: '--clean-out', merge: '--merge' } as const;
const WHAT = { out: 'suppression CSV', rowsOut: 'rows CSV', cleanOut: 'cleaned lead list', merge: 'merged suppression list' } as const;
type OutputKey = keyof typeof NAMES;

/** How many times a merge starts again when the list changes under it. */
const MERGE_ATTEMPTS = 3;

/** Device and inode of an input (following symlinks), or null for standard input or a path that does not exist. */
async function identityOf(path: string): Promise<string | null> {
  if (path === '-') return null;
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** Refuse (exit 2) when an output is an input or another output. */
async function checkCollisions(opts: OutputOptions, targets: Partial<Record<OutputKey, OutputTarget>>): Promise<void> {
  const outName = (k: OutputKey): string => (k === 'out' && opts.outIsDefault ? `the default suppression CSV (${opts.out})` : `${NAMES[k]} ${targets[k]!.path}`);
  const inputs: { name: string; id: string }[] = [];
  for (const i of opts.inputs) {
    const id = await identityOf(i);
    if (id !== null) inputs.push({ name: `the input ${i}`, id });
  }
  if (opts.clean !== null) {
    const id = await identityOf(opts.clean);
    if (id !== null) inputs.push({ name: `the --clean lead list ${opts.clean}`, id });
  }
  const keys = (Object.keys(targets) as OutputKey[]).filter((k) => targets[k] !== undefined);
  for (const k of keys) {
    const t = targets[k]!;
    // A device is written to, not replaced: /dev/null may take several outputs.
    if (t.existing?.isCharacterDevice()) continue;
    for (const i of inputs) {
      if (t.identity === i.id) {
        throw new UsageError(`${outName(k)} is ${i.name}: writing it would destroy what is being read. Give ${NAMES[k]} another path${k === 'out' ? ' (or --no-out)' : ''}`);
      }
    }
  }
  for (let a = 0; a < keys.length; a++) {
    for (let b = a + 1; b < keys.length; b++) {
      const ta = targets[keys[a]!]!;
      const tb = targets[keys[b]!]!;
      if (ta.existing?.isCharacterDevice() || ta.identity !== tb.identity) continue;
      if (keys[a] === 'out' && keys[b] === 'merge') {
        throw new UsageError('-o and --merge name the same file: --merge already updates that list in place; give -o another path or --no-out');
      }
      throw new UsageError(`${outName(keys[a]!)} and ${outName(keys[b]!)} are the same file: each output needs a path of its own`);
    }
  }
}

export async function prepareOutputs(opts: OutputOptions, notice: Notice = () => undefined): Promise<Outputs> {
  // One run per process from the command line; the tests run several in one.
  writtenOutputs.length = 0;
  const targets: Partial<Record<OutputKey, OutputTarget>> = {};
  const paths: Record<OutputKey, string | null> = { out: opts.out === '-' ? null : opts.out, rowsOut: opts.rowsOut, cleanOut: opts.clean !== null ? opts.cleanOut : null, merge: opts.merge };
  for (const k of Object.keys(paths) as OutputKey[]) {
    const p = paths[k];
    if (p !== null) targets[k] = await resolveTarget(p, WHAT[k]);
  }
  await checkCollisions(opts, targets);
  // --merge and --clean bring their own modules, loaded only when asked for.
  const merging = targets.merge !== undefined ? await import('./suppression/merge.js') : null;
  if (merging !== null && targets.merge !== undefined) {
    if (targets.merge.kind !== 'file') throw new InputError('the --merge list must be a regular file: it is read, then replaced by the merged list', { file: targets.merge.path });
    await merging.checkMergeList(targets.merge.real);
  }
  for (const t of Object.values(targets)) if (t.warning !== null) notice(t.warning);

  /** This run's invalid-address bounces per address and campaign, for an idempotent merge. */
  const runCounts = new Map<string, Map<string, number>>();
  let rows: OutputSink | null = null;
  let rowsWritten = 0;
  if (targets.rowsOut !== undefined) {
    rows = await openSink(targets.rowsOut, WHAT.rowsOut);
    await rows.write(csvRecord(rowsOutHeader(opts.explain)));
  }

  const onRow =
    rows !== null || merging !== null
      ? (e: RowEvent): void | Promise<void> => {
          if (merging !== null && e.suppressed && e.email !== null && e.campaign !== null) {
            let m = runCounts.get(e.email);
            if (!m) runCounts.set(e.email, (m = new Map()));
            m.set(e.campaign, (m.get(e.campaign) ?? 0) + 1);
          }
          if (rows !== null) {
            rowsWritten++;
            return rows.write(csvRecord(rowsOutRecord(e, opts.explain), { address: e.email !== null ? ROWS_OUT_EMAIL : -1 }));
          }
        }
      : undefined;

  let clean: CleanStats | null = null;
  /** Every sink opened, so a failure discards what was not committed. */
  const open: OutputSink[] = rows !== null ? [rows] : [];

  async function stageAndCommit(run: SuppressionList): Promise<{ entries: SuppressionEntry[] | null; merge: MergeStats | null }> {
    for (let attempt = 1; ; attempt++) {
      const staged: OutputSink[] = [];
      const stage = async (t: OutputTarget, what: string, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<void> => {
        const sink = await openSink(t, what);
        open.push(sink);
        staged.push(sink);
        await pump(sink, chunks);
      };
      // Null: -o gets this run's list as it is (SuppressionList.csvChunks writes it without
      // turning every address into an object first).
      let entries: SuppressionEntry[] | null = null;
      let merge: MergeStats | null = null;
      let listId: string | null = null;
      if (merging !== null && targets.merge !== undefined) {
        const t = targets.merge;
        listId = await fileIdentity(t.real);
        const list = await merging.readMergeList(t.real);
        const before = list.entries.size;
        const merged = merging.mergeLists(list.entries, run.entries(), runCounts);
        await stage(t, WHAT.merge, merging.mergeCsv(merged.entries));
        entries = merged.entries;
        merge = {
          path: t.path,
          created: list.created,
          before,
          added: merged.added,
          updated: merged.updated,
          after: merged.entries.length,
          skipped: list.skipped,
          skippedLines: list.skippedLines,
        };
      }
      if (targets.out?.kind === 'file') await stage(targets.out, WHAT.out, suppressionChunks(run, entries, opts.profile));
      if (opts.clean !== null && targets.cleanOut?.kind === 'file') clean = await stageClean(stage, targets.cleanOut, run, entries);
      if (targets.merge !== undefined && (await fileIdentity(targets.merge.real)) !== listId) {
        // Another program wrote the list since it was read: merging again keeps its addresses.
        for (const s of staged) await s.discard();
        if (attempt >= MERGE_ATTEMPTS) {
          throw new OutputError(`the --merge list ${targets.merge.path} kept changing while it was merged (another program writes it): nothing was written; run again when it is done`);
        }
        continue;
      }
      await commitAll(rows !== null && targets.rowsOut?.kind === 'file' ? [rows, ...staged] : staged);
      return { entries, merge };
    }
  }

  async function stageClean(
    stage: (t: OutputTarget, what: string, chunks: AsyncIterable<Uint8Array>) => Promise<void>,
    t: OutputTarget,
    run: SuppressionList,
    entries: SuppressionEntry[] | null,
  ): Promise<CleanStats> {
    const held = entries !== null ? new Set(entries.map((e) => e.email)) : run;
    const { cleanLeads } = await import('./suppression/clean.js');
    const c = await cleanLeads(opts.clean!, t.path, (email) => held.has(email));
    await stage(t, WHAT.cleanOut, c.chunks);
    return c.stats;
  }

  return {
    onRow,
    async finish(run, stdout) {
      try {
        if (rows !== null) await rows.finish();
        const lock =
          targets.merge !== undefined ? await lockList(targets.merge.real, targets.merge.path, opts.lockWaitMs, (m) => notice(m)) : null;
        let done: { entries: SuppressionEntry[] | null; merge: MergeStats | null };
        try {
          done = await stageAndCommit(run);
        } finally {
          lock?.release();
        }
        const { entries, merge } = done;
        // Outputs written in place, after every file is committed.
        if (opts.clean !== null && targets.cleanOut?.kind === 'special') {
          clean = await stageClean(async (t, what, chunks) => {
            const sink = await openSink(t, what);
            open.push(sink);
            await pump(sink, chunks);
          }, targets.cleanOut, run, entries);
        }
        if (opts.out === '-') {
          // A copy of bytes: their buffer may be filled anew once the next chunk is asked for.
          for (const chunk of suppressionChunks(run, entries, opts.profile)) await writeChunk(stdout, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
        } else if (targets.out?.kind === 'special') {
          const sink = await openSink(targets.out, WHAT.out);
          open.push(sink);
          await pump(sink, suppressionChunks(run, entries, opts.profile));
        }
        return {
          suppressionPath: opts.out,
          suppressionAddresses: entries !== null ? entries.length : run.size,
          profile: opts.profile,
          merge,
          clean,
          rowsOut: opts.rowsOut !== null ? { path: opts.rowsOut, rows: rowsWritten } : null,
        };
      } catch (err) {
        for (const s of open) await s.discard();
        throw err;
      }
    },
    async abort() {
      for (const s of open) await s.discard();
    },
  };
}

/** What tells one version of a file from another: device, inode, size, times; 'absent' when there is none. */
async function fileIdentity(path: string): Promise<string> {
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw new OutputError(`cannot read the --merge list ${path}: ${describeFsError(err)}`);
  }
}

/**
 * Rename every staged output into place, in order. One that fails after others succeeded leaves
 * those in writtenOutputs, which the error message lists: the run never claims it wrote nothing
 * when it did.
 */
async function commitAll(sinks: readonly OutputSink[]): Promise<void> {
  for (const s of sinks) await s.commit();
}

/** The suppression CSV: this run's list, or the merged entries in the profile's shape. */
function suppressionChunks(run: SuppressionList, entries: readonly SuppressionEntry[] | null, profile: Profile): Iterable<string | Uint8Array> {
  return entries !== null ? entriesCsv(entries, profile) : run.csvChunks(profileLine(profile), profileHeader(profile));
}

/** The suppression CSV of `entries` in a profile, as text chunks of ~1,000 records (header first). */
function* entriesCsv(entries: readonly SuppressionEntry[], profile: Profile): Generator<string> {
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
