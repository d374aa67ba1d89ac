// bounce-audit's CSV reader on its own (dist/input/csv-reader.js), counting rows: every field
// decoded, line numbers kept, errors checked — the parse cost inside the audit.
import { openCsv } from '../dist/input/csv-reader.js';
import { openChunks } from '../dist/input/file-chunks.js';

// Read the way the audit reads a file (src/input/file-chunks.ts).
const csv = await openCsv(await openChunks(process.argv[2]), process.argv[2]);
let records = 1; // the header
for await (const _ of csv.rows) records++;
console.log(records);
