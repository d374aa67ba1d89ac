// bounce-audit's CSV reader on its own (dist/io/csv-reader.js), counting rows: every field
// decoded, line numbers kept, errors checked — the parse cost inside the audit.
import { createReadStream } from 'node:fs';
import { openCsv } from '../dist/io/csv-reader.js';

const csv = await openCsv(createReadStream(process.argv[2], { highWaterMark: 256 * 1024 }), process.argv[2]);
let records = 1; // the header
for await (const _ of csv.rows) records++;
console.log(records);
