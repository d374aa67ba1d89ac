/**
 * The suppression list: normalised, de-duplicated addresses whose bounce means the address
 * does not exist. Memory grows with the number of distinct suppressed addresses only.
 */
import { ByteChunks } from '../output/byte-chunks.js';
import { isEarlier, isLater, isoOf, parseLogDate } from './dates.js';
import { FROM_MS, LineReader, NONE, Part, SLOT, type SlotColumns } from './transfer.js';

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

/** One suppression CSV line (with its line break) for an entry. */
export type LineRenderer = (e: SuppressionEntry) => string;

/** An entry object with its bounce times (see SuppressionList.slotAt). */
interface Slot {
  entry: SuppressionEntry;
  firstMs: number;
  lastMs: number;
}

/** Suppression CSV chunks handed to the writer: about 256 KB each. */
const CHUNK_BYTES = 256 * 1024;

/** Insert into a sorted array of a few campaign names, keeping it sorted and unique. */
function addSorted(list: string[], name: string): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > name) i--;
  if (list[i - 1] !== name) list.splice(i, 0, name);
}

/** Longest reply text kept per address. */
const MAX_DIAGNOSTIC = 300;

function oneLine(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_DIAGNOSTIC ? `${s.slice(0, MAX_DIAGNOSTIC - 1)}…` : s;
}

/** Distinct diagnostic texts remembered for sharing (see SuppressionList.shown). */
const SHOWN_LIMIT = 10_000;

/**
 * The list's own addresses are kept as columns, one element per slot (slots numbered in the
 * order addresses were first added), not as an object per address: an address holds its
 * string, its reply text (shared between addresses with the same reply) and a few numbers.
 * Entry objects are made only when something asks for them (entries(), rendering a line).
 */
export class SuppressionList {
  /** Address → slot. */
  private readonly index = new Map<string, number>();
  private readonly emails: string[] = [];
  /** Reason, codes and receiver of each slot's earliest bounce. */
  private readonly reasons: string[] = [];
  private readonly enhancedCodes: (string | null)[] = [];
  private readonly basicCodes: (string | null)[] = [];
  private readonly receivers: (string | null)[] = [];
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
   * instead of holding a copy each.
   */
  private readonly shownTexts = new Map<string, string>();
  /** `campaign \u0000 receiver` pairs flagged as receiver incidents. */
  private incidentKeys = new Set<string>();

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

  /** Mark addresses whose bounce came from a receiver incident (see count/incidents.ts). */
  markIncidents(incidents: readonly { campaign: string; receiver: string }[]): void {
    this.incidentKeys = new Set(incidents.map((i) => `${i.campaign}\u0000${i.receiver}`));
  }

