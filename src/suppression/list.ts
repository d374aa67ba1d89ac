/**
 * The suppression list: normalised, de-duplicated addresses whose bounce means the address
 * does not exist. Memory grows with the number of distinct suppressed addresses only.
 */
import { ByteChunks } from '../output/byte-chunks.js';

/** One suppressed address, as written to the suppression CSV. */
export interface SuppressionEntry {
  email: string;
  /** Reason of the first bounce seen (earliest by date when dates are known). */
  reason: string;
  enhancedCode: string | null;
  basicCode: string | null;
  receiver: string | null;
  /** Campaigns in which the address bounced, sorted. */
  campaigns: string[];
  firstBouncedAt: string | null;
  lastBouncedAt: string | null;
  bounceCount: number;
  /** The reply text of the bounce that decided the reason, trimmed to one line. */
  diagnostic: string;
  /** Receiver id when the address bounced during a receiver incident: check before relying on it. */
  incident: string | null;
}

export interface BounceEvidence {
  reason: string;
  enhancedCode: string | null;
  basicCode: string | null;
  receiver: string | null;
  campaign: string;
  /** Raw date text from the log, or '' when the log has none. */
  date: string;
  diagnostic: string;
}

/** SuppressionList state as plain columns (see exportSlots). */
export interface SlotColumns {
  /** Distinct strings the columns below refer to by index. */
  table: string[];
  emails: string[];
  /**
   * Per address, SLOT_INTS values: indexes of reason, enhanced code, basic code, receiver,
   * diagnostic, first and last bounced-at display (FROM_MS: the ISO form of the time; -1: null),
   * then the number of campaigns and the bounce count.
   */
  ints: Int32Array;
  /** Per address: first and last bounce time in ms (NaN: none). */
  nums: Float64Array;
  /** Table indexes of every address's campaigns, one address after another. */
  campaigns: Int32Array;
  /** True when `emails` are in the order entries() returns (see deferSlots). */
  sorted: boolean;
  /**
   * Each address's suppression CSV line as the exporting thread rendered it (no incident: that
   * is only known once every part is counted), one after another in UTF-8 chunks, no line split
   * between two; line i ends at `ends[i]`, counted from the start of the first chunk. Null when
   * no renderer was given.
   */
  lines: { chunks: Uint8Array[]; ends: Int32Array } | null;
}

/** One suppression CSV line (with its line break) for an entry. */
export type LineRenderer = (e: SuppressionEntry) => string;
const SLOT_INTS = 9;
const FROM_MS = -2;

/** An entry object with its bounce times (see SuppressionList.slotAt). */
interface Slot {
  entry: SuppressionEntry;
  firstMs: number;
  lastMs: number;
}

/** Exported columns with where each address's campaigns start in `campaigns`. */
interface Part {
  cols: SlotColumns;
  campaignStart: Int32Array;
}

function toPart(cols: SlotColumns): Part {
  const n = cols.emails.length;
  const campaignStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) campaignStart[i + 1] = campaignStart[i]! + cols.ints[i * SLOT_INTS + 7]!;
  return { cols, campaignStart };
}

const str = (table: readonly string[], i: number): string | null => (i < 0 ? null : table[i]!);
const shownAt = (table: readonly string[], i: number, ms: number): string | null => (i === FROM_MS ? isoOf(ms) : str(table, i));

function campaignsOf(part: Part, i: number): string[] {
  const { table, campaigns } = part.cols;
  const own: string[] = [];
  for (let c = part.campaignStart[i]!; c < part.campaignStart[i + 1]!; c++) own.push(table[campaigns[c]!]!);
  return own;
}

/** Reads the rendered lines of exported columns, in order. */
class LineReader {
  private chunk = 0;
  /** Offset of chunk `chunk` from the start of the first. */
  private base = 0;

  constructor(private readonly lines: { chunks: Uint8Array[]; ends: Int32Array }) {}

