// What touching fresh memory costs on this machine, against memory touched before:
//   node bench/fresh-memory.mjs
// Fills 64 MB of newly allocated buffers (each page faulted in on first touch), then refills
// one 64 MB buffer that has been touched already. Not part of `npm test`.
const MB = 1 << 20;
for (const size of [256 * 1024, MB, 4 * MB]) {
  const keep = [];
  const before = process.resourceUsage().minorPageFault;
  const t = performance.now();
  for (let total = 0; total < 64 * MB; total += size) {
    const b = Buffer.allocUnsafeSlow(size);
    b.fill(1);
    keep.push(b);
  }
  const ms = performance.now() - t;
  console.log(`fresh: 64 MB in ${size / 1024} KB buffers filled in ${ms.toFixed(0)} ms, ${process.resourceUsage().minorPageFault - before} minor page faults`);
}
const warm = Buffer.allocUnsafeSlow(64 * MB);
warm.fill(0);
const t = performance.now();
for (let i = 1; i <= 4; i++) warm.fill(i);
console.log(`touched before: 64 MB refilled in ${((performance.now() - t) / 4).toFixed(1)} ms (mean of 4)`);
