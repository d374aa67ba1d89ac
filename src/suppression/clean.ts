/**
 * `--clean <leads.csv>`: the lead list for the next campaign without the suppressed addresses.
 * Streams the list record by record and copies every kept record's original text unchanged, so
 * the cleaned list differs from the input only by the removed rows (and its encoding: the output
 * is UTF-8, with a byte order mark when the input had one). Rows that cannot be read as a lead
 * (no address) are kept: cleaning never drops a row it cannot prove is suppressed.
 */
import { openList } from '../input/list-reader.js';
import { detectColumns } from '../input/columns.js';
import { InputError } from '../errors.js';
import { normaliseEmail } from './address.js';

export interface CleanStats {
  input: string;
  output: string;
  /** Data rows read. */
  rows: number;
  /** Rows dropped because their address is suppressed. */
  removed: number;
  /** Rows written (rows − removed). */
  kept: number;
  /** The header column the addresses were read from. */
  emailColumn: string;
}

/**
 * The cleaned lead list as byte chunks, and its figures (complete once the chunks are read). A
 * malformed lead list throws its InputError from the chunks.
 */
export async function cleanLeads(input: string, output: string, isSuppressed: (email: string) => boolean): Promise<{ chunks: AsyncIterable<Uint8Array>; stats: CleanStats }> {
  const list = await openList(input, 'the --clean lead list');
  if (list.header === null) throw new InputError('the lead list is empty: expected a header row and leads', { file: input });
  const header = list.header.fields.map((h) => h.trim());
  const email = detectColumns(header, {}, input).email;
  const stats: CleanStats = { input, output, rows: 0, removed: 0, kept: 0, emailColumn: header[email]! };

  async function* chunks(): AsyncGenerator<Uint8Array> {
    if (list.bom) yield Buffer.from([0xef, 0xbb, 0xbf]);
    yield list.header!.raw;
    for await (const r of list.records) {
      stats.rows++;
      const e = normaliseEmail(r.fields[email] ?? '');
      if (e !== null && isSuppressed(e)) {
        stats.removed++;
        // The empty lines before a removed row are not part of it.
        if (r.gap > 0) yield r.raw.subarray(0, r.gap);
        continue;
      }
      stats.kept++;
      yield r.raw;
    }
  }
  return { chunks: chunks(), stats };
}
