// csv-parse on its own, stream API, counting records: the parser the audit started with.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

let records = 0;
const parser = createReadStream(process.argv[2], { highWaterMark: 256 * 1024 }).pipe(parse({ relax_column_count: true }));
for await (const _ of parser) records++;
console.log(records);
