/**
 * The one CSV record writer every CSV output uses (RFC 4180): a field holding the delimiter, a
 * quote, CR or LF is quoted, with its quotes doubled; nothing else is quoted; records end in LF.
 * A lone CR is quoted too, because readers that end lines at CR (this tool's, Excel's) would
 * split the record there. Written by hand rather than through csv-stringify: it runs once per
 * line of the suppression CSV, where a stringifier per record cost more than the audit's own
 * work on that line. A property test reads its output back with csv-parse.
 *
 * Every cell is written as text from a stranger: reply texts are written by remote mail
 * servers, campaign names and file names come from the input. So each cell but the address is
 * made safe for the spreadsheets and CRMs these files are opened in (textCell below).
 */
const NEEDS_QUOTES: Record<string, RegExp> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '\t': /["\t\r\n]/,
};

/**
 * Characters a free-text cell never carries: C0 controls (with TAB, CR and LF), DEL, C1
 * controls, and the bidirectional embeddings, overrides and isolates that make a spreadsheet
 * or terminal show text in an order other than its own ("Trojan Source"). Directional marks
 * (U+200E, U+200F, U+061C) are kept: they belong to right-to-left text and reorder nothing.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV Injection"): one whose first
 * character, after any spaces a spreadsheet may skip, is `=`, `+`, `-` or `@` (or their
 * full-width forms, which some spreadsheets accept as the same operators).
 */
const FORMULA_START = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

/**
 * A free-text cell made safe: TAB, CR and LF become a space (a cell stays on one line), every
 * other unsafe character becomes U+FFFD (so its place is still visible), and a cell that would
 * start a formula gets a leading apostrophe, which spreadsheets read as "this is text". The
 * apostrophe is added after the controls are replaced, so a leading TAB or CR can never be
 * trimmed away from in front of an `=`. Idempotent: a safe cell is returned unchanged.
 */
export function textCell(s: string): string {
  let t = UNSAFE_CHAR.test(s) ? s.replace(UNSAFE_CHARS, (c) => (c === '\t' || c === '\r' || c === '\n' ? ' ' : '\ufffd')) : s;
  if (FORMULA_START.test(t)) t = `'${t}`;
  return t;
}

/** A cell written by textCell, back to its text (for lists this tool reads back, e.g. `--merge`). */
export function fromTextCell(s: string): string {
  return s.charCodeAt(0) === 0x27 && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/**
 * An address that starts like a formula is written as it is only when it holds nothing a formula
 * could be built from (suppression/address.ts rejects the others), because an apostrophe would
 * make it a different address in every tool it is imported into.
 */
const INERT_ADDRESS = /^[=+\-][\p{L}\p{N}._+=-]*@[^@]+$/u;

/**
 * A cell that may need anything done — made safe or quoted — per delimiter: one test per cell
 * lets most cells through as they are (this runs once per cell of every line written).
 */
/* eslint-disable no-control-regex */
const MAY_NEED_CARE: Record<string, RegExp> = {
  ',': /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069",]/,
  ';': /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069";]/,
  '\t': /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"]/,
};
/* eslint-enable no-control-regex */

export interface RecordOptions {
  delimiter?: ',' | ';' | '\t';
  /**
   * Position of the cell holding a normalised address, written as it is; -1 (the default): none.
   * Normalisation (suppression/address.ts) guarantees it carries no control character and
   * nothing a formula could be built from.
   */
  address?: number;
}

/** One record as a CSV line (with its LF). */
export function csvRecord(fields: readonly string[], opts: RecordOptions = {}): string {
  const delimiter = opts.delimiter ?? ',';
  const address = opts.address ?? -1;
  const needsQuotes = NEEDS_QUOTES[delimiter]!;
  const mayNeedCare = MAY_NEED_CARE[delimiter]!;
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    let f = fields[i]!;
    if (i > 0) line += delimiter;
    if (!mayNeedCare.test(f)) {
      line += f;
      continue;
    }
    if (i !== address || !(FORMULA_START.test(f) ? INERT_ADDRESS.test(f) : !UNSAFE_CHAR.test(f))) f = textCell(f);
    line += needsQuotes.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
  }
  return `${line}\n`;
}
