/**
 * The account-wide suppression list (`--merge <list.csv>`): union of the addresses already on
 * it and this run's, so one bounce in one campaign protects every later campaign from every
 * mailbox.
 *
 * Idempotent by design: the list records, per address, how many invalid-address bounces each
 * campaign produced (`campaign_counts`, a JSON object). Merging takes the *maximum* per
 * (address, campaign), never the sum, so auditing the same log again — or a later, fuller
 * export of the same campaign — changes nothing it should not. The earliest first-seen date
 * (and the reason, codes and reply text of that bounce) and the latest last-seen date win;
 * on a tie the entry already on the list is kept, so a re-run rewrites the file byte for byte.
 * Memory: the list is held in memory, so it grows with distinct suppressed addresses only.
 */
import { listHeaders } from '../input/columns.js';
import { stat } from 'node:fs/promises';
import { openList } from '../input/list-reader.js';
import { COLUMN_ALIASES, normaliseHeader } from '../input/columns.js';
import { InputError, describeFsError } from '../errors.js';
import { csvRecord } from '../output/csv-record.js';
import { SUPPRESSION_COLUMNS, suppressionRecord, type SuppressionEntry } from './list.js';
import { normaliseEmail } from './address.js';
import { isEarlier, isLater, parseLogDate } from './dates.js';

/** Campaign key for bounces counted on a list that had no per-campaign counts. */
export const UNATTRIBUTED = '(unattributed)';

export interface MergedEntry extends SuppressionEntry {
  /** Invalid-address bounces per campaign. */
  campaignCounts: Record<string, number>;
}

/** Columns of the account-wide list: the generic suppression columns plus the per-campaign counts. */
export const MERGE_COLUMNS = [...SUPPRESSION_COLUMNS, 'campaign_counts'] as const;

