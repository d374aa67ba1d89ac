/**
 * `--clean <leads.csv>`: the lead list for the next campaign without the suppressed addresses.
 * Streams the list row by row and writes every other row unchanged in content and order, with
 * the same delimiter, line ending and (when the header was fully quoted) quoting. The output is
 * UTF-8 whatever the input's encoding. Rows that cannot be read as a lead (wrong field count, no
 * address) are kept: cleaning never drops a row it cannot prove is suppressed.
 */
import { createReadStream } from 'node:fs';
import { openCsv } from '../input/csv-reader.js';
import { decodeStream } from '../input/decode.js';
import { peekStream } from '../input/peek.js';
import { detectColumns } from '../input/columns.js';
import { writeAtomic } from '../output/atomic-write.js';
import { InputError, describeFsError } from '../errors.js';
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

export async function cleanLeads(input: string, output: string, isSuppressed: (email: string) => boolean): Promise<CleanStats> {
  const file = createReadStream(input, { highWaterMark: 256 * 1024 });
  await new Promise<void>((res, rej) => {
    file.once('open', () => res());
    file.once('error', (err) => rej(new InputError(`cannot read the --clean lead list: ${describeFsError(err)}`, { file: input })));
  });
  const decoded = decodeStream(file);
  const { head, stream } = await peekStream(decoded.chunks, 64 * 1024);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const firstLine = /^[^\r\n]*/.exec(text)![0];
  const recordDelimiter = /\r\n/.test(text.slice(0, firstLine.length + 2)) ? '\r\n' : '\n';
  const csv = await openCsv(stream, input);
  const cols = detectColumns(csv.header, {}, input);
  // Fully quoted header ("Email","First Name") → the exporter quotes every field; do the same.
  const quoted = csv.header.length > 0 && /^\s*"/.test(firstLine) && (firstLine.match(/"/g)?.length ?? 0) >= csv.header.length * 2;
  const stats: CleanStats = { input, output, rows: 0, removed: 0, kept: 0, emailColumn: csv.header[cols.email]! };

  // A malformed lead list is an input error, not an output one: keep it to rethrow as itself.
  let readError: unknown = null;
  async function* chunks(): AsyncGenerator<string> {
    // Loaded here, not at start-up: only --clean writes through csv-stringify.
    const { stringify } = await import('csv-stringify');
    const s = stringify({ delimiter: csv.delimiter, record_delimiter: recordDelimiter === '\r\n' ? 'windows' : 'unix', quoted, quoted_empty: quoted });
    const pump = (async () => {
      const write = async (rec: string[]): Promise<void> => {
        if (!s.write(rec)) await new Promise<void>((r) => s.once('drain', () => r()));
      };
      try {
        await write(csv.header);
        for await (const row of csv.rows) {
          stats.rows++;
          const e = normaliseEmail(row.fields[cols.email] ?? '');
          if (e !== null && isSuppressed(e)) {
            stats.removed++;
            continue;
          }
          stats.kept++;
          await write(row.fields);
        }
        s.end();
      } catch (err) {
        readError = err;
        s.destroy(err as Error);
      }
    })();
    for await (const c of s) yield String(c);
    await pump;
  }
  try {
    await writeAtomic(output, chunks(), 'cleaned lead list');
  } catch (err) {
    throw readError ?? err;
  }
  return stats;
}
