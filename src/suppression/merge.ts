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
import { open, stat } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { decodeStream } from '../input/decode.js';
import { sniffDelimiter } from '../input/csv-reader.js';
import { openList } from '../input/list-reader.js';
import { COLUMN_ALIASES, listHeaders, normaliseHeader } from '../input/columns.js';
import { InputError, describeFsError } from '../errors.js';
import { csvRecord, fromTextCell } from '../output/csv-record.js';
import { SUPPRESSION_COLUMNS, suppressionRecord, type SuppressionEntry } from './list.js';
import { normaliseEmail } from './address.js';
import { isEarlier, isLater, parseLogDate } from './dates.js';

/** Campaign key for bounces counted on a list that had no per-campaign counts. */
export const UNATTRIBUTED = '(unattributed)';

export interface MergedEntry extends SuppressionEntry {
  /**
   * Invalid-address bounces per campaign. A Map, not an object: campaign names are input text,
   * and names such as `constructor` or `__proto__` are properties every object already has.
   */
  campaignCounts: Map<string, number>;
}

/** Columns of the account-wide list: the generic suppression columns plus the per-campaign counts. */
export const MERGE_COLUMNS = [...SUPPRESSION_COLUMNS, 'campaign_counts'] as const;

export function mergeRecord(e: MergedEntry): string[] {
  return [...suppressionRecord(e), countsJson(e.campaignCounts)];
}

/**
 * Characters JSON.stringify leaves raw that the CSV writer would replace in a text cell (C1
 * controls, bidirectional overrides) or that a reader may mangle (line and paragraph
 * separators): written as \u escapes, so the names read back exactly.
 */
const JSON_ESCAPE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `campaign_counts`: the counts as a JSON object, keys sorted, every key spelled as it was. */
export function countsJson(counts: ReadonlyMap<string, number>): string {
  const keys = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const body = keys.map((k) => `${JSON.stringify(k).replace(JSON_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}:${counts.get(k)!}`);
  return `{${body.join(',')}}`;
}

/** The merged list as CSV text, header first, in chunks of 500 records. */
export function* mergeCsv(entries: readonly MergedEntry[]): Generator<string> {
  yield csvRecord(MERGE_COLUMNS);
  const BATCH = 500;
  for (let i = 0; i < entries.length; i += BATCH) {
    let chunk = '';
    for (const e of entries.slice(i, i + BATCH)) chunk += csvRecord(mergeRecord(e), { address: 0 });
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
  if (!old) return { ...add, campaignCounts: new Map(add.campaignCounts) };
  const counts = new Map(old.campaignCounts);
  for (const [c, n] of add.campaignCounts) counts.set(c, Math.max(counts.get(c) ?? 0, n));
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
    campaigns: campaignsOf(counts),
    bounceCount: totalOf(counts),
  };
}

function campaignsOf(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.keys()].filter((c) => c !== UNATTRIBUTED).sort();
}

function totalOf(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of counts.values()) n += v;
  return n;
}

/** The columns a merged list is written with, as header names are compared. */
const KEPT_COLUMNS = new Set<string>([...MERGE_COLUMNS.map(normaliseHeader), ...COLUMN_ALIASES.email]);

/**
 * Why a list's header cannot be an account-wide suppression list, or null when it can be one.
 * `--merge` rewrites the list with the suppression columns, so a column it does not keep would
 * be lost: a lead list given as `--merge` by mistake (the arguments swapped) would lose every
 * column but the addresses and become a list of addresses never to mail.
 */
export function notASuppressionList(header: readonly string[]): string | null {
  const names = header.map((h) => h.trim());
  if (names.length === 1 && normaliseEmail(names[0]!) !== null) return null;
  const email = names.findIndex((h) => COLUMN_ALIASES.email.includes(normaliseHeader(h)));
  if (email < 0) return `it has no email column; its header has: ${listHeaders(names)}`;
  const foreign = names.filter((h) => h !== '' && !KEPT_COLUMNS.has(normaliseHeader(h)));
  if (foreign.length === 0) return null;
  return (
    `it does not look like a suppression list: it has columns a suppression list does not keep (${foreign.slice(0, 8).join(', ')}${foreign.length > 8 ? ', …' : ''}), ` +
    `which --merge would drop when it rewrites the list. Is it a lead list? Give --merge the account-wide suppression list, or a new path to start one`
  );
}

