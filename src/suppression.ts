/**
 * The suppression list: normalised, de-duplicated addresses whose bounce means the address
 * does not exist. Memory grows with the number of distinct suppressed addresses only.
 */

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

// Memory: one entry per address, kept in the shape entries() returns (campaigns as a small
// sorted array rather than a Set, one date string shared by first and last bounce), so writing
// the CSV needs no second copy of the list. Measured on the 1 M-row bench log (87,605
// addresses): ~720 → ~600 bytes per address, live heap at output 115 → 58 MB, peak RSS
// 254-279 → 207-210 MB, output byte for byte the same.
/** SuppressionList state as plain columns (see exportSlots). */
export interface SlotColumns {
  /** Per address: email, reason, enhanced, basic, receiver, first/last bounced at, diagnostic. */
  text: (string | null)[];
  /** Every address's campaigns, one after another. */
  campaigns: string[];
  /** Per address: number of campaigns, bounce count, first and last bounce (ms, NaN = none). */
  nums: Float64Array;
}

interface Slot {
  entry: SuppressionEntry;
  firstMs: number;
  lastMs: number;
}

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

function displayDate(raw: string, ms: number): string | null {
  if (raw.trim() === '') return null;
  return Number.isNaN(ms) ? raw.trim() : new Date(ms).toISOString();
}

function oneLine(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_DIAGNOSTIC ? `${s.slice(0, MAX_DIAGNOSTIC - 1)}…` : s;
}

/** Distinct diagnostic texts remembered for sharing (see SuppressionList.shown). */
const SHOWN_LIMIT = 10_000;

export class SuppressionList {
  private readonly slots = new Map<string, Slot>();
  /**
   * Reply text → the one-line form kept in entries. Receivers repeat the same reply for every
   * unknown address (Gmail's four-line NoSuchUser paragraph), so entries share one string
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
    let n = 0;
    for (const { entry } of this.slots.values()) if (entry.receiver === receiver && entry.campaigns.includes(campaign)) n++;
    return n;
  }

  private incidentOf(e: SuppressionEntry): string | null {
    if (this.incidentKeys.size === 0 || e.receiver === null) return null;
    for (const c of e.campaigns) if (this.incidentKeys.has(`${c}\u0000${e.receiver}`)) return e.receiver;
    return null;
  }

  get size(): number {
    return this.slots.size;
  }

  has(email: string): boolean {
    return this.slots.has(email);
  }

  /** Record one invalid-address bounce of an already normalised address. */
  add(email: string, ev: BounceEvidence): void {
    const ms = parseLogDate(ev.date);
    const slot = this.slots.get(email);
    if (slot === undefined) {
      const shown = displayDate(ev.date, ms);
      this.slots.set(email, {
        entry: {
          email,
          reason: ev.reason,
          enhancedCode: ev.enhancedCode,
          basicCode: ev.basicCode,
          receiver: ev.receiver,
          campaigns: [ev.campaign],
          firstBouncedAt: shown,
          lastBouncedAt: shown,
          bounceCount: 1,
          diagnostic: this.shown(ev.diagnostic),
          incident: null,
        },
        firstMs: ms,
        lastMs: ms,
      });
      return;
    }
    const e = slot.entry;
    e.bounceCount++;
    addSorted(e.campaigns, ev.campaign);
    if (!Number.isNaN(ms)) {
      // The earliest bounce decides the reason shown: it is the one that made the address suppressible.
      if (Number.isNaN(slot.firstMs) || ms < slot.firstMs) {
        slot.firstMs = ms;
        e.firstBouncedAt = displayDate(ev.date, ms);
        e.reason = ev.reason;
        e.enhancedCode = ev.enhancedCode;
        e.basicCode = ev.basicCode;
        e.receiver = ev.receiver;
        e.diagnostic = this.shown(ev.diagnostic);
      }
      if (Number.isNaN(slot.lastMs) || ms > slot.lastMs) {
        slot.lastMs = ms;
        e.lastBouncedAt = displayDate(ev.date, ms);
      }
    }
  }

  /**
   * The list's state as columns of strings and numbers, for posting to another thread
   * (src/split.ts): cloning 45,000 entry objects between threads took ~0.5 s on the bench log;
   * arrays of primitives clone in a small part of that.
   */
  exportSlots(): SlotColumns {
    const n = this.slots.size;
    const text: (string | null)[] = [];
    const campaigns: string[] = [];
    const nums = new Float64Array(n * 4);
    let i = 0;
    for (const { entry: e, firstMs, lastMs } of this.slots.values()) {
      text.push(e.email, e.reason, e.enhancedCode, e.basicCode, e.receiver, e.firstBouncedAt, e.lastBouncedAt, e.diagnostic);
      for (const c of e.campaigns) campaigns.push(c);
      nums[i * 4] = e.campaigns.length;
      nums[i * 4 + 1] = e.bounceCount;
      nums[i * 4 + 2] = firstMs;
      nums[i * 4 + 3] = lastMs;
      i++;
    }
    return { text, campaigns, nums };
  }

  /**
   * Add the state (from exportSlots) of a list built from rows that come after this list's rows
   * in the input. The result equals adding those rows here one by one: counts and campaigns add
   * up, and the other list's earliest bounce wins only when strictly earlier (first seen wins a tie).
   */
  mergeSlots(cols: SlotColumns): void {
    const { text, campaigns, nums } = cols;
    let ci = 0;
    for (let i = 0, t = 0; t < text.length; i++, t += 8) {
      const nc = nums[i * 4]!;
      const own = campaigns.slice(ci, ci + nc);
      ci += nc;
      const firstMs = nums[i * 4 + 2]!;
      const lastMs = nums[i * 4 + 3]!;
      const email = text[t] as string;
      const a = this.slots.get(email);
      if (a === undefined) {
        this.slots.set(email, {
          entry: {
            email,
            reason: text[t + 1] as string,
            enhancedCode: text[t + 2] ?? null,
            basicCode: text[t + 3] ?? null,
            receiver: text[t + 4] ?? null,
            campaigns: own,
            firstBouncedAt: text[t + 5] ?? null,
            lastBouncedAt: text[t + 6] ?? null,
            bounceCount: nums[i * 4 + 1]!,
            diagnostic: this.shown(text[t + 7] as string),
            incident: null,
          },
          firstMs,
          lastMs,
        });
        continue;
      }
      const e = a.entry;
      e.bounceCount += nums[i * 4 + 1]!;
      for (const c of own) addSorted(e.campaigns, c);
      if (!Number.isNaN(firstMs) && (Number.isNaN(a.firstMs) || firstMs < a.firstMs)) {
        a.firstMs = firstMs;
        e.firstBouncedAt = text[t + 5] ?? null;
        e.reason = text[t + 1] as string;
        e.enhancedCode = text[t + 2] ?? null;
        e.basicCode = text[t + 3] ?? null;
        e.receiver = text[t + 4] ?? null;
        e.diagnostic = this.shown(text[t + 7] as string);
      }
      if (!Number.isNaN(lastMs) && (Number.isNaN(a.lastMs) || lastMs > a.lastMs)) {
        a.lastMs = lastMs;
        e.lastBouncedAt = text[t + 6] ?? null;
      }
    }
  }

  /**
   * Entries sorted by email. These are the list's own objects, not copies (a copy of a
   * 400k-address list is ~200 MB at the moment memory peaks): treat them as read-only.
   */
  entries(): SuppressionEntry[] {
    const emails = [...this.slots.keys()].sort();
    return emails.map((email) => {
      const e = this.slots.get(email)!.entry;
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