  /** Append line i (called with rising i) to `out`. */
  copyLine(i: number, out: ByteChunks): void {
    const { chunks, ends } = this.lines;
    const start = i === 0 ? 0 : ends[i - 1]!;
    while (start >= this.base + chunks[this.chunk]!.length && this.chunk < chunks.length - 1) this.base += chunks[this.chunk++]!.length;
    out.copy(chunks[this.chunk]!, start - this.base, ends[i]! - this.base);
  }
}

/** Suppression CSV chunks handed to the writer: about 256 KB each. */
const CHUNK_BYTES = 256 * 1024;

/** Insert into a sorted array of a few campaign names, keeping it sorted and unique. */
function addSorted(list: string[], name: string): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > name) i--;
  if (list[i - 1] !== name) list.splice(i, 0, name);
}

const MAX_DIAGNOSTIC = 300;

// Normalisation: trim, strip `mailto:` and `<…>`, lower-case. The address check is
// deliberately permissive (RFC 5321 allows far more than most validators accept) but
// requires one @, no spaces, and a dotted domain.
const MAILTO = /^mailto:/i;
const ANGLE = /<([^<>]*)>/;
const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]+$/;

/**
 * An address already in normal form (lower case, nothing to strip), which the steps below would
 * return unchanged: most rows of a log, checked with one regex instead of six string operations.
 */
const ALREADY_NORMAL = /^[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z0-9-]+$/;

/** The normalised address, or null when the field holds no usable address. */
export function normaliseEmail(raw: string): string | null {
  if (ALREADY_NORMAL.test(raw)) return raw;
  let s = raw.trim();
  if (s === '') return null;
  const angle = ANGLE.exec(s);
  if (angle) s = angle[1]!.trim();
  s = s.replace(MAILTO, '').trim().toLowerCase();
  // Trailing dot of a fully qualified domain is not part of the mailbox name.
  if (s.endsWith('.')) s = s.slice(0, -1);
  return ADDRESS.test(s) ? s : null;
}

/**
 * Milliseconds since the epoch for the date formats bounce logs carry: ISO 8601, RFC 2822,
 * "YYYY-MM-DD HH:MM:SS", and unix seconds or milliseconds. NaN when unrecognised.
 */
export function parseLogDate(raw: string): number {
  const s = raw.trim();
  if (s === '') return NaN;
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{12,13}$/.test(s)) return Number(s);
  // "2024-05-01 10:00:00" without a zone is read as UTC so results do not depend on the machine.
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(s);
  if (m) return Date.parse(`${m[1]}T${m[2]}Z`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`);
  return Date.parse(s);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
/** Earliest and latest time (ms) whose ISO form has a four-digit year. */
const ISO_MIN = -62167219200000;
const ISO_MAX = 253402300799999;
const DAY_MS = 86_400_000;
/** The day isoOf formatted last, and its `YYYY-MM-DDT` text: bounce times come in runs of one day. */
let isoDay = NaN;
let isoDayText = '';

/**
 * `new Date(ms).toISOString()` without a Date object: ~75 ns instead of ~420 ns per call
 * (`node bench/micro.mjs`), for the two times on every suppression CSV line. Years 0–9999; other
 * times and fractions of a millisecond go to Date. A property test compares the two.
 */
export function isoOf(ms: number): string {
  if (!Number.isInteger(ms) || ms < ISO_MIN || ms > ISO_MAX) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rem = ms - days * DAY_MS;
  if (days !== isoDay) {
    // Civil date from days since 1970-01-01 in the proleptic Gregorian calendar, by 400-year eras.
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    isoDay = days;
    isoDayText = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T`;
  }
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const m = Math.floor(rem / 60_000);
  rem -= m * 60_000;
  const sec = Math.floor(rem / 1000);
  return `${isoDayText}${pad2(h)}:${pad2(m)}:${pad2(sec)}.${pad3(rem - sec * 1000)}Z`;
}

