// Where a one-thread audit allocates: runs the CLI in this process under V8's sampling heap
// profiler (collected objects included) and prints the total sampled and the top allocating
// functions.   node bench/alloc-profile.mjs FILE.csv [N]      (after `npm run build`)
import { Session } from 'node:inspector/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [file, top = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/alloc-profile.mjs FILE.csv [N]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'bounce-audit-alloc-'));
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
process.argv = [process.argv[0], 'bounce-audit', file, '--threads', '1', '--json', '-q', '-o', join(dir, 'suppression.csv')];
const { run } = await import('../dist/cli/main.js');
const write = process.stdout.write;
process.stdout.write = () => true; // the JSON report
await run();
process.stdout.write = write;
const { profile } = await session.post('HeapProfiler.stopSampling');
rmSync(dir, { recursive: true, force: true });
process.exitCode = 0;

const bytes = new Map();
let total = 0;
const walk = (node) => {
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  bytes.set(key, (bytes.get(key) ?? 0) + node.selfSize);
  total += node.selfSize;
  node.children.forEach(walk);
};
walk(profile.head);
console.log(`sampled allocation: ${(total / 1e6).toFixed(0)} MB`);
for (const [key, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, Number(top))) console.log(`${(b / 1e6).toFixed(1).padStart(8)} MB  ${key}`);