export function mergeRecord(e: MergedEntry): string[] {
  const sorted = Object.fromEntries(Object.entries(e.campaignCounts).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  return [...suppressionRecord(e), JSON.stringify(sorted)];
}

/** The merged list as CSV text, header first, in chunks of 500 records. */
export function* mergeCsv(entries: readonly MergedEntry[]): Generator<string> {
  yield csvRecord(MERGE_COLUMNS);
  const BATCH = 500;
  for (let i = 0; i < entries.length; i += BATCH) {
    let chunk = '';
    for (const e of entries.slice(i, i + BATCH)) chunk += csvRecord(mergeRecord(e));
    yield chunk;
  }
}

export interface MergeStats {
  path: string;
  /** The list did not exist and was created. */
  created: boolean;
  before: number;
  /** Addresses new to the list. */
  added: number;
  /** Addresses already on it whose counts or dates changed. */
  updated: number;
  after: number;
  /** Rows of the list that held no usable address (line numbers in `skippedLines`, first 20). */
  skipped: number;
  skippedLines: number[];
}

const ms = (d: string | null): number => (d ? parseLogDate(d) : NaN);

/** Merge one entry of this run into the list entry (pure; returns the new entry). */
export function mergeEntry(old: MergedEntry | undefined, add: MergedEntry): MergedEntry {
  if (!old) return { ...add, campaignCounts: { ...add.campaignCounts } };
  const counts = { ...old.campaignCounts };
  for (const [c, n] of Object.entries(add.campaignCounts)) counts[c] = Math.max(counts[c] ?? 0, n);
  // The new bounce takes over the "why" only by the earliest-bounce rule (a tie keeps the listed one).
  const takeNew = isEarlier(ms(add.firstBouncedAt), ms(old.firstBouncedAt));
  const base = takeNew ? add : old;
  const last = isLater(ms(add.lastBouncedAt), ms(old.lastBouncedAt)) ? add.lastBouncedAt : old.lastBouncedAt;
  return {
    email: old.email,
    reason: base.reason,
    enhancedCode: base.enhancedCode,
    basicCode: base.basicCode,
    receiver: base.receiver,
    diagnostic: base.diagnostic,
    // A receiver-incident flag from either side stays until a re-audit without it.
    incident: add.incident ?? old.incident,
    firstBouncedAt: takeNew ? add.firstBouncedAt : (old.firstBouncedAt ?? add.firstBouncedAt),
    lastBouncedAt: last ?? add.lastBouncedAt,
    campaignCounts: counts,
    campaigns: Object.keys(counts).filter((c) => c !== UNATTRIBUTED).sort(),
    bounceCount: Object.values(counts).reduce((a, b) => a + b, 0),
  };
}

/** Read an existing list (ours, or any CSV with an email column, or one address per line). */
export async function readMergeList(path: string): Promise<{ entries: Map<string, MergedEntry>; created: boolean; skipped: number; skippedLines: number[] }> {
  const entries = new Map<string, MergedEntry>();
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError('is a directory, not a suppression list', { file: path });
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries, created: true, skipped: 0, skippedLines: [] };
    throw new InputError(`cannot read the --merge list: ${describeFsError(err)}`, { file: path });
  }
  const list = await openList(path, 'the --merge list');
  if (list.header === null) return { entries, created: false, skipped: 0, skippedLines: [] };
  const header = list.header.fields.map((h) => h.trim());
  const names = header.map(normaliseHeader);
  const col = (...n: string[]): number => names.findIndex((h) => n.includes(h));
  let email = col(...COLUMN_ALIASES.email);
  // A plain list (one address per line, no header): the "header" is the first address.
  const headerless = email < 0 && header.length === 1 && normaliseEmail(header[0]!) !== null;
  if (headerless) email = 0;
  if (email < 0) {
    throw new InputError(`the --merge list has no email column; its header has: ${listHeaders(header)}`, { file: path, line: 1 });
  }
  const incident = col('incident');
  const [reason, enh, basic, recv, camps, first, last, count, diag, counts] = [
    col('reason'),
    col('enhancedcode'),
    col('basiccode'),
    col('receiver'),
    col('campaigns'),
    col('firstbouncedat'),
    col('lastbouncedat'),
    col('bouncecount'),
    col('diagnostic'),
    col('campaigncounts'),
  ];
  const f = (r: string[], i: number): string => (i >= 0 ? (r[i] ?? '').trim() : '');
  let skipped = 0;
  const skippedLines: number[] = [];
  const add = (fields: string[], line: number): void => {
    const e = normaliseEmail(fields[email] ?? '');
    if (e === null) {
      skipped++;
      if (skippedLines.length < 20) skippedLines.push(line);
      return;
    }
    let cc: Record<string, number> = {};
    const rawCounts = f(fields, counts);
    if (rawCounts !== '') {
      try {
        const parsed = JSON.parse(rawCounts) as Record<string, unknown>;
        for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number' && v >= 0) cc[k] = v;
      } catch {
        throw new InputError(`campaign_counts is not valid JSON: ${rawCounts.slice(0, 60)}`, { file: path, line, column: counts + 1 });
      }
    } else {
      // A list without per-campaign counts: what it counted cannot be told apart from new bounces.
      const n = Number(f(fields, count));
      cc = { [UNATTRIBUTED]: Number.isFinite(n) && n > 0 ? n : 1 };
    }
    const entry: MergedEntry = {
      email: e,
      reason: f(fields, reason) || 'listed',
      enhancedCode: f(fields, enh) || null,
      basicCode: f(fields, basic) || null,
      receiver: f(fields, recv) || null,
      campaigns: [],
      firstBouncedAt: f(fields, first) || null,
      lastBouncedAt: f(fields, last) || null,
      bounceCount: 0,
      diagnostic: f(fields, diag),
      incident: f(fields, incident) || null,
      campaignCounts: cc,
    };
    void camps;
    entries.set(e, mergeEntry(entries.get(e), { ...entry, campaigns: [], bounceCount: 0 }));
    const m = entries.get(e)!;
    m.campaigns = Object.keys(m.campaignCounts).filter((c) => c !== UNATTRIBUTED).sort();
    m.bounceCount = Object.values(m.campaignCounts).reduce((a, b) => a + b, 0);
  };
  if (headerless) add(header, list.header.line);
  for await (const r of list.records) add(r.fields, r.line);
  return { entries, created: false, skipped, skippedLines };
}

/**
 * Merge this run's suppression entries (with their per-campaign counts) into the list.
 * Returns the merged entries sorted by email, and what changed.
 */
export function mergeLists(
  list: Map<string, MergedEntry>,
  run: readonly SuppressionEntry[],
  runCounts: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { entries: MergedEntry[]; added: number; updated: number } {
  let added = 0;
  let updated = 0;
  const before = list.size;
  for (const e of run) {
    const cc = Object.fromEntries(runCounts.get(e.email) ?? new Map(e.campaigns.map((c) => [c, 1])));
    const old = list.get(e.email);
    const merged = mergeEntry(old, { ...e, campaignCounts: cc });
    if (!old) added++;
    else if (mergeRecord(old).join('\u0000') !== mergeRecord(merged).join('\u0000')) updated++;
    list.set(e.email, merged);
  }
  void before;
  const emails = [...list.keys()].sort();
  return { entries: emails.map((k) => list.get(k)!), added, updated };
}