export function displayDate(raw: string, ms: number): string | null {
  if (raw.trim() === '') return null;
  if (Number.isNaN(ms)) return raw.trim();
  // Most logs already write this form: no second Date and string per bounce.
  return isCanonicalIso(raw) ? raw : isoOf(ms);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` exactly as toISOString writes it, for a date that exists: Date.parse
 * also takes "02-30" or "T24:00" and moves them to another day, whose ISO form differs.
 */
function isCanonicalIso(s: string): boolean {
  if (s.length !== 24 || s.charCodeAt(23) !== 0x5a /* Z */) return false;
  for (let i = 0; i < 23; i++) {
    const c = s.charCodeAt(i);
    const want = i === 4 || i === 7 ? 0x2d : i === 10 ? 0x54 : i === 13 || i === 16 ? 0x3a : i === 19 ? 0x2e : -1;
    if (want >= 0 ? c !== want : c < 0x30 || c > 0x39) return false;
  }
  const num = (i: number): number => (s.charCodeAt(i) - 0x30) * 10 + s.charCodeAt(i + 1) - 0x30;
  const year = num(0) * 100 + num(2);
  const month = num(5);
  const day = num(8);
  if (month < 1 || month > 12 || day < 1 || num(11) > 23 || num(14) > 59 || num(17) > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!);
}

/** A known time before the one held (or none held yet): ties keep the bounce seen first. */
const isEarlier = (ms: number, held: number): boolean => !Number.isNaN(ms) && (Number.isNaN(held) || ms < held);
const isLater = (ms: number, held: number): boolean => !Number.isNaN(ms) && (Number.isNaN(held) || ms > held);

function oneLine(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_DIAGNOSTIC ? `${s.slice(0, MAX_DIAGNOSTIC - 1)}…` : s;
}

/** Distinct diagnostic texts remembered for sharing (see SuppressionList.shown). */
const SHOWN_LIMIT = 10_000;

/**
 * The list's own addresses are kept as columns, one element per slot (slots numbered in the
 * order addresses were first added), not as an object per address. An address used to hold an
 * entry object, a slot object, a campaigns array and its row's date string; now it holds its
 * string, its reply text (shared between addresses with the same reply) and a few numbers in
 * typed arrays. Entry objects are made only when something asks for them (entries(), rendering
 * a line), and die young. Measured on the 1 M-row bench log: peak RSS 182 → 170 MB, interleaved
 * runs 2.35 → 2.26 s; at 5 M rows (437,372 addresses) 441 → 349 MB. Collection pauses did not
 * fall (~230 ms a thread either way): they follow the number of young-generation collections,
 * not what these objects added to each; the gain is fewer objects and less fresh memory.
 */
export class SuppressionList {
  /** Address → slot. */
  private readonly index = new Map<string, number>();
  private readonly emails: string[] = [];
  /**
   * Reason, enhanced code, basic code and receiver of slot s's earliest bounce at 4s…4s+3, as
   * indexes into `values`: they are few distinct strings, and four JS arrays growing by a slot
   * each cost more than one typed array (each regrowth of a large array is fresh memory, copied).
   */
  private codes = new Int32Array(4 * 1024);
  /** The strings `codes` refer to; index 0 is null. */
  private readonly values: (string | null)[] = [null];
  private readonly valueIndex = new Map<string, number>();
  /** The reply text (shown form) of each slot's earliest bounce. */
  private readonly diagnostics: string[] = [];
  /** The slot's campaign, or its campaigns sorted once there are more than one. */
  private readonly campaigns: (string | string[])[] = [];
  private counts = new Int32Array(1024);
  /** First and last bounce time of slot s at 2s and 2s+1, in ms; NaN: unknown. */
  private times = new Float64Array(2048);
  /**
   * The date text of slots whose times are unknown (NaN) although the log gave one, as
   * written. A known time is shown in ISO form, which is how the log wrote it or what it means.
   */
  private readonly dateTexts = new Map<number, string>();
  /** Lists from later parts of the input, not merged yet (see deferSlots). */
  private deferred: Part[] = [];
  /** The own slots in email order and their addresses, or null after a change. */
  private sorted: { slots: Int32Array; emails: string[] } | null = null;
  /** `size` with deferred lists, or -1 when not counted yet. */
  private distinct = -1;
  /**
   * Reply text → the one-line form kept for it. Receivers repeat the same reply for every
   * unknown address (Gmail's four-line NoSuchUser paragraph), so slots share one string
   * instead of holding a copy each: ~20 MB less at the 1 M-row bench log's 87,605 addresses.
   */
  private readonly shownTexts = new Map<string, string>();

  private shown(text: string): string {
    let s = this.shownTexts.get(text);
    if (s === undefined) {
      s = oneLine(text);
      if (this.shownTexts.size < SHOWN_LIMIT) {
        this.shownTexts.set(text, s);
        this.shownTexts.set(s, s);
      }
    }
    return s;
  }
  /** `campaign \u0000 receiver` pairs flagged as receiver incidents. */
  private incidentKeys = new Set<string>();

  /** Mark addresses whose bounce came from a receiver incident (see src/incidents.ts). */
  markIncidents(incidents: readonly { campaign: string; receiver: string }[]): void {
    this.incidentKeys = new Set(incidents.map((i) => `${i.campaign}\u0000${i.receiver}`));
  }

  /** How many suppressed addresses a campaign/receiver incident covers. */
  countIncident(campaign: string, receiver: string): number {
    this.settle();
    let n = 0;
    for (let s = 0; s < this.emails.length; s++) {
      if (this.values[this.codes[4 * s + 3]!] !== receiver) continue;
      const c = this.campaigns[s]!;
      if (typeof c === 'string' ? c === campaign : c.includes(campaign)) n++;
    }
    return n;
  }

  private incidentOf(e: SuppressionEntry): string | null {
    if (this.incidentKeys.size === 0 || e.receiver === null) return null;
    for (const c of e.campaigns) if (this.incidentKeys.has(`${c}\u0000${e.receiver}`)) return e.receiver;
    return null;
  }

  /** Distinct addresses, deferred lists included (counted without merging them). */
  get size(): number {
    if (this.deferred.length === 0) return this.index.size;
    if (this.distinct < 0) {
      const { next } = this.walk();
      let n = 0;
      while (next() !== null) n++;
      this.distinct = n;
    }
    return this.distinct;
  }

  has(email: string): boolean {
    this.settle();
    return this.index.has(email);
  }

  /** A new slot for `email` (the caller sets its count and times); returns its number. */
  private newSlot(email: string, reason: string, enhancedCode: string | null, basicCode: string | null, receiver: string | null, diagnostic: string, campaigns: string | string[]): number {
    const s = this.emails.length;
    this.index.set(email, s);
    this.emails.push(email);
    this.diagnostics.push(diagnostic);
    this.campaigns.push(campaigns);
    if (s >= this.counts.length) {
      const counts = new Int32Array(2 * this.counts.length);
      counts.set(this.counts);
      this.counts = counts;
      const times = new Float64Array(2 * this.times.length);
      times.set(this.times);
      this.times = times;
      const codes = new Int32Array(2 * this.codes.length);
      codes.set(this.codes);
      this.codes = codes;
    }
    this.setCodes(s, reason, enhancedCode, basicCode, receiver);
    this.sorted = null;
    return s;
  }

  /** Record one invalid-address bounce of an already normalised address. */
  add(email: string, ev: BounceEvidence): void {
    this.settle();
    const ms = parseLogDate(ev.date);
    let s = this.index.get(email);
    if (s === undefined) {
      s = this.newSlot(email, ev.reason, ev.enhancedCode, ev.basicCode, ev.receiver, this.shown(ev.diagnostic), ev.campaign);
      this.counts[s] = 1;
      this.times[2 * s] = ms;
      this.times[2 * s + 1] = ms;
      if (Number.isNaN(ms)) this.setDateText(s, ev.date.trim());
      return;
    }
    this.counts[s]! += 1;
    this.addCampaign(s, ev.campaign);
    this.absorbTimes(s, ms, ms, ev.reason, ev.enhancedCode, ev.basicCode, ev.receiver, ev.diagnostic);
  }

  /**
   * Bounces of slot s's address from later rows, first and last at these times: the earliest
   * bounce decides the reason shown (it made the address suppressible; a tie keeps the one seen
   * first), the latest the last time. `diagnostic` as written or in shown form.
   */
  private absorbTimes(s: number, firstMs: number, lastMs: number, reason: string, enhancedCode: string | null, basicCode: string | null, receiver: string | null, diagnostic: string): void {
    if (isEarlier(firstMs, this.times[2 * s]!)) {
      this.times[2 * s] = firstMs;
      this.setCodes(s, reason, enhancedCode, basicCode, receiver);
      this.diagnostics[s] = this.shown(diagnostic);
    }
    if (isLater(lastMs, this.times[2 * s + 1]!)) this.times[2 * s + 1] = lastMs;
  }

  private setDateText(s: number, text: string | null): void {
    if (text) this.dateTexts.set(s, text);
  }

  private setCodes(s: number, reason: string, enhancedCode: string | null, basicCode: string | null, receiver: string | null): void {
    this.codes[4 * s] = this.valueRef(reason);
    this.codes[4 * s + 1] = this.valueRef(enhancedCode);
    this.codes[4 * s + 2] = this.valueRef(basicCode);
    this.codes[4 * s + 3] = this.valueRef(receiver);
  }

  private valueRef(v: string | null): number {
    if (v === null) return 0;
    let i = this.valueIndex.get(v);
    if (i === undefined) {
      this.valueIndex.set(v, (i = this.values.length));
      this.values.push(v);
    }
    return i;
  }

  private addCampaign(s: number, name: string): void {
    const c = this.campaigns[s]!;
    if (typeof c !== 'string') addSorted(c, name);
    else if (c !== name) this.campaigns[s] = c < name ? [c, name] : [name, c];
  }

  /** How slot s's bounce time at `k` (0 first, 1 last) is shown. */
  private shownTime(s: number, k: number): string | null {
    const ms = this.times[2 * s + k]!;
    return Number.isNaN(ms) ? (this.dateTexts.get(s) ?? null) : isoOf(ms);
  }

  /** Slot s as a new entry object (with its times), which changes nothing in the list. */
  private slotAt(s: number): Slot {
    const c = this.campaigns[s]!;
    const firstMs = this.times[2 * s]!;
    const lastMs = this.times[2 * s + 1]!;
    const first = this.shownTime(s, 0);
    return {
      entry: {
        email: this.emails[s]!,
        reason: this.values[this.codes[4 * s]!]!,
        enhancedCode: this.values[this.codes[4 * s + 1]!]!,
        basicCode: this.values[this.codes[4 * s + 2]!]!,
        receiver: this.values[this.codes[4 * s + 3]!]!,
        campaigns: typeof c === 'string' ? [c] : [...c],
        firstBouncedAt: first,
        lastBouncedAt: lastMs === firstMs ? first : this.shownTime(s, 1),
        bounceCount: this.counts[s]!,
        diagnostic: this.diagnostics[s]!,
        incident: null,
      },
      firstMs,
      lastMs,
    };
  }

  /**
   * The list's state as plain columns, for posting to another thread (src/split.ts). Cloning
   * objects or hundreds of thousands of strings between threads is slow (45,000 entry objects:
   * ~0.5 s; their strings as arrays: ~0.2 s), so only the addresses travel as strings: reasons,
   * codes, receivers, reply texts and campaigns are few distinct values, sent once in a table
   * and referred to by index, and a bounce time is sent as its milliseconds (its display is
   * the ISO form of them whenever they are known).
   *
   * With `render`, the addresses come in entries() order and each one's CSV line is rendered
   * here, so the thread that writes the CSV only copies the bytes of addresses no other part
   * holds (see deferSlots): a worker does this while the main thread still reads its own part.
   */
  exportSlots(render?: LineRenderer): SlotColumns {
    this.settle();
    const table: string[] = [];
    const index = new Map<string, number>();
    const ref = (v: string | null): number => {
      if (v === null) return -1;
      let i = index.get(v);
      if (i === undefined) {
        index.set(v, (i = table.length));
        table.push(v);
      }
      return i;
    };
    const n = this.emails.length;
    const order = render ? this.sortedOwn() : null;
    const ints = new Int32Array(n * SLOT_INTS);
    const nums = new Float64Array(n * 2);
    const campaigns: number[] = [];
    const out = render ? new ByteChunks(1 << 20) : null;
    const ends = new Int32Array(render ? n : 0);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const s = order === null ? i : order.slots[i]!;
      const o = i * SLOT_INTS;
      const firstMs = this.times[2 * s]!;
      const lastMs = this.times[2 * s + 1]!;
      const c = this.campaigns[s]!;
      ints[o] = ref(this.values[this.codes[4 * s]!]!);
      ints[o + 1] = ref(this.values[this.codes[4 * s + 1]!]!);
      ints[o + 2] = ref(this.values[this.codes[4 * s + 2]!]!);
      ints[o + 3] = ref(this.values[this.codes[4 * s + 3]!]!);
      ints[o + 4] = ref(this.diagnostics[s]!);
      ints[o + 5] = Number.isNaN(firstMs) ? ref(this.shownTime(s, 0)) : FROM_MS;
      ints[o + 6] = Number.isNaN(lastMs) ? ref(this.shownTime(s, 1)) : FROM_MS;
      ints[o + 8] = this.counts[s]!;
      if (typeof c === 'string') {
        ints[o + 7] = 1;
        campaigns.push(ref(c));
      } else {
        ints[o + 7] = c.length;
        for (const name of c) campaigns.push(ref(name));
      }
      nums[i * 2] = firstMs;
      nums[i * 2 + 1] = lastMs;
      if (out !== null) {
        // This list's own entries: their incident is still null (see markIncidents).
        bytes += out.text(render!(this.slotAt(s).entry));
        ends[i] = bytes;
      }
    }
    return {
      table,
      emails: order === null ? this.emails.slice() : order.emails,
      ints,
      nums,
      campaigns: Int32Array.from(campaigns),
      sorted: render !== undefined,
      lines: out !== null ? { chunks: out.end(), ends } : null,
    };
  }

  /**
   * Add the state (from exportSlots) of a list built from rows that come after this list's rows
   * in the input. The result equals adding those rows here one by one: counts and campaigns add
   * up, and the other list's earliest bounce wins only when strictly earlier (first seen wins a tie).
   */
  mergeSlots(cols: SlotColumns): void {
    this.settle();
    this.mergeNow(toPart(cols));
  }

  private mergeNow(part: Part): void {
    const { table, ints, nums } = part.cols;
    for (let i = 0; i < part.cols.emails.length; i++) {
      const email = part.cols.emails[i]!;
      const o = i * SLOT_INTS;
      const firstMs = nums[i * 2]!;
      const lastMs = nums[i * 2 + 1]!;
      let s = this.index.get(email);
      if (s === undefined) {
        const names = campaignsOf(part, i);
        s = this.newSlot(email, table[ints[o]!]!, str(table, ints[o + 1]!), str(table, ints[o + 2]!), str(table, ints[o + 3]!), this.shown(table[ints[o + 4]!]!), names.length === 1 ? names[0]! : names);
        this.counts[s] = ints[o + 8]!;
        this.times[2 * s] = firstMs;
        this.times[2 * s + 1] = lastMs;
        // First and last are unknown together (see add); their text is then the same.
        if (Number.isNaN(firstMs)) this.setDateText(s, str(table, ints[o + 5]!));
        continue;
      }
      this.counts[s]! += ints[o + 8]!;
      for (let c = part.campaignStart[i]!; c < part.campaignStart[i + 1]!; c++) this.addCampaign(s, table[part.cols.campaigns[c]!]!);
      this.absorbTimes(s, firstMs, lastMs, table[ints[o]!]!, str(table, ints[o + 1]!), str(table, ints[o + 2]!), str(table, ints[o + 3]!), table[ints[o + 4]!]!);
    }
    this.distinct = -1;
  }

  /**
   * Like mergeSlots, but the merge waits until something needs the entries as objects; writing
   * the CSV (csvChunks) needs no objects for addresses that only the deferred list holds. On the
   * 1 M-row bench log the main thread thus skips ~40,000 map insertions and entry objects. Only
   * for columns in entries() order; others are merged at once.
   */
  deferSlots(cols: SlotColumns): void {
    if (!cols.sorted) return this.mergeSlots(cols);
    this.deferred.push(toPart(cols));
    this.distinct = -1;
  }

  /** Merge every deferred list, in the order they came (later rows after earlier ones). */
  private settle(): void {
    if (this.deferred.length === 0) return;
    const parts = this.deferred;
    this.deferred = [];
    for (const part of parts) this.mergeNow(part);
  }

  /** Entry i of a part as a slot of its own (a fresh campaigns array, shared reply texts). */
  private slotOf(part: Part, i: number): Slot {
    const { table, ints, nums } = part.cols;
    const o = i * SLOT_INTS;
    const firstMs = nums[i * 2]!;
    const lastMs = nums[i * 2 + 1]!;
    return {
      entry: {
        email: part.cols.emails[i]!,
        reason: table[ints[o]!]!,
        enhancedCode: str(table, ints[o + 1]!),
        basicCode: str(table, ints[o + 2]!),
        receiver: str(table, ints[o + 3]!),
        campaigns: campaignsOf(part, i),
        firstBouncedAt: shownAt(table, ints[o + 5]!, firstMs),
        lastBouncedAt: shownAt(table, ints[o + 6]!, lastMs),
        bounceCount: ints[o + 8]!,
        // Shared reply texts stay shared on this side too.
        diagnostic: this.shown(table[ints[o + 4]!]!),
        incident: null,
      },
      firstMs,
      lastMs,
    };
  }

  /** Add entry i of a part (rows after `a`'s) to the entry object `a` (see csvChunks). */
  private mergeInto(a: Slot, part: Part, i: number): void {
    const { table, ints, nums } = part.cols;
    const o = i * SLOT_INTS;
    const e = a.entry;
    e.bounceCount += ints[o + 8]!;
    for (const c of campaignsOf(part, i)) addSorted(e.campaigns, c);
    const firstMs = nums[i * 2]!;
    const lastMs = nums[i * 2 + 1]!;
    if (isEarlier(firstMs, a.firstMs)) {
      a.firstMs = firstMs;
      e.firstBouncedAt = shownAt(table, ints[o + 5]!, firstMs);
      e.reason = table[ints[o]!]!;
      e.enhancedCode = str(table, ints[o + 1]!);
      e.basicCode = str(table, ints[o + 2]!);
      e.receiver = str(table, ints[o + 3]!);
      e.diagnostic = this.shown(table[ints[o + 4]!]!);
    }
    if (isLater(lastMs, a.lastMs)) {
      a.lastMs = lastMs;
      e.lastBouncedAt = shownAt(table, ints[o + 6]!, lastMs);
    }
  }

  /** This list's own slots and addresses in entries() order (kept until the list changes). */
  private sortedOwn(): { slots: Int32Array; emails: string[] } {
    if (this.sorted === null) {
      const emails = this.emails;
      const slots = Int32Array.from({ length: emails.length }, (_, i) => i).sort((a, b) => (emails[a]! < emails[b]! ? -1 : emails[a]! > emails[b]! ? 1 : 0));
      this.sorted = { slots, emails: Array.from(slots, (s) => emails[s]!) };
    }
    return this.sorted;
  }

  /**
   * The own and deferred addresses together in entries() order: each call of the returned
   * function moves to the next address and returns it (null at the end), with `at[k]` its index
   * in list k (0: own, k: deferred list k), or -1 when that list does not hold it.
   */
  private walk(): { next: () => string | null; at: Int32Array } {
    const lists = [this.sortedOwn().emails, ...this.deferred.map((p) => p.cols.emails)];
    const pos = new Int32Array(lists.length);
    const at = new Int32Array(lists.length);
    const next = (): string | null => {
      let min: string | null = null;
      for (let k = 0; k < lists.length; k++) {
        const l = lists[k]!;
        if (pos[k]! < l.length && (min === null || l[pos[k]!]! < min)) min = l[pos[k]!]!;
      }
      if (min === null) return null;
      for (let k = 0; k < lists.length; k++) {
        const l = lists[k]!;
        at[k] = pos[k]! < l.length && l[pos[k]!] === min ? pos[k]!++ : -1;
      }
      return min;
    };
    return { next, at };
  }

  /**
   * The suppression CSV (`header`, then one line per address in entries() order) as UTF-8
   * chunks. Addresses held only by a deferred list with rendered lines are copied as bytes;
   * the others are merged (on entry objects: the list itself does not change) and rendered here.
   * A chunk's buffer is filled anew once the next chunk is asked for: write it (or copy it) first.
   */
  *csvChunks(render: LineRenderer, header: string): Generator<Uint8Array> {
    const out = new ByteChunks(CHUNK_BYTES, true);
    out.text(header);
    const own = this.sortedOwn().slots;
    const parts = this.deferred;
    // With incidents known, every line is rendered here: a deferred line has no incident column.
    const lines = parts.map((p) => (this.incidentKeys.size === 0 && p.cols.lines ? new LineReader(p.cols.lines) : null));
    const { next, at } = this.walk();
    while (next() !== null) {
      let only = -1;
      for (let k = 0; k < at.length; k++) if (at[k]! >= 0) only = only === -1 ? k : -2;
      const l = only > 0 ? lines[only - 1] : null;
      if (l) {
        l.copyLine(at[only]!, out);
      } else {
        let slot: Slot | null = at[0]! >= 0 ? this.slotAt(own[at[0]!]!) : null;
        for (let k = 1; k < at.length; k++) {
          if (at[k]! < 0) continue;
          if (slot === null) slot = this.slotOf(parts[k - 1]!, at[k]!);
          else this.mergeInto(slot, parts[k - 1]!, at[k]!);
        }
        slot!.entry.incident = this.incidentOf(slot!.entry);
        out.text(render(slot!.entry));
      }
      if (out.hasCompleted) yield* out.completed();
    }
    yield* out.end();
  }

  /** Entries sorted by email: new objects, made on each call. */
  entries(): SuppressionEntry[] {
    this.settle();
    return Array.from(this.sortedOwn().slots, (s) => {
      const e = this.slotAt(s).entry;
      e.incident = this.incidentOf(e);
      return e;
    });
  }
}

/** Suppression CSV columns, in order. The first is always `email` so CRM imports map it. */
export const SUPPRESSION_COLUMNS = [
  'email',
  'reason',
  'enhanced_code',
  'basic_code',
  'receiver',
  'campaigns',
  'first_bounced_at',
  'last_bounced_at',
  'bounce_count',
  'diagnostic',
  'incident',
] as const;

export function suppressionRecord(e: SuppressionEntry): string[] {
  return [
    e.email,
    e.reason,
    e.enhancedCode ?? '',
    e.basicCode ?? '',
    e.receiver ?? '',
    e.campaigns.join('; '),
    e.firstBouncedAt ?? '',
    e.lastBouncedAt ?? '',
    String(e.bounceCount),
    e.diagnostic,
    e.incident ?? '',
  ];
}
