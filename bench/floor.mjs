// The floor: read the file in Node and count newlines. Nothing can audit faster than this.
import { createReadStream } from 'node:fs';

let lines = 0;
for await (const buf of createReadStream(process.argv[2], { highWaterMark: 256 * 1024 })) {
  let i = -1;
  while ((i = buf.indexOf(10, i + 1)) !== -1) lines++;
}
console.log(lines);