/**
 * Check, before anything is read, that the `--merge` list can be merged into: a regular file (it
 * is read, then replaced) whose header is a suppression list's. A missing list is fine: it is
 * created. Reads the first record only; the rows are read under the list's lock at the end.
 */
export async function checkMergeList(path: string): Promise<void> {
  let head: Buffer;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new InputError('is a directory, not a suppression list', { file: path });
    if (!st.isFile()) throw new InputError('the --merge list must be a regular file: it is read, then replaced by the merged list', { file: path });
    const fh = await open(path, 'r');
    try {
      head = Buffer.alloc(Math.min(st.size, HEAD_BYTES));
      head = head.subarray(0, (await fh.read(head, 0, head.length, 0)).bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new InputError(`cannot read the --merge list: ${describeFsError(err)}`, { file: path });
  }
  const decoded: Buffer[] = [];
  for await (const chunk of decodeStream((async function* () {
    yield head;
  })()).chunks) decoded.push(chunk);
  const text = Buffer.concat(decoded).toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = /^[\r\n]*([^\r\n]*)/.exec(text)![1]!;
  if (firstLine.trim() === '') return;
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter: sniffDelimiter(firstLine), to_line: 1, relax_quotes: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    // A header that does not parse is reported with its line by the full read.
    return;
  }
  const why = records[0] ? notASuppressionList(records[0]) : null;
  if (why !== null) throw new InputError(`the --merge list: ${why}`, { file: path, line: 1 });
}

/** Bytes read to check the list's header. */
const HEAD_BYTES = 256 * 1024;

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
  const why = notASuppressionList(header);
  if (why !== null) throw new InputError(`the --merge list: ${why}`, { file: path, line: list.header.line });
  const names = header.map(normaliseHeader);
  const col = (...n: string[]): number => names.findIndex((h) => n.includes(h));
  let email = col(...COLUMN_ALIASES.email);
  // A plain list (one address per line, no header): the "header" is the first address.
  const headerless = email < 0;
  if (headerless) email = 0;
  const incident = col('incident');
  const [reason, enh, basic, recv, first, last, count, diag, counts] = [
    col('reason'),
    col('enhancedcode'),
    col('basiccode'),
    col('receiver'),
    col('firstbouncedat'),
    col('lastbouncedat'),
    col('bouncecount'),
    col('diagnostic'),
    col('campaigncounts'),
  ];
  // Text cells as written: the CSV writer's apostrophe in front of a formula-like cell comes off.
  const f = (r: string[], i: number): string => (i >= 0 ? fromTextCell((r[i] ?? '').trim()) : '');
  let skipped = 0;
  const skippedLines: number[] = [];
  const add = (fields: string[], line: number): void => {
    const e = normaliseEmail(fields[email] ?? '');
    if (e === null) {
      skipped++;
      if (skippedLines.length < 20) skippedLines.push(line);
      return;
    }
    const cc = new Map<string, number>();
    const rawCounts = counts >= 0 ? (fields[counts] ?? '').trim() : '';
    if (rawCounts !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawCounts);
      } catch {
        throw new InputError(`campaign_counts is not valid JSON: ${rawCounts.slice(0, 60)}`, { file: path, line, column: counts + 1 });
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InputError(`campaign_counts is not a JSON object: ${rawCounts.slice(0, 60)}`, { file: path, line, column: counts + 1 });
      }
      // JSON.parse makes every key an own property, `__proto__` included.
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) cc.set(k, v);
    } else {
      // A list without per-campaign counts: what it counted cannot be told apart from new bounces.
      const n = Number(f(fields, count));
      cc.set(UNATTRIBUTED, Number.isSafeInteger(n) && n > 0 ? n : 1);
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
    const m = mergeEntry(entries.get(e), entry);
    m.campaigns = campaignsOf(m.campaignCounts);
    m.bounceCount = totalOf(m.campaignCounts);
    entries.set(e, m);
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
  for (const e of run) {
    const cc = new Map(runCounts.get(e.email) ?? e.campaigns.map((c) => [c, 1]));
    const old = list.get(e.email);
    const merged = mergeEntry(old, { ...e, campaignCounts: cc });
    if (!old) added++;
    else if (mergeRecord(old).join('\u0000') !== mergeRecord(merged).join('\u0000')) updated++;
    list.set(e.email, merged);
  }
  const emails = [...list.keys()].sort();
  return { entries: emails.map((k) => list.get(k)!), added, updated };
}