  /** How many suppressed addresses a campaign/receiver incident covers. */
  countIncident(campaign: string, receiver: string): number {
    this.settle();
    let n = 0;
    for (let s = 0; s < this.emails.length; s++) {
      if (this.receivers[s] !== receiver) continue;
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
    this.reasons.push(reason);
    this.enhancedCodes.push(enhancedCode);
    this.basicCodes.push(basicCode);
    this.receivers.push(receiver);
    this.diagnostics.push(diagnostic);
    this.campaigns.push(campaigns);
    if (s >= this.counts.length) {
      const counts = new Int32Array(2 * this.counts.length);
      counts.set(this.counts);
      this.counts = counts;
      const times = new Float64Array(2 * this.times.length);
      times.set(this.times);
      this.times = times;
    }
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
   * bounce decides the reason shown (it made the address suppressible), the latest the last time.
   * `diagnostic` as written or in shown form.
   */
  private absorbTimes(s: number, firstMs: number, lastMs: number, reason: string, enhancedCode: string | null, basicCode: string | null, receiver: string | null, diagnostic: string): void {
    if (isEarlier(firstMs, this.times[2 * s]!)) {
      this.times[2 * s] = firstMs;
      this.reasons[s] = reason;
      this.enhancedCodes[s] = enhancedCode;
      this.basicCodes[s] = basicCode;
      this.receivers[s] = receiver;
      this.diagnostics[s] = this.shown(diagnostic);
    }
    if (isLater(lastMs, this.times[2 * s + 1]!)) this.times[2 * s + 1] = lastMs;
  }

  private setDateText(s: number, text: string | null): void {
    if (text) this.dateTexts.set(s, text);
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
        reason: this.reasons[s]!,
        enhancedCode: this.enhancedCodes[s]!,
        basicCode: this.basicCodes[s]!,
        receiver: this.receivers[s]!,
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
   * The list's state as plain columns, for posting to another thread (see suppression/transfer.ts).
   * With `render`, the addresses come in entries() order and each one's CSV line is rendered
   * here, so the thread that writes the CSV only copies the bytes of addresses no other part
   * holds (see deferSlots): a worker does this while the main thread still reads its own part.
   */
  exportSlots(render?: LineRenderer): SlotColumns {
    this.settle();
    const table: string[] = [];
    const index = new Map<string, number>();
    const ref = (v: string | null): number => {
      if (v === null) return NONE;
      let i = index.get(v);
      if (i === undefined) {
        index.set(v, (i = table.length));
        table.push(v);
      }
      return i;
    };
    const n = this.emails.length;
    const order = render ? this.sortedOwn() : null;
    const ints = new Int32Array(n * SLOT.size);
    const nums = new Float64Array(n * 2);
    const campaigns: number[] = [];
    const out = render ? new ByteChunks(1 << 20) : null;
    const ends = new Int32Array(render ? n : 0);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const s = order === null ? i : order.slots[i]!;
      const o = i * SLOT.size;
      const firstMs = this.times[2 * s]!;
      const lastMs = this.times[2 * s + 1]!;
      const c = this.campaigns[s]!;
      ints[o + SLOT.reason] = ref(this.reasons[s]!);
      ints[o + SLOT.enhancedCode] = ref(this.enhancedCodes[s]!);
      ints[o + SLOT.basicCode] = ref(this.basicCodes[s]!);
      ints[o + SLOT.receiver] = ref(this.receivers[s]!);
      ints[o + SLOT.diagnostic] = ref(this.diagnostics[s]!);
      ints[o + SLOT.firstShown] = Number.isNaN(firstMs) ? ref(this.shownTime(s, 0)) : FROM_MS;
      ints[o + SLOT.lastShown] = Number.isNaN(lastMs) ? ref(this.shownTime(s, 1)) : FROM_MS;
      ints[o + SLOT.bounceCount] = this.counts[s]!;
      if (typeof c === 'string') {
        ints[o + SLOT.campaignCount] = 1;
        campaigns.push(ref(c));
      } else {
        ints[o + SLOT.campaignCount] = c.length;
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
   * up, and the earliest-bounce rule decides between the two lists' first bounces.
   */
  mergeSlots(cols: SlotColumns): void {
    this.settle();
    this.mergeNow(new Part(cols));
  }

  private mergeNow(part: Part): void {
    for (let i = 0; i < part.size; i++) {
      const email = part.cols.emails[i]!;
      const reason = part.text(i, SLOT.reason)!;
      const enhanced = part.text(i, SLOT.enhancedCode);
      const basic = part.text(i, SLOT.basicCode);
      const receiver = part.text(i, SLOT.receiver);
      const diagnostic = part.text(i, SLOT.diagnostic)!;
      let s = this.index.get(email);
      if (s === undefined) {
        const names = part.campaignsOf(i);
        s = this.newSlot(email, reason, enhanced, basic, receiver, this.shown(diagnostic), names.length === 1 ? names[0]! : names);
        this.counts[s] = part.int(i, SLOT.bounceCount);
        this.times[2 * s] = part.firstMs(i);
        this.times[2 * s + 1] = part.lastMs(i);
        // First and last are unknown together (see add); their text is then the same.
        if (Number.isNaN(part.firstMs(i))) this.setDateText(s, part.text(i, SLOT.firstShown));
        continue;
      }
      this.counts[s]! += part.int(i, SLOT.bounceCount);
      for (const name of part.campaignsOf(i)) this.addCampaign(s, name);
      this.absorbTimes(s, part.firstMs(i), part.lastMs(i), reason, enhanced, basic, receiver, diagnostic);
    }
    this.distinct = -1;
  }

  /**
   * Like mergeSlots, but the merge waits until something needs the entries as objects; writing
   * the CSV (csvChunks) needs no objects for addresses that only the deferred list holds, so the
   * main thread skips their map insertions and entry objects. Only for columns in entries()
   * order; others are merged at once.
   */
  deferSlots(cols: SlotColumns): void {
    if (!cols.sorted) return this.mergeSlots(cols);
    this.deferred.push(new Part(cols));
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
    return {
      entry: {
        email: part.cols.emails[i]!,
        reason: part.text(i, SLOT.reason)!,
        enhancedCode: part.text(i, SLOT.enhancedCode),
        basicCode: part.text(i, SLOT.basicCode),
        receiver: part.text(i, SLOT.receiver),
        campaigns: part.campaignsOf(i),
        firstBouncedAt: part.shownTime(i, SLOT.firstShown),
        lastBouncedAt: part.shownTime(i, SLOT.lastShown),
        bounceCount: part.int(i, SLOT.bounceCount),
        // Shared reply texts stay shared on this side too.
        diagnostic: this.shown(part.text(i, SLOT.diagnostic)!),
        incident: null,
      },
      firstMs: part.firstMs(i),
      lastMs: part.lastMs(i),
    };
  }

  /** Add entry i of a part (rows after `a`'s) to the entry object `a` (see csvChunks). */
  private mergeInto(a: Slot, part: Part, i: number): void {
    const e = a.entry;
    e.bounceCount += part.int(i, SLOT.bounceCount);
    for (const c of part.campaignsOf(i)) addSorted(e.campaigns, c);
    if (isEarlier(part.firstMs(i), a.firstMs)) {
      a.firstMs = part.firstMs(i);
      e.firstBouncedAt = part.shownTime(i, SLOT.firstShown);
      e.reason = part.text(i, SLOT.reason)!;
      e.enhancedCode = part.text(i, SLOT.enhancedCode);
      e.basicCode = part.text(i, SLOT.basicCode);
      e.receiver = part.text(i, SLOT.receiver);
      e.diagnostic = this.shown(part.text(i, SLOT.diagnostic)!);
    }
    if (isLater(part.lastMs(i), a.lastMs)) {
      a.lastMs = part.lastMs(i);
      e.lastBouncedAt = part.shownTime(i, SLOT.lastShown);
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
