/** The hand-labelled reply corpora (test/corpus/public-replies.csv and blind-replies*.csv) share one layout. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface LabelledReply {
  id: string;
  group: string;
  recipient_domain: string;
  smtp_command: string;
  status: string;
  diagnostic: string;
  bucket: string;
  reason: string;
}

/** The rows of `test/corpus/<file>`. */
export function readLabelledReplies(file: string): LabelledReply[] {
  return parse(readFileSync(new URL(`../corpus/${file}`, import.meta.url)), { columns: true, skip_empty_lines: true }) as LabelledReply[];
}
