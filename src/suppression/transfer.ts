/**
 * A suppression list as plain columns, the form in which a worker thread hands its list to the
 * main thread (parallel/split.ts). Cloning objects or hundreds of thousands of strings between
 * threads is slow, so only the addresses travel as strings: reasons, codes, receivers, reply texts
 * and campaigns are few distinct values, sent once in a table and referred to by index, and a
 * bounce time travels as its milliseconds. The typed arrays are transferred, not copied.
 */
import { isoOf } from './dates.js';
import type { ByteChunks } from '../output/byte-chunks.js';

/** The fields of one address in `SlotColumns.ints`, at `i * SLOT.size + SLOT.<field>`. */
export const SLOT = {
  /** Table index of the reason. */
  reason: 0,
  /** Table index of the enhanced code, or NONE. */
  enhancedCode: 1,
  /** Table index of the basic code, or NONE. */
  basicCode: 2,
  /** Table index of the receiver, or NONE. */
  receiver: 3,
  /** Table index of the reply text (shown form). */
  diagnostic: 4,
  /** How the first bounce time is shown: FROM_MS (the ISO form of its time), a table index, or NONE. */
  firstShown: 5,
  /** Likewise for the last bounce time. */
  lastShown: 6,
  /** How many campaigns the address has in `campaigns`. */
  campaignCount: 7,
  /** Bounces of the address. */
  bounceCount: 8,
  /** Values per address. */
  size: 9,
} as const;

/** A table index that stands for null. */
export const NONE = -1;
/** A shown time that is the ISO form of the time in `nums`. */
export const FROM_MS = -2;

/** SuppressionList state as plain columns (see SuppressionList.exportSlots). */
export interface SlotColumns {
  /** Distinct strings the columns below refer to by index. */
  table: string[];
  emails: string[];
  /** SLOT.size values per address (see SLOT). */
  ints: Int32Array;
  /** Per address: first and last bounce time in ms (NaN: none). */
  nums: Float64Array;
  /** Table indexes of every address's campaigns, one address after another. */
  campaigns: Int32Array;
  /** True when `emails` are in the order entries() returns (see SuppressionList.deferSlots). */
  sorted: boolean;
  /**
   * Each address's suppression CSV line as the exporting thread rendered it (no incident: that
   * is only known once every part is counted), one after another in UTF-8 chunks, no line split
   * between two; line i ends at `ends[i]`, counted from the start of the first chunk. Null when
   * no renderer was given.
   */
  lines: { chunks: Uint8Array[]; ends: Int32Array } | null;
}

/** Exported columns, with where each address's campaigns start in `campaigns`. */
export class Part {
  readonly campaignStart: Int32Array;

  constructor(readonly cols: SlotColumns) {
    const n = cols.emails.length;
    this.campaignStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.campaignStart[i + 1] = this.campaignStart[i]! + this.int(i, SLOT.campaignCount);
  }

  get size(): number {
    return this.cols.emails.length;
  }

  /** Field `field` (a SLOT offset) of address i. */
  int(i: number, field: number): number {
    return this.cols.ints[i * SLOT.size + field]!;
  }

  /** The string a field of address i refers to, or null. */
  text(i: number, field: number): string | null {
    const ref = this.int(i, field);
    return ref < 0 ? null : this.cols.table[ref]!;
  }

  firstMs(i: number): number {
    return this.cols.nums[2 * i]!;
  }

  lastMs(i: number): number {
    return this.cols.nums[2 * i + 1]!;
  }

  /** How the first (`SLOT.firstShown`) or last (`SLOT.lastShown`) bounce time of address i is shown. */
  shownTime(i: number, field: typeof SLOT.firstShown | typeof SLOT.lastShown): string | null {
    return this.int(i, field) === FROM_MS ? isoOf(field === SLOT.firstShown ? this.firstMs(i) : this.lastMs(i)) : this.text(i, field);
  }

  campaignsOf(i: number): string[] {
    const { table, campaigns } = this.cols;
    const own: string[] = [];
    for (let c = this.campaignStart[i]!; c < this.campaignStart[i + 1]!; c++) own.push(table[campaigns[c]!]!);
    return own;
  }
}

/** Reads the rendered lines of exported columns, in order. */
export class LineReader {
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
